package dev.notebench.magics.ijava;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.magics.host.MagicCatalog;
import dev.notebench.magics.host.KernelContext;
import dev.notebench.magics.render.NotebookRenderers;
import dev.notebench.plots.PlotlyJs;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Loads Notebench's magics and renderers into a running stock IJava kernel, which bundles the
 * same jupyter-jvm-basekernel: magics go into IJava's own {@code Magics} registry.
 *
 * <pre>{@code
 * // in an IJava notebook: add the jars (IJava's own %maven skips "bundle" dependencies such as
 * // Guava, IJava#60, so use %jars, or run our %maven once more after install())
 * %jars /path/to/notebench/lib/*.jar
 * var nb = dev.notebench.magics.ijava.IJavaSupport.install();
 * %lsmagic
 * }</pre>
 *
 * <p>Known differences from the Notebench kernel: IJava routes output only while a cell runs, so
 * displays updated from background threads after their cell finished are dropped; IJava wraps
 * magic errors in its own message and stack trace; it splits {@code %time}'s line into words and
 * drops quotes (use {@code %%time}); and libraries bundled in IJava's jar (Gson, commons-lang3,
 * maven-model 3.6) take precedence over newer versions on the classpath.
 */
public final class IJavaSupport {
    static final String IJAVA_CLASS = "io.github.spencerpark.ijava.IJava";

    /** Installs per kernel instance, so that calling {@link #install()} again changes nothing. */
    private static final Map<Object, KernelContext> INSTALLED = new WeakHashMap<>();

    private IJavaSupport() {
    }

    /**
     * Registers every {@link dev.notebench.magics.MagicsProvider} visible to this class's loader
     * and the Notebench renderers into the IJava kernel of this JVM.
     *
     * @return the context the magics use, e.g. to {@code display()} from toolkit code
     * @throws NotebenchException with {@link ErrorCode#KERNEL_FAILED} when no IJava kernel runs here
     */
    public static KernelContext install() {
        Object kernel;
        try {
            Class<?> holder = Class.forName(IJAVA_CLASS, true, contextLoader());
            kernel = holder.getMethod("getKernelInstance").invoke(null);
        } catch (ClassNotFoundException e) {
            throw new NotebenchException(ErrorCode.KERNEL_FAILED,
                    "no IJava kernel in this JVM; IJavaSupport.install() is for IJava notebooks (the Notebench kernel loads its magics itself)", e);
        } catch (ReflectiveOperationException e) {
            throw new NotebenchException(ErrorCode.KERNEL_FAILED, "cannot reach the IJava kernel: " + e, e);
        }
        if (!(kernel instanceof BaseKernel base)) {
            throw new NotebenchException(ErrorCode.KERNEL_FAILED,
                    "the IJava kernel is not running (or not built on jupyter-jvm-basekernel 2.x); run this in an IJava notebook cell");
        }
        synchronized (INSTALLED) {
            KernelContext done = INSTALLED.get(base);
            if (done != null) {
                return done;
            }
            IJavaContext context = new IJavaContext(base);
            NotebookRenderers.builder().build().registerInto(base.getRenderer());
            context.catalog.loadProviders(context, IJavaSupport.class.getClassLoader());
            DisplayData loader = new DisplayData();
            loader.putHTML(PlotlyJs.loaderScript());
            base.display(loader);
            INSTALLED.put(base, context);
            return context;
        }
    }

    private static ClassLoader contextLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : IJavaSupport.class.getClassLoader();
    }

    /** IJava's kernel, seen through the methods IJava's {@code JavaKernel} has. */
    private static final class IJavaContext implements KernelContext, Display {
        private final BaseKernel kernel;
        private final MagicCatalog catalog;
        private final Method addToClasspath;
        private final Method evalRaw;
        private final List<Path> added = new CopyOnWriteArrayList<>();

        IJavaContext(BaseKernel kernel) {
            this.kernel = kernel;
            try {
                this.catalog = new MagicCatalog((Magics) kernel.getClass().getMethod("getMagics").invoke(kernel));
                this.addToClasspath = kernel.getClass().getMethod("addToClasspath", String.class);
                this.evalRaw = kernel.getClass().getMethod("evalRaw", String.class);
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new NotebenchException(ErrorCode.KERNEL_FAILED,
                        "this IJava version lacks getMagics/addToClasspath/evalRaw; use IJava 1.3 or the Notebench kernel", e);
            }
        }

        @Override
        public Renderer renderer() {
            return kernel.getRenderer();
        }

        @Override
        public Map<String, String> environment() {
            return System.getenv(); // IJava's kernel process: this is its edge
        }

        @Override
        public Display display() {
            return this;
        }

        @Override
        public DisplayHandle show(Object value) {
            DisplayData data = kernel.getRenderer().render(value);
            String id = UUID.randomUUID().toString();
            data.setDisplayId(id);
            kernel.display(data);
            return new DisplayHandle() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public void update(Object next) {
                    kernel.getIO().display.updateDisplay(id, kernel.getRenderer().render(next));
                }
            };
        }

        @Override
        public void addToClasspath(Path entry) {
            Objects.requireNonNull(entry, "entry");
            if (!Files.exists(entry)) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, entry + " does not exist; give an existing jar or directory");
            }
            Path abs = entry.toAbsolutePath().normalize();
            call(addToClasspath, abs.toString());
            added.add(abs);
        }

        @Override
        public List<Path> addedClasspath() {
            return List.copyOf(added);
        }

        @Override
        public List<Path> classpath() {
            Set<Path> all = new LinkedHashSet<>();
            for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                if (!e.isEmpty()) {
                    all.add(Path.of(e).toAbsolutePath().normalize());
                }
            }
            // jars added with %jars or IJava's %maven before install() live in JShell's loader
            if (IJavaSupport.class.getClassLoader() instanceof URLClassLoader cells) {
                for (URL u : cells.getURLs()) {
                    try {
                        all.add(Path.of(u.toURI()).toAbsolutePath().normalize());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a file: nothing a magic can compare with
                    }
                }
            }
            all.addAll(added);
            return List.copyOf(all);
        }

        @Override
        public Object eval(String code) throws Exception {
            try {
                return evalRaw.invoke(kernel, code);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex && ex.getMessage() == null) {
                    // IJava's compile errors carry no message; its formatter has the compiler's words
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, String.join("\n", kernel.formatError(ex))
                            + "\n(IJava splits a magic's line into words and drops quotes; %%time takes the code verbatim)", ex);
                }
                throw cause instanceof Exception ex ? ex : e;
            }
        }

        @Override
        public String toString() {
            return "Notebench magics installed in IJava; %lsmagic lists them";
        }

        @Override
        public MagicCatalog magics() {
            return catalog;
        }

        private Object call(Method m, Object arg) {
            try {
                return m.invoke(kernel, arg);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new NotebenchException(ErrorCode.KERNEL_FAILED, "IJava failed: " + e.getCause(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new NotebenchException(ErrorCode.KERNEL_FAILED, "cannot call IJava's " + m.getName(), e);
            }
        }
    }
}
