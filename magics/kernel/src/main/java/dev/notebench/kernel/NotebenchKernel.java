package dev.notebench.kernel;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.display.Display;
import dev.notebench.kernel.comm.KernelComms;
import dev.notebench.kernel.eval.CellEvaluator;
import dev.notebench.kernel.eval.CellException;
import dev.notebench.kernel.eval.MagicTranslator;
import dev.notebench.kernel.eval.UsageError;
import dev.notebench.kernel.runtime.CellSession;
import dev.notebench.kernel.runtime.CellSessions;
import dev.notebench.magics.host.MagicCatalog;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.host.KernelContext;
import dev.notebench.magics.render.NotebookRenderers;
import dev.notebench.widgets.WidgetSession;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicArgsParseException;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import io.github.spencerpark.jupyter.kernel.magic.registry.UndefinedMagicException;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jupyter kernel for Java: cells run in JShell inside this JVM, magics come from every
 * {@link dev.notebench.magics.MagicsProvider} on the classpath (and in jars added later), and
 * Tablesaw tables and figures render as HTML and offline plots.
 *
 * <pre>{@code
 * NotebenchKernel kernel = NotebenchKernel.builder().build();
 * JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(json));
 * kernel.becomeHandlerForConnection(connection);
 * connection.connect();
 * connection.waitUntilClose();
 * kernel.close();
 * }</pre>
 */
public final class NotebenchKernel extends BaseKernel implements AutoCloseable {
    /** The kernel's version, as shown in its banner. */
    public static final String VERSION = versionOf(NotebenchKernel.class);

    private static final Logger log = LoggerFactory.getLogger(NotebenchKernel.class);
    private static final Pattern MAGIC_PREFIX = Pattern.compile("(?m)^\\s*(%%?)(\\w*)$");

    private final CompletableFuture<CellEvaluator> cells;
    private final MagicCatalog catalog;
    private final MagicTranslator translator;
    private final KernelDisplay display;
    private final KernelComms comms = new KernelComms();
    private final WidgetSession widgets = new WidgetSession(comms, comms::problem);
    private volatile ShellDispatch shell;
    private final CellSessions.Binding binding;
    private final Context context = new Context();
    private final Map<String, String> environment;
    private final LanguageInfo languageInfo;

    private NotebenchKernel(Builder b) {
        this.environment = b.environment;
        this.display = new KernelDisplay(getRenderer(), widgets);
        for (String target : WidgetSession.TARGETS) {
            comms.target(target, (comm, data, metadata) -> widgets.accept(target, comm, data, metadata));
        }
        b.renderers.registerInto(getRenderer());
        this.catalog = new MagicCatalog(new Magics());
        this.translator = new MagicTranslator(name -> catalog.find(name).map(MagicCatalog.Entry::rawLine).orElse(false));
        this.binding = CellSessions.bind(new Session());
        String startup = resource("startup.jsh").replace("@SESSION@", binding.id()) + "\n" + b.startup;
        CellEvaluator.Builder eb = CellEvaluator.builder().startup(startup);
        if (b.classpath != null) {
            eb.classpath(b.classpath);
        }
        // JShell takes about a second to start: do it while the client connects
        this.cells = CompletableFuture.supplyAsync(() -> {
            CellEvaluator e = eb.build();
            List<String> loaded = catalog.loadProviders(context, e.classLoader());
            log.debug("magics providers: {}", loaded);
            return e;
        });
        this.languageInfo = new LanguageInfo.Builder("Java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
    }

    /** Returns a builder with the default renderers and this JVM's classpath. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the magics registered in this kernel, with their help. */
    public MagicCatalog magics() {
        return catalog;
    }

    /** Returns what magics see of this kernel. */
    public KernelContext context() {
        return context;
    }

    /** Returns the display toolkit code can use to show and update outputs from any thread. */
    public Display notebookDisplay() {
        return display;
    }

    /** Waits until JShell has started and the magics are loaded. */
    public void awaitReady() {
        cells();
    }

    /** Returns the widgets of this kernel: those shown, and whether a front end draws them. */
    public WidgetSession widgets() {
        return widgets;
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        display.attach(connection.getIOPub());
        comms.attach(connection.getIOPub());
        ShellHandler<ExecuteRequest> execute = connection.getHandler(MessageType.EXECUTE_REQUEST);
        this.shell = ShellDispatch.install(connection, comms, (env, message) -> {
            display.setContext(message);
            comms.setContext(message);
            execute.handle(env, message);
        });
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " :: Notebench kernel " + VERSION
                + "\n%lsmagic lists the magics; %help NAME explains one.";
    }

    @Override
    public List<LanguageInfo.Help> getHelpLinks() {
        return List.of(new LanguageInfo.Help("Java SE API", "https://docs.oracle.com/en/java/javase/17/docs/api/"));
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        Object value = evalRaw(code);
        if (value == null) {
            return null;
        }
        DisplayData data = display.render(value);
        display.preparePage(data);
        return data;
    }

    /**
     * Evaluates a cell, magics included, and returns the value of its last expression.
     *
     * @param code the cell
     * @return the value, or {@code null}
     * @throws CellException how the cell failed
     */
    public Object evalRaw(String code) throws CellException {
        return cells().eval(translator.translate(code));
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof CellException c) {
            return c.lines();
        }
        return List.of(e.toString());
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        Matcher m = MAGIC_PREFIX.matcher(code.substring(lineStart, at));
        if (m.matches()) {
            boolean cell = m.group(1).length() == 2;
            List<String> names = new ArrayList<>();
            for (MagicCatalog.Entry entry : catalog.all()) {
                if ((cell ? entry.cell() : entry.line()) && entry.name().startsWith(m.group(2))) {
                    names.add(entry.name());
                }
            }
            return names.isEmpty() ? null : new ReplacementOptions(names, at - m.group(2).length(), at);
        }
        CellEvaluator.Completion c = cells().complete(code, at);
        return c.options().isEmpty() ? null : new ReplacementOptions(c.options(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        if (code.stripLeading().startsWith("%%")) {
            return IS_COMPLETE_YES;
        }
        try {
            return cells().isComplete(translator.translate(code));
        } catch (UsageError e) {
            return IS_COMPLETE_BAD;
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String doc = cells().documentation(code, at);
        return doc.isEmpty() ? null : new DisplayData(doc);
    }

    @Override
    public void interrupt() {
        if (cells.isDone()) {
            cells().interrupt();
        }
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        close();
    }

    /**
     * Releases the widgets (the front end gets {@code comm_close} for each), JShell, the cell
     * threads and the magics' resources.
     */
    @Override
    public void close() {
        widgets.close();
        comms.close();
        ShellDispatch s = shell;
        if (s != null) {
            s.close();
        }
        binding.close();
        catalog.close();
        if (cells.isDone() && !cells.isCompletedExceptionally()) {
            cells.join().close();
        }
    }

    private CellEvaluator cells() {
        try {
            return cells.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new NotebenchException(ErrorCode.KERNEL_FAILED,
                    "the Java shell did not start: " + cause.getMessage()
                            + "; check the kernel's JVM options and classpath (./notebench kernel install)", cause);
        }
    }

    private static String resource(String name) {
        try (InputStream in = NotebenchKernel.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the kernel jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String versionOf(Class<?> c) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** What cell code reaches through its startup helpers. */
    private final class Session implements CellSession {
        @Override
        public String display(Object value, String... mimeTypes) {
            return display.display(value, mimeTypes);
        }

        @Override
        public void updateDisplay(String displayId, Object value, String... mimeTypes) {
            display.update(displayId, value, mimeTypes);
        }

        @Override
        public Object lineMagic(String name, List<String> args) throws Exception {
            try {
                return catalog.registry().applyLineMagic(name, args);
            } catch (RuntimeException e) {
                throw usage(name, true, e);
            }
        }

        @Override
        public Object cellMagic(String name, List<String> args, String body) throws Exception {
            try {
                return catalog.registry().applyCellMagic(name, args, body);
            } catch (RuntimeException e) {
                throw usage(name, false, e);
            }
        }

        private Exception usage(String name, boolean line, RuntimeException e) {
            String magic = (line ? "%" : "%%") + name;
            if (e instanceof UndefinedMagicException) {
                boolean other = catalog.find(name).map(en -> line ? en.cell() : en.line()).orElse(false);
                return new UsageError(other
                        ? magic + " does not exist, but " + (line ? "%%" : "%") + name + " does; %help " + name + " shows how to use it"
                        : "there is no magic " + magic + "; %lsmagic lists the magics of this kernel");
            }
            if (e instanceof MagicUsageException) {
                return new UsageError(e.getMessage());
            }
            if (e instanceof MagicArgsParseException) {
                String usage = catalog.find(name).map(MagicCatalog.Entry::usage).orElse(magic);
                return new UsageError(magic + ": " + e.getMessage() + " Usage: " + usage);
            }
            return e;
        }

        @Override
        public Display notebook() {
            return display;
        }
    }

    /** What magics see of this kernel. */
    private final class Context implements KernelContext {
        @Override
        public Renderer renderer() {
            return getRenderer();
        }

        @Override
        public Map<String, String> environment() {
            return environment;
        }

        @Override
        public Display display() {
            return display;
        }

        @Override
        public void addToClasspath(Path entry) {
            Objects.requireNonNull(entry, "entry");
            if (!Files.exists(entry)) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND,
                        entry + " does not exist; give an existing jar file or class directory");
            }
            CellEvaluator e = cells();
            e.addToClasspath(entry);
            // a jar added now may bring magics of its own
            catalog.loadProviders(this, e.classLoader());
        }

        @Override
        public List<Path> addedClasspath() {
            return cells().addedClasspath();
        }

        @Override
        public List<Path> classpath() {
            return cells().classpath();
        }

        @Override
        public Object eval(String code) throws Exception {
            return evalRaw(code);
        }

        @Override
        public MagicCatalog magics() {
            return catalog;
        }
    }

    /** Configures a {@link NotebenchKernel}. */
    public static final class Builder {
        private NotebookRenderers renderers = NotebookRenderers.builder().build();
        private List<Path> classpath;
        private String startup = "";
        private Map<String, String> environment = Map.of();

        private Builder() {
        }

        /**
         * Sets the environment the kernel's magics see (API keys and webhook URLs named by their
         * options); the kernel's main passes its process's, read there, at the edge.
         *
         * @param environment the variables; default none
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /**
         * Sets how tables and figures render.
         *
         * @param renderers the renderers
         */
        public Builder renderers(NotebookRenderers renderers) {
            this.renderers = Objects.requireNonNull(renderers, "renderers");
            return this;
        }

        /**
         * Sets the classpath cells compile against, when it is not this JVM's.
         *
         * @param entries jars and directories
         */
        public Builder classpath(List<Path> entries) {
            this.classpath = List.copyOf(entries);
            return this;
        }

        /**
         * Adds Java code run before the first cell, after the kernel's own startup code.
         *
         * @param code Java source
         */
        public Builder startup(String code) {
            this.startup = this.startup + code + "\n";
            return this;
        }

        /** Creates the kernel; JShell starts in the background. */
        public NotebenchKernel build() {
            return new NotebenchKernel(this);
        }
    }
}
