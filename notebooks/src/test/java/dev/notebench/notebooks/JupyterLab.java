package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real JupyterLab 4 (build/labenv, installed by {@code .ci/install-deps}) over a
 * {@link JupyterSandbox}'s directories, on a free loopback port with a random token, and the
 * scenarios of {@code notebooks/src/test/js} that drive it in Debian's headless Chromium.
 *
 * <p>JupyterLab reaches for nothing outside: no news feed, no update check, a read-only
 * extension manager, and Chromium resolves no host name but the loopback address. Autosave is
 * off, so the notebook on disk is what the scenario saved. Closing it stops the server and the
 * kernels it started.
 *
 * <pre>{@code
 * try (JupyterLab lab = JupyterLab.start(sandbox, workDir, JupyterLab.Kernels.SANDBOX, logDir)) {
 *     JsonObject seen = lab.drive("train-gpt", new JsonObject(), screenshots, Duration.ofMinutes(5));
 * }
 * }</pre>
 */
final class JupyterLab implements AutoCloseable {
    /** Which kernels the server offers. */
    enum Kernels {
        /** The sandbox's, where the launcher installed the Notebench kernel. */
        SANDBOX,
        /** None but JupyterLab's own Python kernel: a person without Notebench. */
        NONE
    }

    private final Process server;
    private final List<ProcessHandle> started;
    private final String url;
    private final String token;
    private final Path log;
    private double startSeconds;

    private JupyterLab(Process server, String url, String token, Path log) {
        this.server = server;
        this.started = List.of(server.toHandle());
        this.url = url;
        this.token = token;
        this.log = log;
    }

    /** The JupyterLab that {@code .ci/install-deps} installs: build/labenv/bin/jupyter-lab. */
    static Path executable() {
        Path lab = JupyterSandbox.projectHome().resolve("build/labenv/bin/jupyter-lab");
        if (!Files.isExecutable(lab)) {
            throw new IllegalStateException(lab + " is missing: run .ci/install-deps (it installs JupyterLab 4 and ipywidgets 8"
                    + " into build/labenv)");
        }
        return lab;
    }

    /** The folder of the page helpers and scenarios, with puppeteer-core installed (npm ci, by .ci/install-deps). */
    static Path scripts() {
        Path js = JupyterSandbox.projectHome().resolve("notebooks/src/test/js");
        if (!Files.isDirectory(js.resolve("node_modules/puppeteer-core"))) {
            throw new IllegalStateException(js.resolve("node_modules/puppeteer-core") + " is missing: run .ci/install-deps"
                    + " (it runs npm ci there)");
        }
        return js;
    }

    /**
     * Starts JupyterLab serving {@code root} and waits until it answers.
     *
     * @param sandbox the Jupyter directories (data, runtime, config) and the kernel's environment
     * @param root the folder JupyterLab serves; notebooks are opened by paths relative to it
     * @param kernels which kernels it offers
     * @param logDir where the server's log goes (lab-N.log)
     */
    static JupyterLab start(JupyterSandbox sandbox, Path root, Kernels kernels, Path logDir)
            throws IOException, InterruptedException {
        Path lab = executable();
        configure(sandbox.dir.resolve("config"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Files.createDirectories(logDir);
        Path log = logDir.resolve("lab-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(lab.toString(), "--port=" + port, "--ServerApp.root_dir=" + root,
                "--IdentityProvider.token=" + token)
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        if (kernels == Kernels.NONE) {
            // also hides a Notebench kernel installed into build/labenv itself (README)
            pb.command().add("--KernelSpecManager.allowed_kernelspecs=python3");
        }
        pb.environment().putAll(sandbox.env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        JupyterLab started = new JupyterLab(p, "http://127.0.0.1:" + port, token, log);
        try {
            started.awaitReady(Duration.ofSeconds(90));
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            started.close();
            throw e;
        }
        started.startSeconds = (System.nanoTime() - t0) / 1e9;
        return started;
    }

    /**
     * Writes the server's configuration into the sandbox's config directory: loopback only, root
     * allowed (CI runs as root), nothing fetched from outside, autosave off.
     */
    private static void configure(Path config) throws IOException {
        Files.createDirectories(config.resolve("labconfig"));
        Files.writeString(config.resolve("jupyter_server_config.json"), """
                {
                  "ServerApp": {"ip": "127.0.0.1", "open_browser": false, "port_retries": 0, "allow_root": true},
                  "LabApp": {"news_url": null, "extension_manager": "readonly",
                             "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
                             "expose_app_in_browser": true}
                }
                """, StandardCharsets.UTF_8);
        Files.writeString(config.resolve("labconfig/page_config.json"), """
                {"disabledExtensions": {"@jupyterlab/extensionmanager-extension": true,
                                        "@jupyterlab/apputils-extension:announcements": true}}
                """, StandardCharsets.UTF_8);
        Files.writeString(config.resolve("labconfig/default_setting_overrides.json"), """
                {
                  "@jupyterlab/apputils-extension:notification": {"checkForUpdates": false, "fetchNews": "false"},
                  "@jupyterlab/docmanager-extension:plugin": {"autosave": false}
                }
                """, StandardCharsets.UTF_8);
    }

    private void awaitReady(Duration limit) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest status = HttpRequest.newBuilder(URI.create(url + "/api/status"))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(5)).build();
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!server.isAlive()) {
                throw new AssertionError("JupyterLab exited with status " + server.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("JupyterLab did not answer on " + url + " within " + limit.toSeconds() + " s:\n" + logTail());
    }

    /** Seconds from starting the process to its first answer. */
    double startSeconds() {
        return startSeconds;
    }

    /**
     * Runs {@code node lab.mjs SCENARIO} against this server and returns the JSON it printed:
     * {@code result} (what the scenario returned), {@code externalRequests}, {@code pageErrors} (uncaught script errors),
     * {@code consoleErrors}, {@code screenshots}, {@code seconds}.
     *
     * @param scenario the name of a file in scenarios/, without .mjs
     * @param args handed to the scenario
     * @param screenshots where its screenshots go, and what it printed (SCENARIO.json)
     * @param limit how long it may take
     */
    JsonObject drive(String scenario, JsonObject args, Path screenshots, Duration limit) throws IOException, InterruptedException {
        Path js = scripts();
        Files.createDirectories(screenshots);
        Path stderr = Files.createTempFile(log.getParent(), scenario + "-", ".stderr.txt");
        ProcessBuilder pb = new ProcessBuilder("node", js.resolve("lab.mjs").toString(), scenario)
                .directory(js.toFile()).redirectError(stderr.toFile());
        pb.environment().putAll(Map.of("NOTEBENCH_LAB_URL", url, "NOTEBENCH_LAB_TOKEN", token,
                "NOTEBENCH_CHROMIUM", HeadlessBrowser.chromium().toString(),
                "NOTEBENCH_LAB_OUT", screenshots.toAbsolutePath().toString(), "NOTEBENCH_LAB_ARGS", args.toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertTrue(done, "scenario " + scenario + " ran past " + limit.toSeconds() + " s:\n" + err);
        assertEquals(0, p.exitValue(), "scenario " + scenario + " failed:\n" + err + "\nJupyterLab's log:\n" + logTail());
        String seen = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        Files.writeString(screenshots.resolve(scenario + ".json"), seen, StandardCharsets.UTF_8); // for a reviewer, beside the screenshots
        return JsonParser.parseString(seen).getAsJsonObject();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server (it shuts its kernels down); anything of it still running after 20 s is killed. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> tree = new java.util.ArrayList<>(started);
        server.descendants().forEach(tree::add);
        server.destroy();
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }
}
