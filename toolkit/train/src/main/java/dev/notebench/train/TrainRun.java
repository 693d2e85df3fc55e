package dev.notebench.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.train.data.Batches;
import dev.notebench.train.data.SftBatches;
import dev.notebench.train.data.SftExamples;
import dev.notebench.train.data.TokenData;
import dev.notebench.train.data.Windows;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.Scalars;
import dev.notebench.train.optim.AdamW;
import dev.notebench.train.optim.LrSchedule;
import dev.notebench.train.optim.MixedPrecision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One training run in its {@link RunDirectory}. {@link #run()} trains from the start or, for a
 * run that has checkpoints, from the latest one, drawing exactly the batches, dropout masks and
 * learning rates an uninterrupted run would have. The loop only steps: what it does besides, the
 * metrics log, checkpoints, early stopping and the divergence guard, is done by listeners
 * ({@link RunListener.Defaults}), before the ones added with {@link #listener}. While it trains,
 * the run is owned by this process: a second trainer of the same directory, here or in another
 * process, is refused.
 *
 * <pre>{@code
 * TrainRun run = TrainRun.create(config).listener(myPlot);
 * TrainRun.Result r = run.run();              // blocks; run.cancel() from another thread stops it
 * TrainRun again = TrainRun.open(run.directory());
 * again.run();                                 // continues from the latest checkpoint
 * }</pre>
 */
public final class TrainRun {
    private final TrainConfig config;
    private final RunDirectory dir;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cancel = new AtomicBoolean();
    private final AtomicBoolean checkpointNow = new AtomicBoolean();
    private volatile long lastStep = -1; // the last step done, as the status shows it
    private boolean ended; // whether this call of run() wrote its final status
    private Duration ownerPatience = RunLock.PATIENCE;
    private boolean clearCancelOnStart = true;
    private LongSupplier nanos = System::nanoTime;

    /**
     * How a run ended.
     *
     * @param status completed, cancelled, stopped early or failed
     * @param lastStep the last step done
     * @param trainLoss the last training loss
     * @param bestValLoss the best validation loss
     * @param seconds wall time of this call
     */
    public record Result(RunState status, long lastStep, double trainLoss, double bestValLoss, double seconds) {
    }

    private TrainRun(RunDirectory dir) {
        this.config = dir.config();
        this.dir = dir;
    }

    /**
     * Prepares a new run directory ({@link RunDirectory#create}), after checking what can be
     * checked without training: the model family and its settings, the tokenizer and the corpus.
     *
     * @param config the configuration
     * @return the run
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} if the run id is taken, or
     *     the code of whatever the configuration gets wrong; no directory is made then
     */
    public static TrainRun create(TrainConfig config) {
        return new TrainRun(RunDirectory.create(config));
    }

    /**
     * Opens an existing run, to resume or inspect it.
     *
     * @param dir the run directory
     * @throws NotebenchException when it is not a run directory ({@link RunDirectory#open})
     */
    public static TrainRun open(Path dir) {
        return open(RunDirectory.open(dir));
    }

    /**
     * Opens an existing run, to resume or inspect it.
     *
     * @param dir the run directory
     */
    public static TrainRun open(RunDirectory dir) {
        return new TrainRun(dir);
    }

    /** Returns the run directory's path. */
    public Path directory() {
        return dir.path();
    }

    /** Returns the run directory. */
    public RunDirectory files() {
        return dir;
    }

    /** Returns the configuration. */
    public TrainConfig config() {
        return config;
    }

    /**
     * Adds a listener, which hears the run after its {@link RunListener.Defaults default} ones.
     *
     * @param l the listener
     * @return this run
     */
    public TrainRun listener(RunListener l) {
        listeners.add(l);
        return this;
    }

    /**
     * Sets the nanosecond source that times the run (default {@link System#nanoTime()}): each step's
     * duration, hence its tokens per second, its elapsed seconds and the seconds of the result.
     * Tests give a hand ticker, so that rates are exact rather than measured.
     *
     * @param nanos nanoseconds, as {@link System#nanoTime()}
     * @return this run
     */
    public TrainRun ticker(LongSupplier nanos) {
        this.nanos = java.util.Objects.requireNonNull(nanos, "nanos");
        return this;
    }

    /** Asks the run to stop after the current step, with a checkpoint; safe from any thread. */
    public void cancel() {
        cancel.set(true);
    }

    /**
     * Asks the run to write a checkpoint after the current step and go on; safe from any thread.
     * Listeners hear it as {@link RunListener#checkpoint}.
     */
    public void requestCheckpoint() {
        checkpointNow.set(true);
    }

    /**
     * Owns the run ({@link RunLock}) and trains it until the configured steps are done, the run is
     * cancelled or interrupted, or a listener stops it (early stopping; the divergence guard, when
     * the loss stops being finite). A failure is written to the run's status with its reason
     * before it is thrown.
     *
     * @return how it ended
     * @throws NotebenchException with {@link ErrorCode#MODEL_TRAIN_FAILED} when another trainer owns
     *     the run (nothing is touched then) or the loss becomes NaN or infinite;
     *     {@link ErrorCode#CONFIG_INVALID} when the run is complete (nothing is touched then);
     *     {@link ErrorCode#CACHE_CORRUPT} when the checkpoint to resume from is damaged
     */
    public Result run() {
        long t0 = nanos.getAsLong();
        try (RunLock owner = dir.lock(ownerPatience)) {
            refuseIfComplete();
            if (clearCancelOnStart) {
                dir.clearRequests(); // an old request does not stop a new start
            }
            lastStep = dir.lastCheckpointStep();
            ended = false;
            status(RunState.RUNNING, lastStep, null);
            try {
                return train(t0);
            } catch (RuntimeException | Error e) {
                if (!ended) { // failed before it could say so: say so, so that the run does not read "running"
                    try {
                        status(RunState.FAILED, lastStep, e instanceof NotebenchException ? e.getMessage() : e.toString());
                    } catch (RuntimeException second) {
                        e.addSuppressed(second);
                    }
                }
                throw e;
            }
        }
    }

    /**
     * Fails now, without touching the run, when {@link #run()} would be refused: another trainer
     * owns the run (or a detached process is being started for it), or the run is complete. For
     * callers that train in another thread or process and want to say so at once.
     *
     * @throws NotebenchException saying who trains the run, or that it is complete
     */
    public void checkCanRun() {
        RunStatus s = dir.status();
        if (s.active()) {
            boolean here = s.pid() != null && s.pid() == ProcessHandle.current().pid() && RunLock.hostName().equals(s.host());
            throw RunLock.busy(dir.path(), here ? RunLock.thisProcess(s.pid(), s.host())
                    : s.pid() != null ? "process " + s.pid() + " on host " + s.host() + " (" + s.state() + ")" : "another process");
        }
        refuseIfComplete();
    }

    /**
     * Fails, without touching the run, when it cannot be trained further: its checkpoints hold
     * every configured step.
     *
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} saying how to train further
     */
    void refuseIfComplete() {
        dir.refuseIfComplete(config.steps());
    }

    /** Lets a run started by {@link Detached} wait for the starting process to hand the run over, and keep a cancel sent meanwhile. */
    TrainRun startedDetached(Duration patience) {
        this.ownerPatience = patience;
        this.clearCancelOnStart = false;
        return this;
    }

    /** What one call of {@link #run()} trains with, built once its model and data are ready. */
    private record Setup(LanguageModel model, AdamW opt, MixedPrecision mixed, Batches windows, LrSchedule schedule,
                         long tokensPerStep, NDManager root, long t0) {
    }

    private Result train(long t0) {
        Device device = Devices.select(config.device(), config.precision());
        Engine engine = Engine.getInstance();
        Devices.threads(config.threads());
        Tokenizer tokenizer = TokenizerArtifact.load(config.tokenizer());
        NativeHeap heap = NativeHeap.ofProcess();
        heap.tuneForTraining();
        boolean sft = SftExamples.isSftData(config.corpus());
        try (NDManager root = NDManager.newBaseManager(device);
             tokenizer;
             TokenData data = sft ? null : dir.tokens(tokenizer)) {
            engine.setRandomSeed((int) config.seed());
            int window = config.window();
            Map<String, Object> dataManifest = new LinkedHashMap<>();
            Batches windows = sft ? sftBatches(tokenizer, window, dataManifest)
                    : new Windows(data, window, config.batchSize(), config.seed());
            LanguageModel model = RunModel.create(config, tokenizer.vocabSize(), root);
            LrSchedule schedule = new LrSchedule(config.learningRate(), config.minLearningRate(), config.warmupSteps(), config.steps());
            try (model; AdamW opt = new AdamW(model.parameters(), model::decays, config.beta1(), config.beta2(), config.eps(),
                    config.weightDecay(), root)) {
                Training.Start start = Training.Start.FIRST;
                JsonObject saved = null;
                Optional<Path> latest = dir.latestCheckpoint();
                if (latest.isPresent()) {
                    saved = Checkpoint.load(latest.get(), model, opt);
                    start = Training.Start.after(saved);
                }
                MixedPrecision mixed = config.precision() == Precision.FP16 ? new MixedPrecision(model, root) : null;
                if (mixed != null && saved != null && saved.has("loss_scale")) {
                    mixed.restore(saved.get("loss_scale").getAsDouble(), saved.get("loss_scale_good_steps").getAsInt());
                }
                dir.updateManifest(Map.of("parameters", model.parameterCount(), "device", device.toString(),
                        "data", sft ? dataManifest : data.manifest(), "tokenizer_sha256", dir.tokenizerSha256()));
                List<RunListener> all = new ArrayList<>(RunListener.Defaults.of(config, dir.clock()));
                all.addAll(listeners);
                Training t = new Training(dir, model, opt, mixed, all, () -> checkpointNow.getAndSet(false), start);
                try (MixedPrecision closeMixed = mixed) {
                    return loop(t, new Setup(model, opt, mixed, windows, schedule,
                            (long) config.batchSize() * config.gradAccum() * window, root, t0));
                } finally {
                    close(all);
                }
            }
        } finally {
            heap.release(); // after the run's arrays are closed
        }
    }

    /**
     * The supervised fine-tuning rows of the run's JSONL corpus, rendered with the chat template
     * beside its tokenizer; their counts go into {@code manifest}.
     */
    private Batches sftBatches(Tokenizer tokenizer, int window, Map<String, Object> manifest) {
        List<SftExamples.Example> rows = SftExamples.read(Path.of(config.corpus()), tokenizer,
                SftExamples.tokenizerDir(config.tokenizer()), window);
        SftBatches batches = new SftBatches(rows, config.valFraction(), config.batchSize(), config.seed());
        manifest.put("format", "sft-jsonl");
        manifest.put("corpus", config.corpus());
        manifest.put("examples", rows.size());
        manifest.put("train_examples", batches.trainExamples());
        manifest.put("tokens", rows.stream().mapToLong(r -> r.ids().length).sum());
        manifest.put("trained_tokens", rows.stream().mapToLong(SftExamples.Example::trainedTokens).sum());
        return batches;
    }

    /** Closes the listeners that hold files (the metrics log), once the run is over however it ended. */
    private static void close(List<RunListener> all) {
        for (RunListener l : all) {
            if (l instanceof MetricsLog log) {
                log.close();
            }
        }
    }

    private Result loop(Training t, Setup s) {
        Engine engine = Engine.getInstance();
        List<RunListener> all = t.listeners();
        long start = t.step();
        for (RunListener l : all) {
            l.started(this, start);
        }
        status(RunState.RUNNING, start - 1, null);
        long step = start;
        for (; step < config.steps(); step++) {
            if (cancelAsked()) {
                return finish(t, s, RunState.CANCELLED, step - 1, null);
            }
            t.step(step);
            long s0 = nanos.getAsLong();
            double lr = s.schedule().at(step);
            OptionalDouble loss = forwardBackward(engine, s, step);
            if (loss.isEmpty()) { // a step cut short changes no weight: the run ends at the one before
                return finish(t, s, RunState.CANCELLED, step - 1, null);
            }
            t.loss(loss.getAsDouble());
            for (RunListener l : all) {
                l.batch(t);
            }
            if (t.stopping().isPresent()) { // before the optimizer applies this step: the run ends at the one before
                return finish(t, s, t.stopping().get(), step - 1, t.stopMessage());
            }
            // fp16: a step whose gradients overflowed is skipped (norm not finite) and the loss scale lowered
            float norm = s.mixed() != null ? s.opt().step(lr, config.gradClip(), s.mixed()) : s.opt().step(lr, config.gradClip());
            double secs = (nanos.getAsLong() - s0) / 1e9;
            RunListener.Step ev = new RunListener.Step(step, t.loss(), lr, norm, s.tokensPerStep() / secs,
                    (nanos.getAsLong() - s.t0()) / 1e9);
            lastStep = step;
            for (RunListener l : all) {
                l.step(ev);
            }
            if ((step + 1) % config.evalEvery() == 0 || t.lastStep()) {
                RunListener.Eval e = t.evaluated(validationLoss(s.model(), s.windows(), s.root()));
                for (RunListener l : all) {
                    l.eval(e);
                }
            }
            for (RunListener l : all) {
                l.stepEnded(t);
            }
            if (t.stopping().isPresent()) {
                return finish(t, s, t.stopping().get(), step, t.stopMessage());
            }
        }
        return finish(t, s, RunState.COMPLETED, step - 1, null);
    }

    /**
     * One step's micro-batches forward and backward; returns the mean training loss, or nothing
     * when a stop was asked for before the step's last backward pass (the optimizer has not run,
     * so no weight changed).
     */
    private OptionalDouble forwardBackward(Engine engine, Setup s, long step) {
        double sum = 0;
        try (NDManager sm = s.root().newSubManager()) {
            for (int micro = 0; micro < config.gradAccum(); micro++) {
                if (micro > 0 && cancelAsked()) {
                    return OptionalDouble.empty();
                }
                engine.setRandomSeed(stepSeed(step, micro)); // dropout depends on (seed, step) only
                NDList xy = s.windows().train(sm, step, micro);
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray logits = s.model().forward(xy.get(0), true);
                    if (cancelAsked()) { // before the backward pass, the longest part of a step
                        return OptionalDouble.empty();
                    }
                    NDArray l = Losses.loss(logits, xy);
                    NDArray target = config.gradAccum() > 1 ? l.div(Scalars.like(l, config.gradAccum())) : l;
                    gc.backward(s.mixed() != null ? s.mixed().scaleLoss(target) : target);
                    sum += l.getFloat();
                }
            }
        }
        return OptionalDouble.of(sum / config.gradAccum());
    }

    /** Whether the run was asked to stop: {@link #cancel()}, an interrupt of the training thread, or a cancel request in the run directory. */
    private boolean cancelAsked() {
        return cancel.get() || Thread.currentThread().isInterrupted() || dir.cancelRequested();
    }

    /**
     * Ends the run: a checkpoint of its last step (unless it failed, or has one), its final
     * status, the manifest's summary, and the listeners' {@code ended}; a failed run then throws.
     */
    private Result finish(Training t, Setup s, RunState status, long step, String message) {
        if (status != RunState.FAILED && step >= 0 && !dir.hasCheckpoint(step)) {
            t.step(step);
            t.checkpoint();
        }
        double secs = (nanos.getAsLong() - s.t0()) / 1e9;
        status(status, step, message);
        ended = true;
        t.ended();
        double loss = t.loss();
        double best = t.bestValLoss();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", status.json());
        summary.put("last_step", step);
        summary.put("train_loss", Double.isFinite(loss) ? loss : null);
        summary.put("best_val_loss", Double.isFinite(best) ? best : null);
        summary.put("seconds", secs);
        dir.updateManifest(Map.of("summary", summary));
        for (RunListener l : t.listeners()) {
            l.ended(status, message);
        }
        if (status == RunState.FAILED) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, message);
        }
        return new Result(status, step, loss, best, secs);
    }

    /** The loss over the validation rows (at most eval_batches batches): per target, completion targets only for fine-tuning rows. */
    double validationLoss(LanguageModel model, Batches windows, NDManager root) {
        long want = Math.min(windows.validationWindows(), (long) config.evalBatches() * config.batchSize());
        return Losses.validationLoss(model, windows, want, config.batchSize(), root);
    }

    private int stepSeed(long step, int micro) {
        long h = config.seed() * 0x9E3779B97F4A7C15L + step * 31 + micro;
        return (int) (h ^ (h >>> 32)) & 0x7FFFFFFF;
    }

    private void status(RunState status, long step, String message) {
        dir.writeStatus(status, step, config.steps(), message, ProcessHandle.current().pid());
    }
}
