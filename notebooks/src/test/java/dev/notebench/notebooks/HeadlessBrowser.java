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

    /** Loads a file with the network off and returns the DOM after scripts ran (up to 15 s of page time). */
    static String domOffline(Path page, Path profile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile, "--virtual-time-budget=15000",
                "--dump-dom", page.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium timed out on " + page);
        return dom;
    }
}
