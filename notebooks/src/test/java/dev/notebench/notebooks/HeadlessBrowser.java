package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Chromium, headless, with every host name unresolvable, so a page that needs the network
 * to draw shows it. Returns the DOM after the page's scripts ran.
 */
final class HeadlessBrowser {
    private HeadlessBrowser() {
    }

    static Path chromium() {
        for (String c : List.of(System.getenv().getOrDefault("NOTEBENCH_CHROMIUM", ""), "/usr/bin/chromium",
                "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (!c.isEmpty() && Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        throw new IllegalStateException("no Chromium: run .ci/install-deps (Debian package chromium) or set NOTEBENCH_CHROMIUM");
    }

    /** Chromium, headless, with every host name unresolvable and 15 s of page time for scripts. */
    private static List<String> offline() {
        return List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=15000");
    }

    /** Loads a file with the network off and returns the DOM after scripts ran (up to 15 s of page time). */
    static String domOffline(Path page, Path profile) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(offline());
        cmd.addAll(List.of("--user-data-dir=" + profile, "--dump-dom", page.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium timed out on " + page);
        return dom;
    }

    /** What a page did in the browser: its DOM after scripts ran, and the console messages it logged as errors. */
    record Page(String dom, List<String> consoleErrors) {
    }

    /**
     * Loads a file with the network off, returns its DOM and the errors its scripts logged to the
     * console, and saves a screenshot of it (1280 x 2400 pixels).
     *
     * @param page the HTML file
     * @param profile a fresh browser profile directory
     * @param screenshot where the PNG goes; null for none
     */
    static Page open(Path page, Path profile, Path screenshot) throws IOException, InterruptedException {
        Path log = profile.resolveSibling(profile.getFileName() + "-console.log");
        List<String> dump = new java.util.ArrayList<>(logging());
        dump.addAll(List.of("--user-data-dir=" + profile, "--dump-dom", page.toUri().toString()));
        Process p = new ProcessBuilder(dump).redirectError(log.toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium timed out on " + page);
        List<String> errors = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error") || l.contains(":ERROR:")))
                .toList();
        if (screenshot != null) {
            screenshot(page, Path.of(profile + "-shot"), screenshot, 2400);
        }
        return new Page(dom, errors);
    }

    /**
     * Saves a screenshot of a page, loaded with the network off, 1280 pixels wide.
     *
     * @param page the HTML file
     * @param profile a fresh browser profile directory
     * @param screenshot where the PNG goes
     * @param height the height in pixels (the page's, for all of it), at most 16000
     */
    static void screenshot(Path page, Path profile, Path screenshot, int height) throws IOException, InterruptedException {
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        Files.deleteIfExists(screenshot);
        List<String> shot = new java.util.ArrayList<>(logging());
        shot.addAll(List.of("--user-data-dir=" + profile, "--window-size=1280," + Math.max(600, Math.min(height, 16000)),
                "--hide-scrollbars", "--screenshot=" + screenshot.toAbsolutePath(), page.toUri().toString()));
        Process s = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(s.waitFor(120, TimeUnit.SECONDS), "chromium timed out taking a screenshot of " + page);
        assertTrue(Files.isRegularFile(screenshot), "chromium saved no screenshot of " + page);
    }

    private static List<String> logging() {
        List<String> common = new java.util.ArrayList<>(offline());
        common.addAll(List.of("--enable-logging=stderr", "--v=0"));
        return common;
    }
}
