package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.notebench.cli.Nbconvert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays binder/postBuild the way mybinder.org runs it: from the root of a fresh copy of the
 * repository, as a user whose HOME has no Jupyter kernels; then executes the quickstart with the
 * kernel it installed. The Maven caches (wrapper distribution, local repository) are shared with
 * this machine's so the replay does not download the world again.
 */
class BinderReplayIT {
    @TempDir
    Path tmp;

    @Test
    void postBuildInstallsAKernelThatRunsTheQuickstart() throws Exception {
        Path home = JupyterSandbox.projectHome();
        Path repo = copyTrackedFiles(home, tmp.resolve("repo"));
        Path userHome = Files.createDirectories(tmp.resolve("home"));
        Path m2 = Path.of(System.getProperty("user.home"), ".m2");

        ProcessBuilder pb = new ProcessBuilder("bash", "binder/postBuild").directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("postBuild.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("JUPYTER_"));
        env.put("HOME", userHome.toString());
        env.put("MAVEN_USER_HOME", m2.toString());
        env.put("MAVEN_OPTS", "-Dmaven.repo.local=" + m2.resolve("repository"));
        env.put("PATH", jupyterBin() + ":" + env.getOrDefault("PATH", ""));
        Process p = pb.start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "postBuild timed out");
        String log = Files.readString(tmp.resolve("postBuild.log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "binder/postBuild failed:\n" + log);

        Path spec = userHome.resolve(".local/share/jupyter/kernels/notebench/kernel.json");
        assertTrue(Files.isRegularFile(spec), "postBuild installed the kernel for the user:\n" + log);
        assertTrue(log.contains("notebench"), "jupyter kernelspec list shows it:\n" + log);

        Nbconvert nb = Nbconvert.find(home).orElseThrow().withEnv(Map.of("HOME", userHome.toString(),
                "JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString()));
        Path executed = nb.execute(repo.resolve("notebooks/00-quickstart.ipynb"), tmp.resolve("out"), "notebench",
                Duration.ofMinutes(5));
        for (JsonObject cell : Notebooks.codeCells(Notebooks.read(executed))) {
            for (JsonObject o : Notebooks.outputs(cell)) {
                assertTrue(!o.get("output_type").getAsString().equals("error"), "cell failed: " + o);
            }
        }
    }

    /** postBuild calls jupyter; make sure the one this machine has is on the PATH. */
    private static String jupyterBin() {
        return Nbconvert.find(JupyterSandbox.projectHome()).orElseThrow().jupyter().getParent().toString();
    }

    /** A fresh clone's files: what git tracks, plus files not yet committed, never build output. */
    private static Path copyTrackedFiles(Path from, Path to) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(from.toFile()).redirectErrorStream(false).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(git.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, git.exitValue(), "git ls-files failed in " + from);
        for (String rel : List.of(listing.split("\0"))) {
            if (rel.isEmpty()) {
                continue;
            }
            Path src = from.resolve(rel);
            if (!Files.isRegularFile(src)) {
                continue; // deleted but not yet committed
            }
            Path dst = to.resolve(rel);
            Files.createDirectories(dst.getParent());
            Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return to;
    }
}
