package dev.notebench.kernel.comm;

import dev.notebench.widgets.Comm;
import dev.notebench.widgets.Comms;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageContext;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.comm.CommCloseCommand;
import io.github.spencerpark.jupyter.messages.comm.CommMsgCommand;
import io.github.spencerpark.jupyter.messages.comm.CommOpenCommand;
import io.github.spencerpark.jupyter.messages.publish.PublishStream;
import io.github.spencerpark.jupyter.messages.reply.CommInfoReply;
import io.github.spencerpark.jupyter.messages.request.CommInfoRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's Jupyter comms, thread-safe: {@code comm_open}, {@code comm_msg} and
 * {@code comm_close} sent on IOPub from any thread, and the front end's comm messages (from the
 * shell channel) handled on one thread of their own, the kernel's widget thread, in the order they
 * came, so that a click or a slider reaches Java while a cell runs. It replaces basekernel's
 * {@code CommManager}, whose maps are not safe across threads and whose {@code comm_open} carries
 * no metadata.
 *
 * <p>A message sent while a front end's message is handled names that message as its parent (an
 * {@code echo_update} answers its {@code update}); any other names the execute request that runs
 * or ran last.
 */
public final class KernelComms implements Comms, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KernelComms.class);

    /** Answers a {@code comm_open} from the front end on one target. */
    @FunctionalInterface
    public interface Target {
        /**
         * Accepts or refuses a comm the front end opened.
         *
         * @param comm the comm, to send on
         * @param data the {@code comm_open} data
         * @param metadata the {@code comm_open} metadata
         * @return the comm's handler, or {@code null} to close it
         */
        Comm.Handler accept(Comm comm, Map<String, Object> data, Map<String, Object> metadata);
    }

    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final ThreadLocal<MessageContext> handling = new ThreadLocal<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "notebench-widgets");
        t.setDaemon(true);
        return t;
    });
    private volatile JupyterSocket iopub;
    private volatile MessageContext context;

    /** An open comm and who hears it. */
    private record Open(KernelComm comm, Comm.Handler handler) {
    }

    /** Creates the comms; they send nothing until {@link #attach} gives them the IOPub channel. */
    public KernelComms() {
    }

    /**
     * Sends on this channel from now on.
     *
     * @param iopub the kernel's IOPub channel
     */
    public void attach(JupyterSocket iopub) {
        this.iopub = iopub;
    }

    /**
     * Sets the request that messages not sent in answer to the front end belong to.
     *
     * @param context the execute request now running
     */
    public void setContext(MessageContext context) {
        this.context = context;
    }

    /**
     * Routes the front end's {@code comm_open} on a target.
     *
     * @param name the target, e.g. {@code jupyter.widget}
     * @param target who accepts the comms
     */
    public void target(String name, Target target) {
        targets.put(name, target);
    }

    @Override
    public Comm open(String target, String id, Map<String, Object> data, Map<String, Object> metadata, Comm.Handler handler) {
        KernelComm comm = new KernelComm(target, id);
        open.put(id, new Open(comm, handler));
        send(CommOpenCommand.MESSAGE_TYPE, new CommOpenCommand(id, target, JsonData.toJsonObject(data)), metadata);
        return comm;
    }

    /**
     * Handles a {@code comm_open} from the front end on the widget thread: a known target accepts
     * or refuses it; an unknown one, or a refusal, is answered with {@code comm_close}.
     *
     * @param message the message
     */
    public void opened(Message<CommOpenCommand> message) {
        CommOpenCommand c = message.getContent();
        Map<String, Object> metadata = new LinkedHashMap<>();
        message.getNonNullMetadata().forEach(metadata::put);
        onWidgetThread(message, () -> {
            KernelComm comm = new KernelComm(c.getTargetName(), c.getCommID());
            Target target = targets.get(c.getTargetName());
            Comm.Handler handler = target == null ? null : target.accept(comm, JsonData.toMap(c.getData()), metadata);
            if (handler == null) {
                log.debug("closing comm {} the front end opened on target {}", c.getCommID(), c.getTargetName());
                send(CommCloseCommand.MESSAGE_TYPE, new CommCloseCommand(c.getCommID(), new com.google.gson.JsonObject()), null);
            } else {
                open.put(c.getCommID(), new Open(comm, handler));
            }
        });
    }

    /**
     * Hands a {@code comm_msg} from the front end to its comm's handler, on the widget thread.
     *
     * @param message the message
     */
    public void received(Message<CommMsgCommand> message) {
        CommMsgCommand c = message.getContent();
        onWidgetThread(message, () -> {
            Open o = open.get(c.getCommID());
            if (o == null) {
                log.debug("a message for comm {}, which is not open, is dropped", c.getCommID());
                return;
            }
            o.handler().message(JsonData.toMap(c.getData()));
        });
    }

    /**
     * Forgets a comm the front end closed and tells its handler, on the widget thread.
     *
     * @param message the message
     */
    public void closed(Message<CommCloseCommand> message) {
        String id = message.getContent().getCommID();
        onWidgetThread(message, () -> {
            Open o = open.remove(id);
            if (o != null) {
                o.handler().closed();
            }
        });
    }

    /**
     * Answers a {@code comm_info_request}: the open comms, of one target if it names one.
     *
     * @param env where to reply
     * @param message the request
     */
    public void info(ShellReplyEnvironment env, Message<CommInfoRequest> message) {
        String only = message.getContent() == null ? null : message.getContent().getTargetName();
        Map<String, CommInfoReply.CommInfo> comms = new LinkedHashMap<>();
        for (Open o : open.values()) {
            if (only == null || only.equals(o.comm().target())) {
                comms.put(o.comm().id(), new CommInfoReply.CommInfo(o.comm().target()));
            }
        }
        env.reply(new CommInfoReply(comms));
    }

    /**
     * Returns a future that completes when every front-end message received so far has been
     * handled; a cell waits for it, so that it sees what a person did before running it.
     */
    public CompletableFuture<Void> handledSoFar() {
        try {
            return CompletableFuture.runAsync(() -> { }, events);
        } catch (RejectedExecutionException shutDown) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Reports a problem with a widget message or a listener it ran: logged, and shown as standard
     * error under the front end's message (JupyterLab shows it in its log console).
     *
     * @param problem what went wrong
     */
    public void problem(RuntimeException problem) {
        log.warn("widget: {}", problem.toString(), problem);
        send(PublishStream.MESSAGE_TYPE, new PublishStream(PublishStream.StreamType.ERR, "widget: " + problem + "\n"), null);
    }

    /** Returns the ids of the open comms and their targets (for tests and diagnostics). */
    public Map<String, String> openComms() {
        Map<String, String> out = new LinkedHashMap<>();
        open.forEach((id, o) -> out.put(id, o.comm().target()));
        return out;
    }

    /** Stops the widget thread; the comms still open are forgotten (the front end forgets them on restart). */
    @Override
    public void close() {
        events.shutdownNow();
        open.clear();
    }

    private void onWidgetThread(MessageContext message, Runnable r) {
        try {
            events.execute(() -> {
                handling.set(message);
                try {
                    r.run();
                } catch (RuntimeException e) {
                    problem(e);
                } finally {
                    handling.remove();
                }
            });
        } catch (RejectedExecutionException shutDown) {
            log.debug("the kernel is shutting down; a comm message is dropped");
        }
    }

    private <T extends ContentType<T>> void send(MessageType<T> type, T content, Map<String, Object> metadata) {
        JupyterSocket socket = iopub;
        MessageContext parent = handling.get() != null ? handling.get() : context;
        if (socket == null) {
            log.debug("no front end connected yet; dropping a {} message", type.getName());
            return;
        }
        Map<String, Object> meta = metadata == null ? null : new LinkedHashMap<>(metadata);
        socket.sendMessage(parent != null ? new Message<>(parent, type, content, null, meta)
                : new Message<>(new Header<>(type), content, meta, null));
    }

    /** A comm as the widgets see it. */
    private final class KernelComm implements Comm {
        private final String target;
        private final String id;

        KernelComm(String target, String id) {
            this.target = Objects.requireNonNull(target, "target");
            this.id = Objects.requireNonNull(id, "id");
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String target() {
            return target;
        }

        @Override
        public void send(Map<String, Object> data) {
            if (open.containsKey(id)) {
                KernelComms.this.send(CommMsgCommand.MESSAGE_TYPE, new CommMsgCommand(id, JsonData.toJsonObject(data)), null);
            }
        }

        @Override
        public void close() {
            if (open.remove(id) != null) {
                KernelComms.this.send(CommCloseCommand.MESSAGE_TYPE, new CommCloseCommand(id, new com.google.gson.JsonObject()), null);
            }
        }
    }
}
