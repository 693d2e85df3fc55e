package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRunTest {
    @TempDir
    Path tmp;

    /** Records training losses. */
    static final class Losses implements RunListener {
        final List<Double> loss = new ArrayList<>();
        final List<Double> val = new ArrayList<>();
        String status;

        @Override
        public void step(Step s) {
            loss.add(s.loss());
        }

        @Override
        public void eval(Eval e) {
            val.add(e.loss());
        }

        @Override
        public void ended(String status, String message) {
            this.status = status;
        }
    }

    @Test
    void lossDecreasesAndTheRunLeavesItsFiles() throws Exception {
        Losses seen = new Losses();
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "decreases").steps(60).build()).listener(seen);
        TrainRun.Result r = run.run();
        assertEquals("completed", r.status());
        assertEquals(59, r.lastStep());
        double first = seen.loss.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = seen.loss.subList(55, 60).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < first - 0.5, "loss fell from " + first + " to " + last);
        assertTrue(Math.abs(seen.loss.get(0) - Math.log(400)) < 0.3, "starts near ln(vocab): " + seen.loss.get(0));
        assertEquals(6, seen.val.size());
        Path dir = run.directory();
        assertEquals(60 + 6 + 6, Files.readAllLines(dir.resolve(MetricsLog.FILE)).size(), "steps, evals, checkpoints");
        JsonObject manifest = TrainRun.readJson(dir.resolve(TrainRun.MANIFEST), "m");
        assertEquals("completed", manifest.getAsJsonObject("summary").get("status").getAsString());
        assertEquals(1, manifest.getAsJsonObject("config").getAsJsonObject("model").get("n_layer").getAsInt());
        assertTrue(Files.isDirectory(dir.resolve("checkpoints/step-00000059")));
        assertTrue(Files.isDirectory(dir.resolve("checkpoints/best")));
        assertEquals("completed", TrainRun.readJson(dir.resolve(TrainRun.STATUS), "s").get("status").getAsString());
    }

    @Test
    void aResumedRunReproducesTheUninterruptedLossCurveExactly() throws Exception {
        Losses whole = new Losses();
        TrainRun.create(TinyRuns.gpt(tmp, "whole").build()).listener(whole).run();

        Losses first = new Losses();
        TrainRun part = TrainRun.create(TinyRuns.gpt(tmp, "parts").checkpointEvery(10).build());
        part.listener(first).listener(new RunListener() {
            @Override
            public void step(Step s) {
                if (s.step() == 14) {
                    part.cancel();
                }
            }
        }).run();
        assertEquals("cancelled", first.status);
        assertEquals(15, first.loss.size());

        Losses second = new Losses();
        TrainRun.Result r = TrainRun.open(part.directory()).listener(second).run();
        assertEquals("completed", r.status());
        List<Double> joined = new ArrayList<>(first.loss);
        joined.addAll(second.loss);
        assertEquals(whole.loss, joined, "bit for bit the same losses");
        assertEquals(whole.val.get(whole.val.size() - 1), second.val.get(second.val.size() - 1));
    }

    @Test
    void aLossThatBlowsUpStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "nan").learningRate(1e4).gradClip(0).warmupSteps(1)
                .checkpointEvery(1).build());
        NotebenchException e = assertThrows(NotebenchException.class, run::run);
        assertEquals(ErrorCode.MODEL_TRAIN_FAILED, e.code());
        assertTrue(e.getMessage().startsWith("the training loss became "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; lower the learning rate or raise the warmup"), e.getMessage());
        assertEquals("failed", TrainRun.readJson(run.directory().resolve(TrainRun.STATUS), "s").get("status").getAsString());
    }

    @Test
    void badRequestsAreOneClearError() throws Exception {
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> TrainRun.create(TinyRuns.gpt(tmp, "bf").precision(Precision.BF16).build()).run());
        assertEquals("bf16 is not supported: DJL's PyTorch JNI crashes the JVM on BFLOAT16 arrays; use fp32, or fp16 on a GPU",
                e.getMessage());
        e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "cuda").device("cuda").build()).run());
        assertTrue(e.getMessage().startsWith("device cuda was asked for, but DJL sees no GPU"), e.getMessage());
        e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "long")
                .model(dev.notebench.train.model.ModelConfig.of("gpt", "n_layer", 1, "n_head", 2, "d_model", 32, "seq_len", 200_000))
                .build()).run());
        assertTrue(e.getMessage().startsWith("the training split has "), e.getMessage());
        e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "typo")
                .model(dev.notebench.train.model.ModelConfig.of("gpt", "n_layers", 2)).build()).run());
        assertEquals("gpt model has no setting 'n_layers'; it has bias, d_model, dropout, n_head, n_layer, seq_len", e.getMessage());
        TrainRun.create(TinyRuns.gpt(tmp, "dup").build());
        e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "dup").build()));
        assertTrue(e.getMessage().startsWith("run dup already exists"), e.getMessage());
    }
}
