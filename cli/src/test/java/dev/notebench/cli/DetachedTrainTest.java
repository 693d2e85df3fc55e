package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.train.Detached;
import dev.notebench.train.RunFollower;
import dev.notebench.train.RunListener;
import dev.notebench.train.TrainRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./notebench train --detach}: the launching JVM exits, the run goes on in its own. */
class DetachedTrainTest {
    @TempDir
    Path tmp;

    /** Runs the command line in a JVM of its own, as the launcher does, and waits for it to exit. */
    private static String launch(Path tmp, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Notebench.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("launcher.log").toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the launcher did not exit");
        String out = Files.readString(tmp.resolve("launcher.log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aDetachedRunOutlivesTheLauncherAndCanBeCancelled() throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        byte[] all = Files.readAllBytes(Path.of(System.getProperty("notebench.home"), "datasets/sotu/sotu-sample.txt"));
        Files.write(corpus, java.util.Arrays.copyOf(all, 100_000));
        launch(tmp, "tokenizer", "train", "--corpus", corpus.toString(), "--vocab", "300", "--out", tmp.resolve("tok").toString());
        Path runs = tmp.resolve("runs");
        String out = launch(tmp, "train", "--tokenizer", tmp.resolve("tok").toString(), "--corpus", corpus.toString(),
                "--set", "n_layer=1", "--set", "n_head=2", "--set", "d_model=32", "--set", "seq_len=16", "--batch", "4",
                "--steps", "1000000", "--eval-every", "10", "--eval-batches", "1", "--device", "cpu", "--threads", "1",
                "--runs-dir", runs.toString(), "--run-id", "long", "--detach");
        Path dir = runs.resolve("long");
        assertTrue(out.startsWith("Training " + dir + " in process "), out);
        assertTrue(out.strip().endsWith("stop it with ./notebench train --cancel " + dir), out);

        // the launcher is gone; the run reaches step 20 on its own
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(dir.resolve(TrainRun.STATUS)) || TrainRun.status(dir).get("step").getAsLong() < 20) {
            assertTrue(System.nanoTime() < deadline, () -> "no progress: " + log(dir));
            Thread.sleep(100);
        }
        long pid = TrainRun.status(dir).get("pid").getAsLong();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        String cancelled = launch(tmp, "train", "--cancel", dir.toString());
        assertEquals("Asked " + dir + " to stop after its current step\n", cancelled);
        List<String> ended = new ArrayList<>();
        String status = new RunFollower(dir, Duration.ofMillis(50), Duration.ofMinutes(1)).follow(new RunListener() {
            @Override
            public void ended(String s, String message) {
                ended.add(s);
            }
        });
        assertEquals("cancelled", status, log(dir));
        assertEquals(List.of("cancelled"), ended);
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        assertTrue(log(dir).contains(": cancelled after step "), log(dir));
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve(Detached.LOG));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
