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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRunTest {
    @TempDir
    Path tmp;

    /** Records training losses. */
    static final class Losses implements RunListener {
        final List<Double> loss = new ArrayList<>();
        final List<Double> val = new ArrayList<>();
        RunState status;

        @Override
        public void step(Step s) {
            loss.add(s.loss());
        }

        @Override
        public void eval(Eval e) {
            val.add(e.loss());
        }

        @Override
        public void ended(RunState status, String message) {
            this.status = status;
        }
    }

    @Test
    void lossDecreasesAndTheRunLeavesItsFiles() throws Exception {
        Losses seen = new Losses();
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "decreases").steps(60).build()).listener(seen);
        TrainRun.Result r = run.run();
        assertEquals(RunState.COMPLETED, r.status());
        assertEquals(59, r.lastStep());
        double first = seen.loss.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = seen.loss.subList(55, 60).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < first - 0.5, "loss fell from " + first + " to " + last);
        assertTrue(Math.abs(seen.loss.get(0) - Math.log(400)) < 0.3, "starts near ln(vocab): " + seen.loss.get(0));
        assertEquals(6, seen.val.size());
        Path dir = run.directory();
        assertEquals(60 + 6 + 6, Files.readAllLines(dir.resolve(MetricsLog.FILE)).size(), "steps, evals, checkpoints");
        JsonObject manifest = RunDirectory.readJson(dir.resolve(RunDirectory.MANIFEST), "m");
        assertEquals("completed", manifest.getAsJsonObject("summary").get("status").getAsString());
        assertEquals(1, manifest.getAsJsonObject("config").getAsJsonObject("model").get("n_layer").getAsInt());
        assertTrue(Files.isDirectory(dir.resolve("checkpoints/step-00000059")));
        assertTrue(Files.isDirectory(dir.resolve("checkpoints/best")));
        assertEquals("completed", RunDirectory.readJson(dir.resolve(RunDirectory.STATUS), "s").get("status").getAsString());
    }

    @Test
    void theRateAndElapsedTimeOfEachStepAreReadFromTheRunsTicker() throws Exception {
        AtomicLong now = new AtomicLong();
        LongSupplier quarterSecondPerRead = () -> now.addAndGet(250_000_000L);
        List<RunListener.Step> steps = new ArrayList<>();
        TrainConfig config = TinyRuns.gpt(tmp, "ticked").steps(4).build();
        TrainRun.Result r = TrainRun.create(config).ticker(quarterSecondPerRead).listener(new RunListener() {
            @Override
            public void step(Step s) {
                steps.add(s);
            }
        }).run();
        assertEquals(RunState.COMPLETED, r.status());
        long tokensPerStep = (long) config.batchSize() * config.gradAccum() * 16; // seq_len 16
        assertEquals(4, steps.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(tokensPerStep / 0.25, steps.get(i).tokensPerSecond(), "step " + i); // a step's start and end: one read apart
            assertEquals(0.75 * (i + 1), steps.get(i).elapsedSeconds(), "step " + i);         // the run's start, then three reads a step
        }
        assertEquals(0.75 * 4 + 0.25, r.seconds());
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
        assertEquals(RunState.CANCELLED, first.status);
        assertEquals(15, first.loss.size());

        Losses second = new Losses();
        TrainRun.Result r = TrainRun.open(part.directory()).listener(second).run();
        assertEquals(RunState.COMPLETED, r.status());
        List<Double> joined = new ArrayList<>(first.loss);
        joined.addAll(second.loss);
        assertEquals(whole.loss, joined, "bit for bit the same losses");
        assertEquals(whole.val.get(whole.val.size() - 1), second.val.get(second.val.size() - 1));
    }

    @Test
    void anInterruptDuringAStepsForwardPassEndsTheRunAtTheStepBeforeWithoutWaitingForTheBackwardPass() throws Exception {
        Losses whole = new Losses();
        TrainRun.create(interrupting(tmp, "whole-i", 0).build()).listener(whole).run();

        // the 18th training forward pass is step 17's: the run ends at step 16, step 17 changes no weight
        Losses first = new Losses();
        TrainRun part = TrainRun.create(interrupting(tmp, "cut", 18).build());
        TrainRun.Result cut;
        try {
            cut = part.listener(first).run();
        } finally {
            Thread.interrupted(); // the interrupt is the kernel's to clear
        }
        assertEquals(RunState.CANCELLED, cut.status());
        assertEquals(16, cut.lastStep());
        assertEquals(17, first.loss.size());
        assertEquals(16, RunDirectory.readJson(part.directory().resolve(RunDirectory.STATUS), "s").get("step").getAsInt());
        assertTrue(Files.isDirectory(part.directory().resolve("checkpoints/step-00000016")));

        // resumed (a new model object: its 18th forward pass would be after the last step), bit for bit the whole run
        Losses second = new Losses();
        TrainRun.Result r = TrainRun.open(part.directory()).listener(second).run();
        assertEquals(RunState.COMPLETED, r.status());
        List<Double> joined = new ArrayList<>(first.loss);
        joined.addAll(second.loss);
        assertEquals(whole.loss, joined, "bit for bit the same losses");
    }

    /** The tiny GPT run of {@link TinyRuns#gpt}, whose model interrupts the training thread in its N-th training forward pass. */
    private static TrainConfig.Builder interrupting(Path tmp, String runId, int at) throws Exception {
        TrainConfig base = TinyRuns.gpt(tmp, runId).build();
        java.util.Map<String, Object> values = new java.util.LinkedHashMap<>(base.model().values());
        values.put("interrupt_at", at);
        return base.toBuilder().model(new dev.notebench.train.model.ModelConfig("gpt-interrupting", values));
    }

    @Test
    void aLossThatBlowsUpStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "nan").learningRate(1e4).gradClip(0).warmupSteps(1)
                .checkpointEvery(1).build());
        NotebenchException e = assertThrows(NotebenchException.class, run::run);
        assertEquals(ErrorCode.MODEL_TRAIN_FAILED, e.code());
        assertTrue(e.getMessage().startsWith("the training loss became "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; lower the learning rate or raise the warmup"), e.getMessage());
        assertEquals("failed", RunDirectory.readJson(run.directory().resolve(RunDirectory.STATUS), "s").get("status").getAsString());
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
        assertEquals("gpt model has no setting 'n_layers'; it has activation, bias, d_model, dropout, n_head, n_layer, seq_len", e.getMessage());
        TrainRun.create(TinyRuns.gpt(tmp, "dup").build());
        e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "dup").build()));
        assertTrue(e.getMessage().startsWith("run dup already exists"), e.getMessage());
    }

    /** The bytes of a run's status, manifest and metrics: what a refused trainer must leave alone. */
    private static java.util.Map<String, String> files(Path dir) throws Exception {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String f : List.of(RunDirectory.STATUS, RunDirectory.MANIFEST, MetricsLog.FILE)) {
            out.put(f, Files.exists(dir.resolve(f)) ? Files.readString(dir.resolve(f)) : "(none)");
        }
        return out;
    }

    @Test
    void aSecondTrainerOfARunIsRefusedBeforeItTouchesAnything() throws Exception {
        TrainRun first = TrainRun.create(TinyRuns.gpt(tmp, "owned").steps(1_000_000).build());
        java.util.concurrent.CountDownLatch checkpointed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
        first.listener(new RunListener() {
            @Override
            public void checkpoint(long step, Path dir) {
                checkpointed.countDown();
                try {
                    goOn.await(); // the first trainer holds still while the second tries
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        TrainRun.Result[] result = new TrainRun.Result[1];
        Thread training = new Thread(() -> result[0] = first.run());
        training.start();
        assertTrue(checkpointed.await(2, java.util.concurrent.TimeUnit.MINUTES));
        Path dir = first.directory();
        java.util.Map<String, String> before = files(dir);

        List<Long> trained = new ArrayList<>();
        TrainRun second = TrainRun.open(dir);
        second.listener(new RunListener() {
            @Override
            public void step(Step s) {
                trained.add(s.step());
                second.cancel();
            }
        });
        NotebenchException e = assertThrows(NotebenchException.class, second::run);
        assertEquals(ErrorCode.MODEL_TRAIN_FAILED, e.code());
        assertEquals("run " + dir + " is being trained by this process (pid " + ProcessHandle.current().pid() + " on host "
                + RunLock.hostName() + "; e.g. a training started in the background); wait for it to end, or stop it with train --cancel " + dir,
                e.getMessage());
        assertEquals(List.of(), trained);
        assertEquals(before, files(dir));

        first.cancel();
        goOn.countDown();
        training.join(120_000);
        assertEquals(RunState.CANCELLED, result[0].status());
        assertEquals(9, result[0].lastStep());
    }

    @Test
    void theStatusStepNeverLagsTheCheckpoints() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "beat").build());
        List<String> seen = new ArrayList<>();
        run.listener(new RunListener() {
            @Override
            public void checkpoint(long step, Path dir) {
                JsonObject s = RunDirectory.readJson(run.directory().resolve(RunDirectory.STATUS), "s");
                seen.add("checkpoint " + step + ": status " + s.get("status").getAsString() + " at step " + s.get("step").getAsLong());
            }
        });
        assertEquals(RunState.COMPLETED, run.run().status());
        assertEquals(List.of("checkpoint 9: status running at step 9", "checkpoint 19: status running at step 19",
                "checkpoint 29: status running at step 29"), seen);
    }

    @Test
    void aConfigurationThatCannotTrainMakesNoRunDirectory() throws Exception {
        NotebenchException e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "typo")
                .model(dev.notebench.train.model.ModelConfig.of("gpt", "n_layers", 2)).build()));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("gpt model has no setting 'n_layers'; it has activation, bias, d_model, dropout, n_head, n_layer, seq_len", e.getMessage());
        e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "heads")
                .model(dev.notebench.train.model.ModelConfig.of("gpt", "d_model", 30, "n_head", 4)).build()));
        assertEquals("gpt model: d_model 30 is not a multiple of n_head 4", e.getMessage());
        e = assertThrows(NotebenchException.class, () -> TrainRun.create(TrainConfig.builder(
                dev.notebench.train.model.ModelConfig.of("gpt"), tmp.resolve("no-tokenizer"), TinyRuns.corpus(tmp).toString())
                .runsDir(tmp.resolve("runs")).runId("no-tok").build()));
        assertEquals(ErrorCode.DATA_NOT_FOUND, e.code());
        assertEquals("tokenizer " + tmp.resolve("no-tokenizer") + " does not exist; train one with tokenizer train", e.getMessage());
        e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "lstm")
                .model(dev.notebench.train.model.ModelConfig.of("char-lstm", "hidden", 0)).build()));
        assertEquals("char-lstm model: hidden must be a whole number of at least 1, got 0", e.getMessage());
        for (String id : List.of("typo", "heads", "no-tok", "lstm")) {
            assertEquals(false, Files.exists(tmp.resolve("runs").resolve(id)), id);
        }
    }

    @Test
    void aRunWhoseStartFailsSaysWhyAndItsIdCanBeUsedAgain() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "short")
                .model(dev.notebench.train.model.ModelConfig.of("gpt", "n_layer", 1, "n_head", 2, "d_model", 32, "seq_len", 200_000))
                .build());
        NotebenchException e = assertThrows(NotebenchException.class, run::run);
        assertTrue(e.getMessage().startsWith("the training split has "), e.getMessage());
        JsonObject status = RunDirectory.readJson(run.directory().resolve(RunDirectory.STATUS), "s");
        assertEquals("failed", status.get("status").getAsString());
        assertEquals(-1, status.get("step").getAsLong());
        assertEquals(e.getMessage(), status.get("message").getAsString());

        TrainRun again = TrainRun.create(TinyRuns.gpt(tmp, "short").steps(5).build());
        assertEquals(run.directory(), again.directory());
        assertEquals(RunState.COMPLETED, again.run().status());
        JsonObject manifest = RunDirectory.readJson(again.directory().resolve(RunDirectory.MANIFEST), "m");
        assertEquals(16, manifest.getAsJsonObject("config").getAsJsonObject("model").get("seq_len").getAsInt());
    }

    @Test
    void aRunIdThatIsTakenNamesTheRunAndHowToResumeIt() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "dup").build());
        Path dir = run.directory();
        NotebenchException e = assertThrows(NotebenchException.class, () -> TrainRun.create(TinyRuns.gpt(tmp, "dup").build()));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("run dup already exists in " + tmp.resolve("runs") + " (created, not trained yet); resume it with train --resume "
                + dir + ", or choose another --run-id", e.getMessage());
    }

    @Test
    void aCheckpointAskedForIsWrittenAfterTheCurrentStepAndTheRunGoesOn() throws Exception {
        List<Long> checkpoints = new ArrayList<>();
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "asked").steps(30).build()); // eval and checkpoints every 10 steps
        run.listener(new RunListener() {
            @Override
            public void step(Step s) {
                if (s.step() == 4) {
                    RunDirectory.open(run.directory()).requestCheckpoint(); // as a button or another process asks
                } else if (s.step() == 12) {
                    run.requestCheckpoint();
                } else if (s.step() == 19) {
                    run.requestCheckpoint(); // met by this step's periodic checkpoint: one only
                } else if (s.step() == 29) {
                    run.requestCheckpoint(); // the last step's is written when the run ends: one only
                }
            }

            @Override
            public void checkpoint(long step, Path dir) {
                checkpoints.add(step);
            }
        });
        assertEquals(RunState.COMPLETED, run.run().status());
        assertEquals(List.of(4L, 9L, 12L, 19L, 29L), checkpoints);
        assertEquals(false, Files.exists(run.directory().resolve(RunDirectory.CHECKPOINT_NOW)));
        NotebenchException e = assertThrows(NotebenchException.class, () -> RunDirectory.open(run.directory()).requestCheckpoint());
        assertEquals("run " + run.directory() + " is not running, so it writes no checkpoint now; it is completed after step 30"
                + " of 30", e.getMessage());
    }

    @Test
    void resumingOrCancellingACompletedRunSaysItIsCompleteAndChangesNothing() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "done").steps(10).build());
        assertEquals(RunState.COMPLETED, run.run().status());
        Path dir = run.directory();
        java.util.Map<String, String> before = files(dir);
        NotebenchException e = assertThrows(NotebenchException.class, () -> TrainRun.open(dir).run());
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("run " + dir + " is complete: it trained all its 10 steps, so there is nothing to resume. To train further,"
                + " start a new run with more --steps (and another --run-id); its learning-rate schedule spans all of its steps",
                e.getMessage());
        e = assertThrows(NotebenchException.class, () -> RunDirectory.open(dir).requestCancel());
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("run " + dir + " is not running, there is nothing to stop: it is completed after step 10 of 10", e.getMessage());
        assertEquals(before, files(dir));
        assertEquals(false, Files.exists(dir.resolve(RunDirectory.CANCEL)));
    }

    @Test
    void aChangedByteInACheckpointIsOneErrorNamingTheCheckpointToGoBackTo() throws Exception {
        Losses whole = new Losses();
        TrainRun.create(TinyRuns.gpt(tmp, "whole").build()).listener(whole).run();
        TrainRun part = TrainRun.create(TinyRuns.gpt(tmp, "damaged").build());
        part.listener(new RunListener() {
            @Override
            public void step(Step s) {
                if (s.step() == 24) {
                    part.cancel();
                }
            }
        }).run();
        Path dir = part.directory();
        Path latest = dir.resolve("checkpoints/step-00000024");
        // 4 bytes inside the tensor data (the file ends with the last parameter's values): 0.125f
        Path params = latest.resolve("params.ndlist");
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(params, java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 0x3E}), f.size() - 8);
        }
        NotebenchException e = assertThrows(NotebenchException.class, () -> TrainRun.open(dir).run());
        assertEquals(ErrorCode.CACHE_CORRUPT, e.code());
        Path aside = dir.resolve("step-00000024.damaged");
        assertEquals("checkpoint " + latest + " is damaged: params.ndlist does not match its sha256 in checksums.sha256 (the file"
                + " changed after it was written); to resume from the earlier checkpoint step-00000019, move this one out of the"
                + " way (mv " + latest + " " + aside + ") and run train --resume " + dir + " again",
                e.getMessage());
        JsonObject status = RunDirectory.readJson(dir.resolve(RunDirectory.STATUS), "s");
        assertEquals("failed", status.get("status").getAsString());
        assertEquals(e.getMessage(), status.get("message").getAsString());

        // doing what it says continues from step 19 as the uninterrupted run went
        Files.move(latest, aside);
        Losses second = new Losses();
        assertEquals(RunState.COMPLETED, TrainRun.open(dir).listener(second).run().status());
        assertEquals(whole.loss.subList(20, 30), second.loss);
    }

    @Test
    void everyCheckpointFileHasItsSha256WrittenInTheFormatOfSha256sum() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "sums").steps(10).build());
        run.run();
        for (String cp : List.of("step-00000009", "best")) {
            Path dir = run.directory().resolve("checkpoints").resolve(cp);
            List<String> expected = new ArrayList<>();
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    if (!f.getFileName().toString().equals(Checkpoint.CHECKSUMS)) {
                        expected.add(sha256(f) + "  " + f.getFileName());
                    }
                }
            }
            List<String> written = new ArrayList<>(Files.readAllLines(dir.resolve(Checkpoint.CHECKSUMS)));
            java.util.Collections.sort(written, java.util.Comparator.comparing(l -> l.substring(66)));
            assertEquals(expected, written, cp);
        }
    }

    @Test
    void aCheckpointWrittenBeforeChecksumsResumesUnverified() throws Exception {
        Losses whole = new Losses();
        TrainRun.create(TinyRuns.gpt(tmp, "whole").build()).listener(whole).run();
        TrainRun part = TrainRun.create(TinyRuns.gpt(tmp, "old").build());
        part.listener(new RunListener() {
            @Override
            public void step(Step s) {
                if (s.step() == 14) {
                    part.cancel();
                }
            }
        }).run();
        Files.delete(part.directory().resolve("checkpoints/step-00000014").resolve(Checkpoint.CHECKSUMS));
        Losses second = new Losses();
        assertEquals(RunState.COMPLETED, TrainRun.open(part.directory()).listener(second).run().status());
        assertEquals(whole.loss.subList(15, 30), second.loss);
    }

    private static String sha256(Path f) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
