package dev.notebench.kernel;

import dev.notebench.kernel.comm.KernelComms;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.comm.CommCloseCommand;
import io.github.spencerpark.jupyter.messages.comm.CommMsgCommand;
import io.github.spencerpark.jupyter.messages.comm.CommOpenCommand;
import io.github.spencerpark.jupyter.messages.request.CommInfoRequest;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * Keeps the shell channel answering comm messages while a cell runs, so that a Stop button, a
 * slider or a Generate button reaches Java during a long {@code %train}.
 *
 * <p>basekernel reads the shell socket on one thread and runs each request there, so a running
 * cell would hold every later message, clicks included. Here a cell runs on a thread of its own
 * while the shell thread goes on reading: comm messages ({@code comm_open}, {@code comm_msg},
 * {@code comm_close}, {@code comm_info_request}) and {@code kernel_info_request} (a page that
 * connects while a cell runs) are handled at once; every other request (the next cell, a
 * completion) waits, in order, until the cell is done, as before. The socket is only read on the shell thread, and only while holding its monitor, which
 * its {@code sendMessage} (the cell's reply) also holds: a ZeroMQ socket is not safe to use from
 * two threads at once.
 *
 * <p>A comm message handled during a cell publishes its busy and idle status after the cell, so
 * that the front end does not show the kernel idle while the cell runs. A cell starts once the
 * front end's comm messages received before it are handled (a slider moved, then the next cell
 * run, sees the new value).
 */
final class ShellDispatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShellDispatch.class);
    private static final long POLL_MS = 10;
    private static final Set<MessageType<?>> COMMS = Set.of(MessageType.COMM_OPEN_COMMAND, MessageType.COMM_MSG_COMMAND,
            MessageType.COMM_CLOSE_COMMAND, MessageType.COMM_INFO_REQUEST);

    private final JupyterConnection connection;
    private final KernelComms comms;
    private final ShellHandler<ExecuteRequest> execute;
    private final ExecutorService cells = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "notebench-execute");
        t.setDaemon(true);
        return t;
    });

    private ShellDispatch(JupyterConnection connection, KernelComms comms, ShellHandler<ExecuteRequest> execute) {
        this.connection = connection;
        this.comms = comms;
        this.execute = execute;
    }

    /**
     * Takes over the comm and execute requests of a connection.
     *
     * @param connection the connection, its basekernel handlers installed
     * @param comms the kernel's comms
     * @param execute runs one execute request (basekernel's handler, with the kernel's context set)
     * @return the dispatch, to close with the kernel
     */
    static ShellDispatch install(JupyterConnection connection, KernelComms comms, ShellHandler<ExecuteRequest> execute) {
        ShellDispatch d = new ShellDispatch(connection, comms, execute);
        connection.setHandler(MessageType.COMM_OPEN_COMMAND, (env, m) -> d.comm(env, m, true));
        connection.setHandler(MessageType.COMM_MSG_COMMAND, (env, m) -> d.comm(env, m, true));
        connection.setHandler(MessageType.COMM_CLOSE_COMMAND, (env, m) -> d.comm(env, m, true));
        connection.setHandler(MessageType.COMM_INFO_REQUEST, (env, m) -> d.comm(env, m, true));
        connection.setHandler(MessageType.EXECUTE_REQUEST, d::executeAndWhatCameMeanwhile);
        return d;
    }

    @SuppressWarnings("unchecked")
    private void comm(ShellReplyEnvironment env, Message<?> m, boolean status) {
        if (status) {
            env.setBusyDeferIdle();
        }
        MessageType<?> type = m.getHeader().getType();
        if (type == MessageType.COMM_OPEN_COMMAND) {
            comms.opened((Message<CommOpenCommand>) m);
        } else if (type == MessageType.COMM_MSG_COMMAND) {
            comms.received((Message<CommMsgCommand>) m);
        } else if (type == MessageType.COMM_CLOSE_COMMAND) {
            comms.closed((Message<CommCloseCommand>) m);
        } else {
            comms.info(env, (Message<CommInfoRequest>) m);
        }
    }

    /** On the shell thread: runs the cell, then what arrived meanwhile and waited, in order. */
    @SuppressWarnings("unchecked")
    private void executeAndWhatCameMeanwhile(ShellReplyEnvironment env, Message<ExecuteRequest> first) {
        ShellChannel shell = (ShellChannel) env.getShell();
        Deque<Message<?>> waiting = new ArrayDeque<>();
        Message<?> next = first;
        while (next != null) {
            if (next.getHeader().getType() == MessageType.EXECUTE_REQUEST) {
                run(shell, (Message<ExecuteRequest>) next, waiting);
            } else if (!dispatch(shell, next)) {
                return; // shut down
            }
            next = waiting.poll();
        }
    }

    private void run(ShellChannel shell, Message<ExecuteRequest> request, Deque<Message<?>> waiting) {
        ShellReplyEnvironment env = connection.prepareReplyEnv(shell, request);
        CompletableFuture<Void> eventsBefore = comms.handledSoFar();
        CompletableFuture<Void> cell = CompletableFuture.runAsync(() -> {
            eventsBefore.join();
            try {
                execute.handle(env, request);
            } catch (Exception e) {
                log.error("the execute request failed outside its cell", e);
            } finally {
                env.resolveDeferrals(); // the reply's idle status
            }
        }, cells);
        List<Message<?>> handled = new ArrayList<>();
        while (!cell.isDone()) {
            Message<?> in = read(shell);
            if (in == null) {
                try {
                    cell.get(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException stillRunningOrDone) {
                    // read again, or leave the loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } else if (COMMS.contains(in.getHeader().getType())) {
                ShellReplyEnvironment e = connection.prepareReplyEnv(shell, in);
                comm(e, in, false);
                e.resolveDeferrals();
                handled.add(in);
            } else if (in.getHeader().getType() == MessageType.KERNEL_INFO_REQUEST) {
                // a page opened (or reloaded) during a long cell connects now, so its widgets (a Stop button) draw;
                // JupyterLab does not take the status of a kernel_info_request for the kernel's, so say busy for the cell
                dispatch(shell, in);
                connection.prepareReplyEnv(shell, request).setStatusBusy();
            } else {
                waiting.add(in);
            }
        }
        for (Message<?> m : handled) {
            ShellReplyEnvironment e = connection.prepareReplyEnv(shell, m);
            e.setStatusBusy();
            e.setStatusIdle();
        }
    }

    /** Reads one message if one is there, holding the socket's monitor (see the class comment). */
    private static Message<?> read(ShellChannel shell) {
        synchronized (shell) {
            try {
                if ((shell.getEvents() & ZMQ.Poller.POLLIN) == 0) {
                    return null;
                }
                return shell.readMessage();
            } catch (RuntimeException e) {
                log.warn("cannot read a message from the shell channel: {}", e.toString());
                return null;
            }
        }
    }

    /** Handles a request as basekernel's shell loop would; false when it asked the kernel to shut down. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean dispatch(ShellChannel shell, Message<?> m) {
        ShellHandler handler = connection.getHandler(m.getHeader().getType());
        if (handler == null) {
            log.warn("unhandled message {}", m.getHeader().getType().getName());
            return true;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(shell, m);
        try {
            handler.handle(env, m);
        } catch (Exception e) {
            log.error("handling {} failed", m.getHeader().getType().getName(), e);
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        cells.shutdownNow();
    }
}
