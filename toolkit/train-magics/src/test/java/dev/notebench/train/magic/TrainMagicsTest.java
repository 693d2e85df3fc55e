package dev.notebench.train.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import dev.notebench.train.RunLock;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.TinyRuns;
import dev.notebench.train.TrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class TrainMagicsTest {
    private final RecordingContext context = new RecordingContext();

    @Test
    void wrongArgumentsAreOneLineWithTheUsage() {
        TrainMagics m = new TrainMagics(context, Map.of());
        assertEquals("%train: give --corpus, or --tokens DIR, or --resume RUN_DIR, or --cancel RUN_DIR. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("--steps", "10"))).getMessage());
        assertEquals("%train: --set n_layer is not KEY=VALUE. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--set", "n_layer"))).getMessage());
        assertEquals("%train: no run is training in the background of this kernel. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("cancel"))).getMessage());
        assertEquals("%train: --precision fp8 is not a choice; use fp32, fp16 or bf16. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--precision", "fp8"))).getMessage());
        assertEquals("%train: %train attach needs --run RUN_DIR. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("attach"))).getMessage());
        assertEquals("%train: --run nowhere is not a run directory (it has no manifest.json). Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("cancel", "--run", "nowhere"))).getMessage());
        assertEquals("%train: unknown command 'stop'; use attach or cancel. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("stop"))).getMessage());
        assertEquals("%train: choose one of --background (a kernel thread) and --detach (a process of its own). Usage: "
                + TrainMagics.TRAIN_USAGE, assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--background", "--detach"))).getMessage());
        // the kernel's environment is passed in: whatever the test's own, this one has no webhook URL
        assertEquals("%train: notifications need the webhook URL in the environment variable NOTEBENCH_WEBHOOK_URL (of the"
                + " kernel or the shell); it is kept out of commands, notebooks and logs. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--notify"))).getMessage());
        assertEquals("%generate: give --run, or --model DIR_OR_NAME. Usage: " + TrainMagics.GENERATE_USAGE,
                assertThrows(MagicUsageException.class, () -> m.generate(List.of("hello"))).getMessage());
        assertEquals("%generate: --max-new-tokens 1000 is out of range; give a number from 1 to 512. Usage: " + TrainMagics.GENERATE_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.generate(List.of("--run", "r", "--max-new-tokens", "1000", "hi"))).getMessage());
        assertEquals("%score: give --run, or --model DIR_OR_NAME. Usage: " + TrainMagics.SCORE_USAGE,
                assertThrows(MagicUsageException.class, () -> m.score(List.of("x"))).getMessage());
    }

    @Test
    void typedValuesParseNumbersAndSwitches() {
        assertEquals(4L, dev.notebench.train.model.ModelConfig.parseValue("4"));
        assertEquals(0.1, dev.notebench.train.model.ModelConfig.parseValue("0.1"));
        assertEquals(true, dev.notebench.train.model.ModelConfig.parseValue("TRUE"));
        assertEquals("x", dev.notebench.train.model.ModelConfig.parseValue("x"));
    }

    @Test
    void detachedRunIsFollowedByAttachAndReportsItsEnd(@TempDir Path tmp) throws Exception {
        RecordingContext recording = new RecordingContext();
        List<String> shown = new java.util.AbstractList<>() { // every show and update, as text
            @Override
            public String get(int i) {
                synchronized (recording) {
                    return String.valueOf(recording.events.get(i));
                }
            }

            @Override
            public int size() {
                synchronized (recording) {
                    return recording.events.size();
                }
            }
        };
        TrainMagics m = new TrainMagics(recording);
        Object dir = m.train(List.of("--tokenizer", TinyRuns.bpe(tmp).toString(), "--corpus", TinyRuns.corpus(tmp).toString(),
                "--set", "n_layer=1", "--set", "n_head=2", "--set", "d_model=32", "--set", "seq_len=16", "--steps", "20",
                "--batch", "4", "--eval-every", "10", "--eval-batches", "2", "--device", "cpu", "--threads", "1",
                "--runs-dir", tmp.resolve("runs").toString(), "--run-id", "bg", "--detach"));
        assertEquals(tmp.resolve("runs").resolve("bg").toAbsolutePath().normalize(), dir);
        assertTrue(shown.get(0).startsWith("Training bg in process "), shown::toString);
        assertEquals("completed", m.train(List.of("attach", "--run", dir.toString())));
        String bar = shown.stream().filter(t -> t.contains("text=bg: ")).reduce((a, b) -> b) // the progress bar
                .orElseThrow(() -> new AssertionError(shown));
        assertTrue(bar.contains("text=bg: 100% (20 of 20 steps, ") && bar.endsWith(" — completed]"), bar);
        assertEquals("Html[html=, text=]", shown.get(shown.size() - 1), "the live plot's script output ends empty");
        assertTrue(shown.get(shown.size() - 2).endsWith("text=Training: bg]"), "the live plot drawn whole");
    }

    /** A run directory written by hand: a manifest of 100 steps, a checkpoint after step 49, and a status. */
    private static Path handMadeRun(Path dir, String status, long pid) throws Exception {
        Files.createDirectories(dir.resolve("checkpoints/step-00000049"));
        Files.writeString(dir.resolve("checkpoints/step-00000049/state.json"), "{\"step\": 49}");
        Files.writeString(dir.resolve(RunDirectory.MANIFEST), "{\"config\": {\"family\": \"gpt\", \"steps\": 100}}");
        String host;
        try (RunLock owner = RunLock.acquire(dir)) { // owned once by a trainer that is gone
            host = owner.owner().host();
        }
        Files.writeString(dir.resolve(RunDirectory.STATUS), "{\"status\": \"" + status + "\", \"step\": 57, \"steps\": 100,"
                + " \"pid\": " + pid + ", \"host\": \"" + host + "\", \"heartbeat\": \"" + Instant.now() + "\"}");
        return dir;
    }

    private static long aProcessThatIsGone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void runsShowsARunWhoseProcessIsGoneAsLostWithTheCheckpointToResumeFrom(@TempDir Path tmp) throws Exception {
        long pid = aProcessThatIsGone();
        handMadeRun(tmp.resolve("runs/killed"), "running", pid);
        Table t = new TrainMagics(context).runs(List.of("--runs-dir", tmp.resolve("runs").toString()));
        assertEquals(List.of("killed"), t.stringColumn("run").asList());
        assertEquals(List.of("lost"), t.stringColumn("status").asList());
        assertEquals(List.of(58), t.intColumn("step").asList());
        assertEquals(List.of("step-00000049"), t.stringColumn("checkpoint").asList());
        assertTrue(t.stringColumn("owner").get(0).startsWith("pid " + pid + " on "), t.print());
    }

    @Test
    void cancelOfARunThatIsNotRunningSaysWhatItIs(@TempDir Path tmp) throws Exception {
        TrainMagics m = new TrainMagics(context);
        Path done = handMadeRun(tmp.resolve("runs/done"), "completed", aProcessThatIsGone()).toAbsolutePath().normalize();
        NotebenchException e = assertThrows(NotebenchException.class, () -> m.train(List.of("cancel", "--run", done.toString())));
        assertEquals("run " + done + " is not running, there is nothing to stop: it is completed after step 58 of 100", e.getMessage());
        assertFalse(Files.exists(done.resolve(RunDirectory.CANCEL)));
        // --cancel RUN_DIR, as on the command line, is the same request
        e = assertThrows(NotebenchException.class, () -> m.train(List.of("--cancel", done.toString())));
        assertEquals("run " + done + " is not running, there is nothing to stop: it is completed after step 58 of 100", e.getMessage());
        assertEquals("%train: --cancel nowhere is not a run directory (it has no manifest.json). Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("--cancel", "nowhere"))).getMessage());
        Path lost = handMadeRun(tmp.resolve("runs/lost"), "running", aProcessThatIsGone()).toAbsolutePath().normalize();
        e = assertThrows(NotebenchException.class, () -> m.train(List.of("cancel", "--run", lost.toString())));
        assertTrue(e.getMessage().startsWith("run " + lost + " is not running, there is nothing to stop: it is lost: the process"
                + " that trained it (pid "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" is gone without finishing, after step 58 of 100; resume it from checkpoint"
                + " step-00000049 with --resume " + lost), e.getMessage());
    }

    @Test
    void aRunThatIsTrainingIsRefusedToABackgroundResumeInTheCell(@TempDir Path tmp) throws Exception {
        Path dir = TrainRun.create(TinyRuns.gpt(tmp, "busy").build()).directory();
        TrainMagics m = new TrainMagics(context);
        try (RunLock other = RunLock.acquire(dir)) {
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> m.train(List.of("--resume", dir.toString(), "--background")));
            assertEquals("run " + dir + " is being trained by this process (pid " + other.owner().pid() + " on host "
                    + other.owner().host() + "; e.g. a training started in the background); wait for it to end, or stop it with %train --cancel "
                    + dir, e.message(FrontEnd.NOTEBOOK));
        }
        assertFalse(Files.exists(dir.resolve(RunDirectory.STATUS)), "nothing was started");
    }
}
