package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.train.Detached;
import dev.notebench.train.RunState;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.RunFollower;
import dev.notebench.train.RunListener;
import dev.notebench.train.TrainConfig;
import dev.notebench.train.TrainRun;
import dev.notebench.train.model.ModelConfig;
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
 * Training in JVMs of their own, as the launcher runs it: a run resumed by another process,
 * {@code ./notebench train --detach}, where the launching JVM exits and the run goes on in its own,
 * two processes racing to train one run (one does), a trainer killed with SIGKILL (its run reads
 * lost, and resumes bit for bit), and help texts that format without warnings.
 */
class TrainProcessesTest {
    @TempDir
    Path tmp;

    /** Runs the command line in a JVM of its own, as the launcher does, and waits for it to exit. */
    private static String launch(Path tmp, String... args) throws Exception {
        return launch(tmp, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args);
    }

    private static String launch(Path tmp, List<String> jvmOptions, String... args) throws Exception {
        Process p = start(tmp.resolve("launcher.log"), jvmOptions, args);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the launcher did not exit");
        String out = Files.readString(tmp.resolve("launcher.log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Starts the command line in a JVM of its own, its output (both streams) going to a file. */
    private static Process start(Path log, List<String> jvmOptions, String... args) throws Exception {
        return new ProcessBuilder(command(jvmOptions, args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Notebench.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
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
        while (!Files.exists(dir.resolve(RunDirectory.STATUS)) || RunDirectory.open(dir).status().step() < 20) {
            assertTrue(System.nanoTime() < deadline, () -> "no progress: " + log(dir));
            Thread.sleep(100);
        }
        long pid = RunDirectory.open(dir).status().pid();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        String cancelled = launch(tmp, "train", "--cancel", dir.toString());
        assertEquals("Asked " + dir + " to stop after its current step\n", cancelled);
        List<RunState> ended = new ArrayList<>();
        RunState status = new RunFollower(dir, Duration.ofMillis(50), Duration.ofMinutes(1)).follow(new RunListener() {
            @Override
            public void ended(RunState s, String message) {
                ended.add(s);
            }
        });
        assertEquals(RunState.CANCELLED, status, log(dir));
        assertEquals(List.of(RunState.CANCELLED), ended);
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

    /** The settings of a tiny model trained on the CPU, its run id last. */
    private List<String> tinyTrain(Path corpus, Path runs, int steps) {
        return List.of("train", "--tokenizer", tmp.resolve("tok").toString(), "--corpus", corpus.toString(),
                "--set", "n_layer=1", "--set", "n_head=2", "--set", "d_model=32", "--set", "seq_len=16", "--batch", "4",
                "--steps", String.valueOf(steps), "--checkpoint-every", "10", "--eval-every", "10", "--eval-batches", "1",
                "--device", "cpu", "--threads", "1", "--runs-dir", runs.toString(), "--run-id");
    }

    private static void awaitStep(Path dir, long step, Process trainer, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(dir.resolve(RunDirectory.STATUS)) || RunDirectory.open(dir).status().step() < step) {
            assertTrue(System.nanoTime() < deadline && trainer.isAlive(), () -> "no progress: " + read(log));
            Thread.sleep(20);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Test
    void ofTwoProcessesStartingTheSameRunAtOnceExactlyOneTrainsIt() throws Exception {
        Path corpus = corpusAndTokenizer();
        Path runs = tmp.resolve("runs");
        Path dir = TrainRun.create(TrainConfig.builder(ModelConfig.of("gpt", "n_layer", 1, "n_head", 2, "d_model", 32, "seq_len", 16),
                        tmp.resolve("tok"), corpus.toString()).runsDir(runs).runId("race").batchSize(4).steps(1_000_000)
                .eval(10, 1).device("cpu").threads(1).build()).directory();
        List<String> jvm = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        Process a = start(tmp.resolve("a.log"), jvm, "train", "--resume", dir.toString());
        Process b = start(tmp.resolve("b.log"), jvm, "train", "--resume", dir.toString());
        Process first = (Process) java.util.concurrent.CompletableFuture.anyOf(a.onExit(), b.onExit()).get(2, TimeUnit.MINUTES);
        Process winner = first == a ? b : a;
        String lost = read(tmp.resolve(first == a ? "a.log" : "b.log"));
        assertEquals(1, first.exitValue(), lost);
        assertTrue(winner.isAlive(), read(tmp.resolve(winner == a ? "a.log" : "b.log")));
        String owner = "run " + dir + " is being trained by process " + winner.pid() + " on host ";
        assertTrue(lost.startsWith("notebench: MODEL_TRAIN_FAILED: " + owner), lost);
        assertTrue(lost.endsWith("; wait for it to end, or stop it with ./notebench train --cancel " + dir + "\n"), lost);

        awaitStep(dir, 25, winner, tmp.resolve(winner == a ? "a.log" : "b.log"));
        String cancelled = launch(tmp, "train", "--cancel", dir.toString());
        assertEquals("Asked " + dir + " to stop after its current step\n", cancelled);
        assertTrue(winner.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, winner.exitValue());
        // one trainer: every step once, in order
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            if (o.get("type").getAsString().equals("step")) {
                steps.add(o.get("step").getAsLong());
            }
        }
        assertTrue(steps.size() > 25, steps::toString);
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(i, steps.get(i), steps::toString);
        }
        assertEquals(RunState.CANCELLED, RunDirectory.open(dir).status().state());
    }

    @Test
    void aKilledTrainerIsSeenAsLostAndItsResumeRepeatsTheUninterruptedRunBitForBit() throws Exception {
        Path corpus = corpusAndTokenizer();
        Path runs = tmp.resolve("runs");
        List<String> jvm = List.of("-XX:+UseSerialGC", "-Xms16m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");
        launch(tmp, jvm, concat(tinyTrain(corpus, runs, 200), "whole"));

        Path log = tmp.resolve("killed.log");
        Process trainer = start(log, jvm, concat(tinyTrain(corpus, runs, 200), "killed"));
        Path dir = runs.resolve("killed").toAbsolutePath();
        awaitStep(dir, 19, trainer, log); // the status is written with the checkpoint of step 19
        trainer.destroyForcibly().waitFor(); // kill -9
        assertEquals(137, trainer.exitValue());

        String listed = launch(tmp, "runs", "--runs-dir", runs.toString());
        String row = listed.lines().filter(l -> l.contains(" killed ")).findFirst().orElseThrow(() -> new AssertionError(listed));
        RunStatusLine s = RunStatusLine.of(RunDirectory.open(dir).status());
        assertEquals(RunState.LOST, s.state(), listed);
        assertTrue(row.matches(" *killed *\\| *gpt *\\| *lost *\\| *" + s.steps() + " *\\| *200 *\\| *\\| *" + s.checkpoint()
                + " *\\| *pid " + trainer.pid() + " on .*"), listed);
        assertTrue(Integer.parseInt(s.checkpoint().substring("step-".length())) >= 19, s::toString);
        assertEquals("the process that trained it (pid " + trainer.pid() + " on host " + RunDirectory.open(dir).status().host() + ") is gone without finishing, after step " + s.steps() + " of 200; resume it from"
                + " checkpoint " + s.checkpoint() + " with --resume " + dir,
                RunDirectory.open(dir).status().message());

        launch(tmp, jvm, "train", "--resume", dir.toString());
        List<String> expected = curve(runs.resolve("whole"));
        assertEquals(200 + 20, expected.size());
        assertEquals(expected, curve(dir));
        assertEquals(RunState.COMPLETED, RunDirectory.open(dir).status().state());
    }

    /** The parts of a status a test compares. */
    private record RunStatusLine(RunState state, long steps, String checkpoint) {
        static RunStatusLine of(dev.notebench.train.RunStatus s) {
            return new RunStatusLine(s.state(), s.step() + 1, s.checkpoint());
        }
    }

    @Test
    void helpAndUsageErrorsFormatWithoutWarnings() throws Exception {
        for (String[] args : new String[][] {{"train", "--help"}, {"train", "--steps", "x"}, {"train", "--bogus"},
                {"batch", "--help"}}) {
            Process p = new ProcessBuilder(command(List.of("-XX:TieredStopAtLevel=1"), args))
                    .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile()).start();
            assertTrue(p.waitFor(1, TimeUnit.MINUTES));
            String err = Files.readString(tmp.resolve("err.txt"));
            String all = Files.readString(tmp.resolve("out.txt")) + err;
            assertTrue(args[1].equals("--help") ? all.startsWith("Usage: notebench " + args[0])
                    : all.endsWith("\nSee 'notebench " + args[0] + " --help'.\n") && all.lines().count() == 2, all);
            assertEquals(false, all.contains("[picocli WARN]"), String.join(" ", args) + ": " + all);
            assertEquals(args[1].equals("--help") ? 0 : 2, p.exitValue(), all);
        }
        Path help = tmp.resolve("out.txt");
        new ProcessBuilder(command(List.of("-XX:TieredStopAtLevel=1"), "train", "--help")).redirectOutput(help.toFile())
                .start().waitFor(1, TimeUnit.MINUTES);
        assertTrue(Files.readString(help).replaceAll("\\s+", " ").contains("Warmup steps (a whole number of at least 0; default: 5%"
                + " of the steps)."), Files.readString(help));
    }
}
