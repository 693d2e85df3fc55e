package dev.notebench.magics;

import java.util.Map;
import dev.notebench.magics.host.MagicCatalog;
import dev.notebench.magics.host.KernelContext;
import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link KernelContext} (and so a {@link NotebookContext}) for tests: records what magics show, every in-place update, and what
 * they add; evaluates with a given function. Other modules' tests get it from this module's test jar.
 */
public final class RecordingContext implements KernelContext {
    /** Evaluates code for {@link #eval}. */
    public interface Evaluator {
        Object eval(String code) throws Exception;
    }

    public final List<Object> shown = new ArrayList<>();
    /** Every update of a shown output, in order. */
    public final List<Object> updates = new ArrayList<>();
    /** Every show and every update, in order. */
    public final List<Object> events = new ArrayList<>();
    public final List<Path> added = new ArrayList<>();
    public final List<Path> kernelClasspath = new ArrayList<>();
    public final List<String> evaluated = new ArrayList<>();
    private final Renderer renderer = new Renderer();
    private final MagicCatalog catalog = new MagicCatalog(new Magics());
    private Evaluator evaluator = code -> null;
    private volatile boolean widgets;
    private volatile Map<String, String> environment = Map.of();

    public RecordingContext evaluator(Evaluator e) {
        this.evaluator = e;
        return this;
    }

    /** Gives the magics this environment, as a kernel passes its process's. */
    public RecordingContext withEnvironment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    /** Makes the display say it draws widgets, as a kernel does when JupyterLab with ipywidgets is connected. */
    public RecordingContext withWidgets() {
        this.widgets = true;
        return this;
    }

    /** Returns the widgets shown, of a type, in order. */
    public <T> List<T> shown(Class<T> type) {
        synchronized (this) {
            return shown.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** Loads every provider on the test classpath into this context's catalog. */
    public RecordingContext withAllMagics() {
        catalog.loadProviders(this, getClass().getClassLoader());
        return this;
    }

    /** Returns the text of everything shown, one entry per show. */
    public List<String> shownText() {
        List<String> out = new ArrayList<>();
        for (Object o : shown) {
            out.add(o instanceof dev.notebench.display.Html h ? h.text() : String.valueOf(o));
        }
        return out;
    }

    @Override
    public Renderer renderer() {
        return renderer;
    }

    @Override
    public Display display() {
        return new Display() {
            @Override
            public boolean showsWidgets() {
                return widgets;
            }

            @Override
            public DisplayHandle show(Object value) {
                return record(value);
            }
        };
    }

    private DisplayHandle record(Object value) {
        synchronized (this) {
            shown.add(value);
            events.add(value);
        }
        return new DisplayHandle() {
            @Override
            public String id() {
                return "recorded";
            }

            @Override
            public void update(Object v) {
                synchronized (RecordingContext.this) {
                    updates.add(v);
                    events.add(v);
                }
            }
        };
    }

    @Override
    public void addToClasspath(Path entry) {
        added.add(entry);
    }

    @Override
    public List<Path> addedClasspath() {
        return List.copyOf(added);
    }

    @Override
    public List<Path> classpath() {
        List<Path> all = new ArrayList<>(kernelClasspath);
        all.addAll(added);
        return all;
    }

    @Override
    public Object eval(String code) throws Exception {
        evaluated.add(code);
        return evaluator.eval(code);
    }

    @Override
    public MagicCatalog magics() {
        return catalog;
    }
}
