package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.notebench.cli.Nbconvert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Jupyter for tests: temporary data, runtime and config directories, the Notebench
 * kernel installed into them by the real launcher ({@code ./notebench kernel install --prefix}),
 * and the machine's real Jupyter (nbconvert, jupyter_client) pointed at them.
 */
final class JupyterSandbox {
    static final String KERNEL = "notebench";

    final Path home;
    final Path dir;
    final Map<String, String> env = new LinkedHashMap<>();
    final Nbconvert nbconvert;

    private JupyterSandbox(Path home, Path dir, Nbconvert jupyter) {
        this.home = home;
        this.dir = dir;
        env.put("JUPYTER_PATH", dir.resolve("share/jupyter").toString());
        env.put("JUPYTER_DATA_DIR", dir.resolve("data").toString());
        env.put("JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", dir.resolve("config").toString());
        env.put("JUPYTER_PLATFORM_DIRS", "1");
        env.put("NOTEBENCH_DEMO_STEPS", "30"); // the training notebooks take their step count from here
        env.put("NOTEBENCH_MODELS", projectHome().resolve("build/models").toString()); // not the home directory
        this.nbconvert = jupyter.withEnv(env);
    }

    /** The project directory: where the launcher, notebooks and datasets are. */
    static Path projectHome() {
        return Path.of(System.getProperty("notebench.home", "..")).toAbsolutePath().normalize();
    }

    /** Finds Jupyter and installs the kernel into a fresh sandbox under {@code dir}. */
    static JupyterSandbox create(Path dir) throws Exception {
        Path home = projectHome();
        Nbconvert nb = Nbconvert.find(home).orElseThrow(() -> new IllegalStateException(
                "no Jupyter with nbconvert on this machine: run .ci/install-deps (Debian packages) or set "
                        + Nbconvert.JUPYTER_ENV + " to a jupyter executable"));
        JupyterSandbox box = new JupyterSandbox(home, dir, nb);
        box.launcher(List.of("kernel", "install", "--prefix", dir.toString(), "--name", KERNEL));
        return box;
    }

    /** Runs {@code ./notebench ARGS} without rebuilding; returns its output. */
    String launcher(List<String> args) throws IOException, InterruptedException {
        return launcher(Path.of("").toAbsolutePath(), args);
    }

    /** Runs {@code ./notebench ARGS} in a folder (paths in ARGS and in the files it reads are relative to it). */
    String launcher(Path dir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("notebench").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("NOTEBENCH_NO_BUILD", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "launcher timed out: " + out);
        assertEquals(0, p.exitValue(), "./notebench " + String.join(" ", args) + " failed:\n" + out);
        return out;
    }

    /** The Python that runs Jupyter (from the jupyter script's #! line), which has jupyter_client. */
    Path python() throws IOException {
        String first = Files.readAllLines(nbconvert.jupyter(), StandardCharsets.UTF_8).get(0);
        if (!first.startsWith("#!")) {
            throw new IllegalStateException(nbconvert.jupyter() + " is not a Python script; cannot find its Python");
        }
        return Path.of(first.substring(2).strip().split("\\s+")[0]);
    }
}
