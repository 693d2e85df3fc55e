package dev.notebench.widgets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The widgets of one kernel: opens the comms of the widgets it shows, routes the front end's
 * messages to them, answers the front end's requests for every widget's state, and closes them all
 * when the kernel shuts down. A kernel makes one over its {@link Comms}; no state is static.
 *
 * <p>Widgets are drawn only by a front end that runs a Jupyter widgets manager (JupyterLab 4 or
 * Notebook 7 with ipywidgets 8). Such a front end announces itself by opening a comm to
 * {@value #CONTROL_TARGET} as soon as it connects, to fetch the state of every widget; until one
 * has, {@link #live()} is false, {@link #view} opens nothing and a widget shows as its text, so a
 * notebook executed by nbconvert or a console gets text and no comm at all.
 *
 * <pre>{@code
 * WidgetSession widgets = new WidgetSession(comms, problem -> log.warn("widget: {}", problem.getMessage()));
 * Optional<Map<String, Object>> view = widgets.view(slider);   // application/vnd.jupyter.widget-view+json
 * ...
 * widgets.close();                                             // on shutdown: comm_close for every widget
 * }</pre>
 */
public final class WidgetSession implements AutoCloseable {
    /** The comm target of widget models. */
    public static final String TARGET = "jupyter.widget";
    /** The comm target a widgets front end opens to fetch every widget's state at once. */
    public static final String CONTROL_TARGET = "jupyter.widget.control";
    /** The targets a kernel routes to {@link #accept}. */
    public static final List<String> TARGETS = List.of(TARGET, CONTROL_TARGET);
    /** The widget messaging protocol spoken, as ipywidgets 8 sends it in {@code comm_open} metadata. */
    public static final String PROTOCOL_VERSION = "2.1.0";
    /** The control protocol spoken on {@value #CONTROL_TARGET}. */
    public static final String CONTROL_PROTOCOL_VERSION = "1.0.0";
    /** The MIME type of a widget's view in display data. */
    public static final String VIEW_MIME_TYPE = "application/vnd.jupyter.widget-view+json";

    private final Comms comms;
    private final Consumer<RuntimeException> problems;
    private final Map<String, Widget> open = new ConcurrentHashMap<>();
    private volatile boolean live;
    private volatile boolean closed;

    /**
     * Creates the widgets of a kernel.
     *
     * @param comms the kernel's comms
     * @param problems hears what went wrong with a message from the front end or in a listener it
     *     triggered (the kernel logs it and shows it where the front end shows such output)
     */
    public WidgetSession(Comms comms, Consumer<RuntimeException> problems) {
        this.comms = Objects.requireNonNull(comms, "comms");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** Returns whether a front end that draws widgets has announced itself to this kernel. */
    public boolean live() {
        return live && !closed;
    }

    /**
     * Opens a widget to be shown: its comm, after those of the widgets it refers to, when a
     * widgets front end is connected.
     *
     * @param widget the widget
     * @return the view data ({@code {"version_major": 2, "version_minor": 0, "model_id": ID}}) for
     *     {@value #VIEW_MIME_TYPE}, or empty when no front end draws widgets or the widget is closed
     */
    public Optional<Map<String, Object>> view(Widget widget) {
        if (!live() || widget.isClosed()) {
            return Optional.empty();
        }
        open(widget);
        if (!widget.isOpen()) {
            return Optional.empty();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version_major", 2);
        view.put("version_minor", 0);
        view.put("model_id", widget.id());
        return Optional.of(view);
    }

    /** Opens {@code w}'s comm, and first those of the widgets it refers to; nothing if open or closed. */
    void open(Widget w) {
        if (closed) {
            return;
        }
        synchronized (w) {
            if (w.isOpen() || w.isClosed()) {
                return;
            }
            for (Widget ref : w.references()) {
                open(ref);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("state", w.state());
            data.put("buffer_paths", List.of());
            Comm comm = comms.open(TARGET, w.id(), data, Map.of("version", PROTOCOL_VERSION), new Comm.Handler() {
                @Override
                public void message(Map<String, Object> message) {
                    w.receive(message, problems);
                }

                @Override
                public void closed() {
                    open.remove(w.id());
                    w.released();
                }
            });
            if (w.opened(this, new Forgetting(comm))) {
                open.put(w.id(), w);
            }
        }
    }

    /**
     * Answers a {@code comm_open} from the front end on one of {@link #TARGETS}.
     *
     * @param target the comm's target
     * @param comm the comm, to answer on
     * @param data the {@code comm_open} data
     * @param metadata the {@code comm_open} metadata (its {@code version})
     * @return the comm's handler, or {@code null} when the kernel should close the comm: an
     *     unknown target or protocol version, or a widget the front end made (the kernel makes them)
     */
    public Comm.Handler accept(String target, Comm comm, Map<String, Object> data, Map<String, Object> metadata) {
        if (closed) {
            return null;
        }
        String version = String.valueOf(metadata.getOrDefault("version", ""));
        if (target.equals(CONTROL_TARGET) && major(version).equals(major(CONTROL_PROTOCOL_VERSION))) {
            live = true;
            return message -> {
                if ("request_states".equals(message.get("method"))) {
                    comm.send(states());
                } else {
                    problems.accept(new IllegalArgumentException("the front end sent " + CONTROL_TARGET
                            + " the unknown method '" + message.get("method") + "'; ignored"));
                }
            };
        }
        if (target.equals(TARGET)) {
            live = true; // a front end that makes widgets draws them
        }
        return null;
    }

    private static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    /** The {@code update_states} answer: every open widget's model and state. */
    Map<String, Object> states() {
        Map<String, Object> states = new LinkedHashMap<>();
        for (Widget w : new ArrayList<>(open.values())) {
            Map<String, Object> state = w.state();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("model_name", state.get("_model_name"));
            entry.put("model_module", state.get("_model_module"));
            entry.put("model_module_version", state.get("_model_module_version"));
            entry.put("state", state);
            states.put(w.id(), entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", "update_states");
        out.put("states", states);
        out.put("buffer_paths", List.of());
        return out;
    }

    /** Returns the ids of the widgets whose comms are open, sorted. */
    public Set<String> openIds() {
        return new TreeSet<>(open.keySet());
    }

    /**
     * Closes every open widget (the front end gets {@code comm_close} for each and removes them),
     * releases them, and opens no more. The kernel calls it when it shuts down or restarts.
     */
    @Override
    public void close() {
        closed = true;
        for (Widget w : new ArrayList<>(open.values())) {
            w.close();
        }
        open.clear();
    }

    /** The kernel's comm of an open widget; closing it also forgets the widget. */
    private final class Forgetting implements Comm {
        private final Comm comm;

        Forgetting(Comm comm) {
            this.comm = comm;
        }

        @Override
        public String id() {
            return comm.id();
        }

        @Override
        public String target() {
            return comm.target();
        }

        @Override
        public void send(Map<String, Object> data) {
            comm.send(data);
        }

        @Override
        public void close() {
            open.remove(comm.id());
            comm.close();
        }
    }
}
