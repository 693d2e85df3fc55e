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

/**
 * Training in JVMs of their own, as the launcher runs it: a run resumed by another process, and
 * {@code ./notebench train --detach}, where the launching JVM exits and the run goes on in its own.
 */
class TrainProcessesTest {
    @TempDir
    Path tmp;

    /** Runs the command line in a JVM of its own, as the launcher does, and waits for it to exit. */
    private static String launch(Path tmp, String... args) throws Exception {
        return launch(tmp, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args);
    }

    private static String launch(Path tmp, List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Notebench.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("launcher.log").toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the launcher did not exit");
        String out = Files.readString(tmp.resolve("launcher.log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** A 100 kB corpus and a BPE tokenizer of 300 tokens trained on it, in tmp. */
    private Path corpusAndTokenizer() throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        byte[] all = Files.readAllBytes(Path.of(System.getProperty("notebench.home"), "datasets/sotu/sotu-sample.txt"));
        Files.write(corpus, java.util.Arrays.copyOf(all, 100_000));
        launch(tmp, "tokenizer", "train", "--corpus", corpus.toString(), "--vocab", "300", "--out", tmp.resolve("tok").toString());
        return corpus;
    }

    @Test
    void aRunResumedByAnotherProcessRepeatsTheUninterruptedLossCurveBitForBit() throws Exception {
        Path corpus = corpusAndTokenizer();
        Path runs = tmp.resolve("runs");
        // the launcher's JVM settings: garbage collections come at different times in every process
        List<String> jvm = List.of("-XX:+UseSerialGC", "-Xms16m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");
        List<String> train = List.of("train", "--tokenizer", tmp.resolve("tok").toString(), "--corpus", corpus.toString(),
                "--set", "n_layer=2", "--set", "n_head=2", "--set", "d_model=32", "--set", "seq_len=32", "--batch", "8",
                "--steps", "30", "--checkpoint-every", "10", "--eval-every", "10", "--eval-batches", "2", "--device", "cpu",
                "--threads", "1", "--runs-dir", runs.toString(), "--run-id");
        launch(tmp, jvm, concat(train, "whole"));
        launch(tmp, jvm, concat(train, "resumed"));
        // as if the second process had died after its checkpoint of step 19
        Path resumed = runs.resolve("resumed");
        try (java.util.stream.Stream<Path> files = Files.walk(resumed.resolve("checkpoints/step-00000029"))) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        launch(tmp, jvm, "train", "--resume", resumed.toString());

        List<String> expected = curve(runs.resolve("whole"));
        assertEquals(30 + 3, expected.size(), String.join("\n", expected));
        assertEquals(expected, curve(resumed));
    }

    private static String[] concat(List<String> args, String last) {
        List<String> all = new ArrayList<>(args);
        all.add(last);
        return all.toArray(new String[0]);
    }

    /** A run's steps and evaluations from its metrics log: step, loss and gradient norm, or validation loss. */
    private static List<String> curve(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            if (o.get("type").getAsString().equals("checkpoint")) {
                continue;
            }
            out.add(o.get("type").getAsString().equals("step")
                    ? "step " + o.get("step") + " loss " + o.get("loss") + " grad_norm " + o.get("grad_norm")
                    : o.get("type").getAsString() + " " + o.get("step") + " val_loss " + o.get("val_loss"));
        }
        return out;
    }

    @Test
    void aDetachedRunOutlivesTheLauncherAndCanBeCancelled() throws Exception {
        Path corpus = corpusAndTokenizer();
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
