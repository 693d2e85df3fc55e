package dev.notebench.kernel.eval;

import dev.notebench.kernel.JvmClasspath;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Evaluates Java cells with JShell, running their code in this JVM so that the objects cells make
 * are real objects the kernel can render. Not thread-safe: one cell at a time, as Jupyter sends
 * them; {@link #interrupt()} may be called from any thread.
 *
 * <pre>{@code
 * try (CellEvaluator cells = CellEvaluator.builder().startup("import java.util.*;").build()) {
 *     Object value = cells.eval("var xs = List.of(1, 2, 3);\nxs.size()");   // 3
 * }
 * }</pre>
 */
public final class CellEvaluator implements AutoCloseable {
    private final JShell shell;
    private final CellExecutionControl control;
    /** Evaluations under way: 1 for a cell, more while a magic in it evaluates code. */
    private final AtomicInteger depth = new AtomicInteger();
    private final List<Path> kernelClasspath;
    private final List<Path> added = new CopyOnWriteArrayList<>();

    private CellEvaluator(Builder b) {
        this.kernelClasspath = List.copyOf(b.classpath);
        this.control = new CellExecutionControl(new CellClassLoader(b.parent));
        JShell.Builder jb = JShell.builder().executionEngine(new ExecutionControlProvider() {
            @Override
            public String name() {
                return "notebench";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        }, Map.of());
        List<String> options = new ArrayList<>(b.compilerOptions);
        if (b.explicitClasspath) {
            options.add("--class-path");
            options.add(kernelClasspath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        }
        this.shell = jb.compilerOptions(options.toArray(new String[0])).build();
        if (!b.startup.isBlank()) {
            try {
                eval(b.startup);
            } catch (CellException e) {
                shell.close();
                throw new IllegalStateException("the kernel's startup code failed: " + String.join(" ", e.lines()), e);
            }
        }
    }

    /** Returns a builder: the kernel's own classpath, no startup code. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Evaluates Java source (no magics), snippet by snippet, and returns the value of the last
     * snippet if it is an expression not ended by a semicolon (a trailing {@code ;} hides the
     * value, as in IPython).
     *
     * <p>With the kernel's agent installed, {@code System.exit}, {@code Runtime.exit} and
     * {@code Runtime.halt} called by the cell (or by code it calls, or by a thread it started) do
     * not end the JVM: the cell fails with a {@link CellError} saying so, and later cells go on
     * with the state earlier ones left.
     *
     * @param source Java statements, expressions and declarations
     * @return the last expression's value, or {@code null}
     * @throws CellException when the source does not compile, is incomplete, throws, calls
     *     {@code System.exit} or is interrupted
     */
    public Object eval(String source) throws CellException {
        if (depth.getAndIncrement() > 0) {
            try {
                return evalSnippets(source); // a magic's code within a cell: part of that cell
            } finally {
                depth.decrementAndGet();
            }
        }
        control.cellStarted(); // earlier interrupts are not for this cell
        Object value;
        ExitRefusedError refused;
        try {
            value = evalSnippets(source);
        } finally {
            depth.decrementAndGet();
            refused = control.cellEnded();
        }
        if (refused != null) {
            throw new CellError(refused); // the cell's code caught it, or a thread it started called exit
        }
        return value;
    }

    private Object evalSnippets(String source) throws CellException {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Object last = null;
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(source);
        boolean hidden = false;
        while (info.completeness().isComplete()) {
            if (control.interruptPending()) {
                throw new Interrupted(false); // between two snippets: the rest of the cell does not run
            }
            last = evalSnippet(info.source());
            hidden = info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE
                    && info.source().strip().endsWith(";");
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new IncompleteCode(info.remaining());
        }
        return hidden ? null : last;
    }

    private Object evalSnippet(String source) throws CellException {
        List<SnippetEvent> events = shell.eval(source);
        Object result = null;
        // take every result first, so that none leaks when a later event reports an error
        for (SnippetEvent e : events) {
            if (e.value() == null || e.causeSnippet() != null) {
                continue;
            }
            Snippet.SubKind kind = e.snippet().subKind();
            Object value = kind.isExecutable() ? control.takeResult(e.value()) : null;
            result = switch (kind) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> value;
                default -> null;
            };
        }
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            JShellException thrown = e.exception();
            if (thrown instanceof EvalException ee) {
                throw failure(ee);
            }
            if (thrown instanceof UnresolvedReferenceException ure) {
                throw new CellError("UnresolvedReference", unresolved(ure.getSnippet()));
            }
            if (thrown != null) {
                throw new CellError(thrown.getClass().getName(), String.valueOf(thrown.getMessage()));
            }
            if (!e.status().isDefined()) {
                throw compileError(e.snippet());
            }
        }
        return result;
    }

    private CellException failure(EvalException e) {
        if (CellExecutionControl.INTERRUPTED.equals(e.getExceptionClassName())) {
            return new Interrupted(control.lastInterruptAbandonedThread());
        }
        Throwable thrown = control.lastThrown();
        if (thrown instanceof CellException nested) {
            return nested; // a nested evaluation (a magic running code) failed: report that failure
        }
        if (thrown != null) {
            return new CellError(thrown);
        }
        return new CellError(e.getExceptionClassName(), String.valueOf(e.getMessage()));
    }

    private String unresolved(DeclarationSnippet s) {
        List<String> deps = shell.unresolvedDependencies(s).collect(Collectors.toList());
        return s.name() + " cannot be used until " + String.join(", ", deps) + " is declared";
    }

    private CompileError compileError(Snippet s) {
        List<CompileError.Problem> problems = new ArrayList<>();
        for (Diag d : shell.diagnostics(s).collect(Collectors.toList())) {
            if (d.isError()) {
                problems.add(new CompileError.Problem(d.getMessage(Locale.ROOT), s.source(),
                        d.getStartPosition(), d.getEndPosition()));
            }
        }
        if (problems.isEmpty() && s instanceof DeclarationSnippet ds) {
            problems.add(new CompileError.Problem(unresolved(ds), s.source(), -1, -1));
        }
        return new CompileError(problems);
    }

    /**
     * Says whether source is complete, per basekernel's convention: {@code "complete"},
     * {@code "invalid"}, {@code "unknown"}, or the indent for the next line when incomplete.
     *
     * @param source Java source
     */
    public String isComplete(String source) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(source);
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case EMPTY, COMPLETE, COMPLETE_WITH_SEMI -> "complete";
            case UNKNOWN -> "invalid";
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> indentAfter(source);
        };
    }

    private static String indentAfter(String partial) {
        String[] lines = partial.split("\\R", -1);
        String last = lines[lines.length - 1];
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        long opens = last.chars().filter(c -> c == '{' || c == '(').count();
        long closes = last.chars().filter(c -> c == '}' || c == ')').count();
        return opens > closes ? indent + "    " : indent;
    }

    /**
     * Completion candidates at a cursor.
     *
     * @param code the cell's source
     * @param cursor the cursor offset
     * @return the candidates and the range they replace
     */
    public Completion complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                shell.sourceCodeAnalysis().completionSuggestions(code, cursor, anchor);
        List<String> options = suggestions.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new Completion(options, anchor[0], cursor);
    }

    /**
     * Completion candidates and the range of the source they replace.
     *
     * @param options the candidates, best first
     * @param start the start of the replaced range
     * @param end the end of the replaced range
     */
    public record Completion(List<String> options, int start, int end) {
    }

    /**
     * Returns the signature and Javadoc of what is at the cursor, or an empty string.
     *
     * @param code the cell's source
     * @param cursor the cursor offset
     */
    public String documentation(String code, int cursor) {
        return shell.sourceCodeAnalysis().documentation(code, cursor, true).stream()
                .map(d -> d.javadoc() == null ? d.signature() : d.signature() + "\n" + d.javadoc())
                .collect(Collectors.joining("\n\n"));
    }

    /**
     * Makes a jar or directory visible to the compiler and the class loader of later cells.
     *
     * @param entry an existing jar or directory
     */
    public void addToClasspath(Path entry) {
        Path abs = Objects.requireNonNull(entry, "entry").toAbsolutePath().normalize();
        if (!added.contains(abs)) {
            shell.addToClasspath(abs.toString());
            added.add(abs);
        }
    }

    /** Returns the entries added with {@link #addToClasspath}, in order. */
    public List<Path> addedClasspath() {
        return List.copyOf(added);
    }

    /** Returns the kernel's classpath followed by the added entries. */
    public List<Path> classpath() {
        List<Path> all = new ArrayList<>(kernelClasspath);
        all.addAll(added);
        return all;
    }

    /** Returns the class loader of cell code (the context loader of cell threads). */
    public ClassLoader classLoader() {
        return control.loader();
    }

    /**
     * Interrupts the running cell, if any: its running code, and the snippets of it that have yet
     * to start (also while JShell compiles one). Code compiled from cells stops at its next loop
     * iteration or method call even if it never checks {@link Thread#interrupted()}; code in
     * libraries it calls is interrupted and waited for. Safe to call from any thread.
     */
    public void interrupt() {
        control.interrupt();
    }

    /** Stops JShell and the cell threads. */
    @Override
    public void close() {
        shell.close();
        control.close();
        try {
            control.loader().close();
        } catch (java.io.IOException e) {
            // nothing useful to do: the loader's jars are closed as far as possible
        }
    }

    /** Configures a {@link CellEvaluator}. */
    public static final class Builder {
        private List<Path> classpath = JvmClasspath.ofThisJvm();
        private boolean explicitClasspath;
        private ClassLoader parent = CellEvaluator.class.getClassLoader();
        private String startup = "";
        private final List<String> compilerOptions = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the classpath cells compile against, when it is not this JVM's
         * {@code java.class.path} (a test harness's, say).
         *
         * @param entries jars and directories
         */
        public Builder classpath(List<Path> entries) {
            this.classpath = List.copyOf(entries);
            this.explicitClasspath = true;
            return this;
        }

        /**
         * Sets the parent of the cell class loader (default: the kernel's).
         *
         * @param parent the loader whose classes cells use
         */
        public Builder parentLoader(ClassLoader parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /**
         * Sets Java code run once before the first cell (imports, helper methods).
         *
         * @param code Java source
         */
        public Builder startup(String code) {
            this.startup = Objects.requireNonNull(code, "code");
            return this;
        }

        /**
         * Adds javac options for cells, e.g. {@code --enable-preview}.
         *
         * @param options the options
         */
        public Builder compilerOptions(List<String> options) {
            this.compilerOptions.addAll(options);
            return this;
        }

        /** Starts JShell and runs the startup code. */
        public CellEvaluator build() {
            return new CellEvaluator(this);
        }
    }

}
