package dev.notebench.train.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import dev.notebench.train.TinyRuns;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainMagicsTest {
    private final RecordingContext context = new RecordingContext();

    @Test
    void wrongArgumentsAreOneLineWithTheUsage() {
        TrainMagics m = new TrainMagics(context);
        assertEquals("%train: give --tokenizer and --corpus, or --resume RUN_DIR. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("--steps", "10"))).getMessage());
        assertEquals("%train: --set takes KEY=VALUE, got 'n_layer'. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--set", "n_layer"))).getMessage());
        assertEquals("%train: no run is training in the background of this kernel. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("cancel"))).getMessage());
        assertEquals("%train: unknown precision 'fp8'; use fp32, fp16 or bf16. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--precision", "fp8"))).getMessage());
        assertEquals("%train: %train attach needs --run RUN_DIR. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("attach"))).getMessage());
        assertEquals("%train: --run nowhere is not a run directory (it has no manifest.json). Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("cancel", "--run", "nowhere"))).getMessage());
        assertEquals("%train: unknown command 'stop'; the commands are attach and cancel. Usage: " + TrainMagics.TRAIN_USAGE,
                assertThrows(MagicUsageException.class, () -> m.train(List.of("stop"))).getMessage());
        assertEquals("%train: choose one of --background (a kernel thread) and --detach (a process of its own). Usage: "
                + TrainMagics.TRAIN_USAGE, assertThrows(MagicUsageException.class,
                        () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--background", "--detach"))).getMessage());
        if (System.getenv("NOTEBENCH_WEBHOOK_URL") == null) {
            assertEquals("%train: notifications need the webhook URL in the environment variable NOTEBENCH_WEBHOOK_URL (of the"
                    + " kernel or the shell); it is kept out of commands, notebooks and logs. Usage: " + TrainMagics.TRAIN_USAGE,
                    assertThrows(MagicUsageException.class,
                            () -> m.train(List.of("--tokenizer", "t", "--corpus", "c", "--notify"))).getMessage());
        }
        assertEquals("%generate: --run is required. Usage: " + TrainMagics.GENERATE_USAGE,
                assertThrows(MagicUsageException.class, () -> m.generate(List.of("hello"))).getMessage());
        assertEquals("%generate: --max-new-tokens must be between 1 and 512, got 1000. Usage: " + TrainMagics.GENERATE_USAGE,
                assertThrows(MagicUsageException.class,
                        () -> m.generate(List.of("--run", "r", "--max-new-tokens", "1000", "hi"))).getMessage());
        assertEquals("%score: --run is required. Usage: " + TrainMagics.SCORE_USAGE,
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
}
