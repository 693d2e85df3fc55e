package dev.notebench.widgets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Jupyter widget: a model whose state (its traits) lives both here and in the front end, kept in
 * step both ways by the Jupyter widgets protocol (version 2, the models of
 * {@code @jupyter-widgets/base} and {@code @jupyter-widgets/controls} 2.0.0, as ipywidgets 8 and
 * JupyterLab 4 speak it).
 *
 * <p>A widget is a plain object until it is shown: {@code display(widget)} in a cell, or
 * {@code display.show(widget)} in toolkit code, opens its comm (and those of the widgets it refers
 * to: layout, style, children) in a front end that draws widgets. A change made here is sent at once;
 * a change made in the front end is applied here and heard by {@link #onChange} listeners, on the
 * kernel's widget thread, one message at a time. Where nothing draws widgets (nbconvert, a saved
 * page) the widget shows as text and no comm is opened.
 *
 * <pre>{@code
 * IntSlider steps = new IntSlider().description("steps").min(10).max(1000).value(300);
 * steps.onValue(v -> System.err.println("steps now " + v));
 * display(steps);
 * ...
 * steps.close();   // comm_close: the front end removes it, the kernel forgets it
 * }</pre>
 *
 * <p>Every method is safe to call from any thread; listeners run on the thread that made the
 * change (the kernel's widget thread for the front end's changes) and never under the widget's lock.
 */
public abstract class Widget implements AutoCloseable {
    static final String REFERENCE_PREFIX = "IPY_MODEL_";

    private final String id = UUID.randomUUID().toString().replace("-", "");
    private final String className;
    private final Map<String, Trait> traits = new LinkedHashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, List<Consumer<Change>>> listeners = new HashMap<>();
    private final List<Consumer<Map<String, Object>>> messageListeners = new CopyOnWriteArrayList<>();
    private Comm comm;
    private WidgetSession session;
    private boolean closed;

    Widget(String className, Model model, List<Trait> own) {
        this.className = className;
        List<Trait> all = new ArrayList<>(List.of(
                Trait.constant("_model_module", model.module()),
                Trait.constant("_model_module_version", model.version()),
                Trait.constant("_model_name", model.name()),
                Trait.constant("_view_module", model.viewModule()),
                Trait.constant("_view_module_version", model.viewVersion()),
                Trait.constant("_view_name", model.viewName()),
                Trait.nullableInteger("_view_count")));
        all.addAll(own);
        for (Trait t : all) {
            traits.put(t.name(), t);
            values.put(t.name(), t.initial());
        }
    }

    /**
     * Which front-end classes draw a widget.
     *
     * @param module the model's npm module, e.g. {@code @jupyter-widgets/controls}
     * @param version the module's semver
     * @param name the model class, e.g. {@code IntSliderModel}
     * @param viewModule the view's npm module
     * @param viewVersion the view module's semver
     * @param viewName the view class, e.g. {@code IntSliderView}
     */
    record Model(String module, String version, String name, String viewModule, String viewVersion, String viewName) {
        static final String CONTROLS = "@jupyter-widgets/controls";
        static final String BASE = "@jupyter-widgets/base";
        static final String VERSION = "2.0.0";

        static Model control(String name) {
            return new Model(CONTROLS, VERSION, name + "Model", CONTROLS, VERSION, name + "View");
        }
    }

    /** Returns the model id: the id of the widget's comm, and what the front end's views refer to. */
    public final String id() {
        return id;
    }

    /** Returns how a reference to {@code w} is written in another widget's state. */
    static String reference(Widget w) {
        return REFERENCE_PREFIX + w.id;
    }

    /**
     * Returns the widget's state as the front end gets it: every trait, sorted by name, with
     * JSON-ready values and references written as {@code "IPY_MODEL_<id>"}.
     */
    public final synchronized Map<String, Object> state() {
        Map<String, Object> out = new TreeMap<>();
        for (Trait t : traits.values()) {
            out.put(t.name(), t.json(values.get(t.name())));
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(out));
    }

    /** Returns the model's class name in the front end, e.g. {@code IntSliderModel}. */
    public final String modelName() {
        return (String) values.get("_model_name");
    }

    final synchronized Object read(String name) {
        trait(name);
        return values.get(name);
    }

    /**
     * Sets a trait from Java: the front end gets an {@code update} (once the widget is open) and
     * listeners hear the change on this thread; setting the value it has changes nothing.
     *
     * @throws IllegalArgumentException for an unknown trait or a value it cannot take
     * @throws IllegalStateException for a trait the front end's model fixes (its names and versions)
     */
    final void write(String name, Object value) {
        Trait t = trait(name);
        if (t.readOnly()) {
            throw new IllegalStateException(name + " is fixed by the widget's model; it cannot be set");
        }
        Object v = t.coerce(value);
        Object old;
        List<Consumer<Change>> heard;
        synchronized (this) {
            old = values.get(name);
            if (Objects.equals(old, v)) {
                return;
            }
            values.put(name, v);
            if (comm != null) {
                List<Widget> refs = new ArrayList<>();
                collect(v, refs);
                refs.forEach(session::open); // the front end resolves a reference only to a model it has
                comm.send(update(Map.of(name, t.json(v))));
            }
            heard = List.copyOf(listeners.getOrDefault(name, List.of()));
        }
        Change change = new Change(this, name, old, v, false);
        for (Consumer<Change> l : heard) {
            l.accept(change);
        }
    }

    /**
     * Calls {@code listener} after every change of a trait, made here or in the front end.
     *
     * @param name the trait, e.g. {@code "value"}
     * @param listener hears the change
     * @return closing it removes the listener
     * @throws IllegalArgumentException for an unknown trait
     */
    public final Subscription onChange(String name, Consumer<Change> listener) {
        trait(name);
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            listeners.computeIfAbsent(name, k -> new ArrayList<>()).add(listener);
        }
        return () -> {
            synchronized (this) {
                List<Consumer<Change>> l = listeners.get(name);
                if (l != null) {
                    l.remove(listener);
                }
            }
        };
    }

    /**
     * Calls {@code listener} with the content of every custom message the front end sends.
     *
     * @param listener hears the content
     * @return closing it removes the listener
     */
    public final Subscription onMessage(Consumer<Map<String, Object>> listener) {
        messageListeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> messageListeners.remove(listener);
    }

    /**
     * Sends a custom message to the widget's model in the front end; dropped while the widget is
     * not open.
     *
     * @param content JSON-ready content
     */
    public final synchronized void send(Map<String, Object> content) {
        if (comm != null) {
            comm.send(Map.of("method", "custom", "content", content));
        }
    }

    /** Returns whether the widget was closed. */
    public final synchronized boolean isClosed() {
        return closed;
    }

    /** Returns whether the widget's comm is open in a front end. */
    public final synchronized boolean isOpen() {
        return comm != null;
    }

    /**
     * Closes the widget: the front end gets {@code comm_close} and removes its views, the kernel
     * forgets it and its listeners, and later changes stay here. Its own layout and style close
     * with it; the children of a box do not.
     */
    @Override
    public void close() {
        Comm c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = comm;
            comm = null;
            session = null;
            listeners.clear();
        }
        messageListeners.clear();
        if (c != null) {
            c.close();
        }
        for (Widget w : owned()) {
            w.close();
        }
    }

    /** The widgets this one made for itself (its layout and style), which close with it. */
    List<Widget> owned() {
        return List.of();
    }

    /** The widgets its state refers to, which must be open in the front end before it. */
    final synchronized List<Widget> references() {
        List<Widget> out = new ArrayList<>();
        for (Trait t : traits.values()) {
            collect(values.get(t.name()), out);
        }
        return out;
    }

    static void collect(Object value, List<Widget> out) {
        if (value instanceof Widget w) {
            out.add(w);
        } else if (value instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Widget w) {
                    out.add(w);
                }
            }
        }
    }

    /** Binds the widget to its session's comm; false when it was closed meanwhile. */
    final synchronized boolean opened(WidgetSession s, Comm c) {
        if (closed) {
            c.close();
            return false;
        }
        this.session = s;
        this.comm = c;
        return true;
    }

    /** The front end closed the comm: the widget is released, and its own layout and style closed. */
    final void released() {
        synchronized (this) {
            comm = null;
            session = null;
            closed = true;
            listeners.clear();
        }
        messageListeners.clear();
        for (Widget w : owned()) {
            w.close();
        }
    }

    /**
     * Handles a message from the front end: {@code update} (applied here, echoed back as
     * {@code echo_update} as ipywidgets 8 does, then heard by listeners), {@code request_state}
     * (answered with the whole state) and {@code custom}.
     *
     * @param data the message's data
     * @param problems hears what could not be applied and what listeners threw
     */
    final void receive(Map<String, Object> data, Consumer<RuntimeException> problems) {
        Object method = data.get("method");
        if ("update".equals(method)) {
            if (data.get("state") instanceof Map<?, ?> state) {
                applyFromFrontEnd(state, problems);
            }
        } else if ("request_state".equals(method)) {
            synchronized (this) {
                if (comm != null) {
                    comm.send(update(state()));
                }
            }
        } else if ("custom".equals(method)) {
            Map<String, Object> content = new LinkedHashMap<>();
            if (data.get("content") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> content.put(String.valueOf(k), v));
            }
            guarded(problems, () -> custom(content, problems));
            for (Consumer<Map<String, Object>> l : messageListeners) {
                guarded(problems, () -> l.accept(Collections.unmodifiableMap(content)));
            }
        } else {
            problems.accept(new IllegalArgumentException("the front end sent " + className + " " + id
                    + " a message with the unknown method '" + method + "'; ignored"));
        }
    }

    /** A custom message from the front end, e.g. a button's click. */
    void custom(Map<String, Object> content, Consumer<RuntimeException> problems) {
    }

    private void applyFromFrontEnd(Map<?, ?> state, Consumer<RuntimeException> problems) {
        List<Change> changes = new ArrayList<>();
        Map<String, List<Consumer<Change>>> heard = new HashMap<>();
        synchronized (this) {
            Map<String, Object> echo = new TreeMap<>();
            for (Map.Entry<?, ?> e : state.entrySet()) {
                String name = String.valueOf(e.getKey());
                Trait t = traits.get(name);
                if (t == null || !t.writableByFrontEnd()) {
                    continue; // as ipywidgets: keys the model does not sync are ignored
                }
                Object v;
                try {
                    v = t.coerce(e.getValue());
                } catch (IllegalArgumentException bad) {
                    problems.accept(new IllegalArgumentException("the front end set " + className + "." + bad.getMessage()
                            + "; ignored", bad));
                    continue;
                }
                echo.put(name, t.json(v));
                Object old = values.put(name, v);
                if (!Objects.equals(old, v)) {
                    changes.add(new Change(this, name, old, v, true));
                    heard.put(name, List.copyOf(listeners.getOrDefault(name, List.of())));
                }
            }
            if (comm != null && !echo.isEmpty()) {
                comm.send(Map.of("method", "echo_update", "state", echo, "buffer_paths", List.of()));
            }
        }
        for (Change c : changes) {
            for (Consumer<Change> l : heard.get(c.name())) {
                guarded(problems, () -> l.accept(c));
            }
        }
    }

    static void guarded(Consumer<RuntimeException> problems, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            problems.accept(e);
        }
    }

    static Map<String, Object> update(Map<String, Object> state) {
        return Map.of("method", "update", "state", state, "buffer_paths", List.of());
    }

    private Trait trait(String name) {
        Trait t = traits.get(name);
        if (t == null) {
            throw new IllegalArgumentException(className + " has no trait '" + name + "'; its traits are "
                    + traits.keySet().stream().filter(k -> !k.startsWith("_")).toList());
        }
        return t;
    }

    /**
     * Returns the widget as text, as ipywidgets writes it: its class and the traits that differ
     * from their defaults, {@code value} and {@code description} first, e.g.
     * {@code IntSlider(value=3, description='n')}.
     */
    @Override
    public final String toString() {
        List<String> parts = new ArrayList<>();
        synchronized (this) {
            List<Trait> order = new ArrayList<>();
            for (String first : List.of("value", "description")) {
                if (traits.containsKey(first)) {
                    order.add(traits.get(first));
                }
            }
            traits.values().stream().filter(t -> !order.contains(t)).forEach(order::add);
            for (Trait t : order) {
                Object v = values.get(t.name());
                if (t.name().startsWith("_") && !t.name().equals("_options_labels") || t.kind() == Trait.Kind.WIDGET
                        || Objects.equals(v, t.initial())) {
                    continue;
                }
                parts.add((t.name().equals("_options_labels") ? "options" : t.name()) + "=" + text(v));
            }
        }
        return className + "(" + String.join(", ", parts) + ")";
    }

    private static String text(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            l.forEach(o -> items.add(text(o)));
            return "(" + String.join(", ", items) + (items.size() == 1 ? ",)" : ")");
        }
        if (v instanceof Map<?, ?> m) {
            List<String> items = new ArrayList<>();
            m.forEach((k, o) -> items.add(text(String.valueOf(k)) + ": " + text(o)));
            return "{" + String.join(", ", items) + "}";
        }
        return String.valueOf(v);
    }
}
