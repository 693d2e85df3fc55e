package dev.notebench.cli;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Executes notebooks and exports them to HTML with Jupyter's own {@code nbconvert}, the way a
 * reader's Jupyter would, against a kernel found through {@code JUPYTER_PATH}.
 *
 * <pre>{@code
 * Nbconvert nb = Nbconvert.find(home).withEnv(Map.of("JUPYTER_PATH", jupyterDir.toString()));
 * Path executed = nb.execute(notebook, outDir, "notebench", Duration.ofMinutes(10));
 * Path html = nb.html(executed, outDir);
 * }</pre>
 */
public final class Nbconvert {
    /** The environment variable that names a {@code jupyter} executable to use. */
    public static final String JUPYTER_ENV = "NOTEBENCH_JUPYTER";
    /** Where {@link #install(Path)} puts a private Jupyter, relative to the project. */
    public static final String VENV = "build/jupyter-venv";

    private final Path jupyter;
    private final Map<String, String> env;

    private Nbconvert(Path jupyter, Map<String, String> env) {
        this.jupyter = jupyter;
        this.env = Map.copyOf(env);
    }

    /**
     * Uses a given {@code jupyter} executable.
     *
     * @param jupyter the executable
     */
    public static Nbconvert at(Path jupyter) {
        return new Nbconvert(jupyter, Map.of());
    }

    /**
     * Finds a Jupyter with nbconvert: {@code $NOTEBENCH_JUPYTER}, then {@code jupyter} on the
     * {@code PATH}, then Debian's {@code /usr/bin/jupyter}, then the project's own
     * ({@value #VENV}).
     *
     * @param home the project directory
     * @return the Jupyter found, if any
     */
    public static Optional<Nbconvert> find(Path home) {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv(JUPYTER_ENV);
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "jupyter"));
            }
        }
        candidates.add(Path.of("/usr/bin/jupyter"));
        candidates.add(home.resolve(VENV).resolve("bin/jupyter"));
        for (Path c : candidates) {
            if (Files.isExecutable(c) && works(c)) {
                return Optional.of(at(c));
            }
        }
        return Optional.empty();
    }

    /**
     * Installs nbconvert into a private virtual environment of the project with pip, for
     * machines without Jupyter.
     *
     * @param home the project directory
     * @return the installed Jupyter
     * @throws NotebenchException with {@link ErrorCode#DEPENDENCY_MISSING} when it cannot
     */
    public static Nbconvert install(Path home) {
        Path venv = home.resolve(VENV);
        String python = System.getenv().getOrDefault("NOTEBENCH_PYTHON", "python3");
        String hint = "; install Jupyter yourself (Debian: sudo apt-get install jupyter-nbconvert python3-nbclient"
                + " jupyter-client; or pip install nbconvert nbclient) or set " + JUPYTER_ENV + " to a jupyter executable";
        run(List.of(python, "-m", "venv", venv.toString()), Map.of(), Duration.ofMinutes(2),
                "cannot create a Python virtual environment in " + venv + hint);
        run(List.of(venv.resolve("bin/pip").toString(), "install", "--quiet", "--disable-pip-version-check",
                        "--retries", "1", "--timeout", "20",
                        "nbconvert", "nbclient", "jupyter_client", "nbformat"), Map.of(), Duration.ofMinutes(10),
                "cannot pip-install nbconvert into " + venv + hint);
        Path jupyter = venv.resolve("bin/jupyter");
        if (!works(jupyter)) {
            throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING, jupyter + " does not run nbconvert" + hint);
        }
        return at(jupyter);
    }

    /**
     * Returns a copy that runs Jupyter with extra environment variables
     * ({@code JUPYTER_PATH}, {@code JUPYTER_DATA_DIR}, ...).
     *
     * @param extra the variables
     */
    public Nbconvert withEnv(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(extra);
        return new Nbconvert(jupyter, merged);
    }

    /** Returns the {@code jupyter} executable. */
    public Path jupyter() {
        return jupyter;
    }

    /**
     * Executes every cell of a notebook and saves it with its outputs.
     *
     * @param notebook the notebook
     * @param outDir where the executed notebook goes (same file name)
     * @param kernelName the kernel to run it with
     * @param cellTimeout the longest a single cell may run
     * @return the executed notebook
     * @throws NotebenchException with {@link ErrorCode#KERNEL_FAILED} naming the failing cell's error
     */
    public Path execute(Path notebook, Path outDir, String kernelName, Duration cellTimeout) {
        Objects.requireNonNull(notebook, "notebook");
        if (!Files.isRegularFile(notebook)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "notebook " + notebook + " does not exist");
        }
        run(List.of(jupyter.toString(), "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.kernel_name=" + kernelName,
                        "--ExecutePreprocessor.timeout=" + cellTimeout.toSeconds(),
                        "--output-dir", outDir.toString(), "--output", notebook.getFileName().toString(),
                        notebook.toString()),
                env, cellTimeout.multipliedBy(4).plusMinutes(2), "executing " + notebook + " failed");
        return outDir.resolve(notebook.getFileName());
    }

    /**
     * Exports a notebook, as it is, to one HTML file.
     *
     * @param notebook the notebook, usually executed
     * @param outDir where the HTML goes
     * @return the HTML file
     */
    public Path html(Path notebook, Path outDir) {
        String name = notebook.getFileName().toString().replaceFirst("\\.ipynb$", "");
        run(List.of(jupyter.toString(), "nbconvert", "--to", "html", "--output-dir", outDir.toString(),
                "--output", name, notebook.toString()), env, Duration.ofMinutes(5), "exporting " + notebook + " to HTML failed");
        return outDir.resolve(name + ".html");
    }

    private static boolean works(Path jupyter) {
        try {
            Process p = new ProcessBuilder(jupyter.toString(), "nbconvert", "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(List<String> command, Map<String, String> env, Duration timeout, String what) {
        Path log;
        try {
            log = Files.createTempFile("notebench-nbconvert", ".log");
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.KERNEL_FAILED, what + ": cannot create a log file: " + e.getMessage(), e);
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new NotebenchException(ErrorCode.KERNEL_FAILED, what + ": no result after " + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new NotebenchException(ErrorCode.KERNEL_FAILED, what + ":\n" + tail(log));
            }
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING, what + ": cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotebenchException(ErrorCode.CANCELLED, what + ": interrupted", e);
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a stray temp file is harmless
            }
        }
    }

    /** The end of nbconvert's output: where it names the failing cell and its error. */
    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int from = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("An error occurred while executing the following cell")) {
                from = i;
            }
        }
        if (from == 0) {
            from = Math.max(0, lines.size() - 30);
        }
        return String.join("\n", lines.subList(from, lines.size()));
    }
}
