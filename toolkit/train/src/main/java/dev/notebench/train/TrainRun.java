package dev.notebench.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.train.data.TokenFile;
import dev.notebench.train.data.Windows;
import dev.notebench.train.model.CharLstmModel;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.model.Scalars;
import dev.notebench.train.optim.AdamW;
import dev.notebench.train.optim.LrSchedule;
import dev.notebench.train.optim.MixedPrecision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One training run and its directory {@code runs/<run_id>/}: {@code manifest.json},
 * {@code status.json} ({@link RunStatus}), {@code metrics.jsonl}, {@code checkpoints/} and
 * {@code owner.lock} ({@link RunLock}). {@link #run()} trains from the start or, for a run that
 * has checkpoints, from the latest one, drawing exactly the batches, dropout masks and learning
 * rates an uninterrupted run would have. While it trains, the run is owned by this process: a
 * second trainer of the same directory, here or in another process, is refused.
 *
 * <pre>{@code
 * TrainRun run = TrainRun.create(config).listener(myPlot);
 * TrainRun.Result r = run.run();              // blocks; run.cancel() from another thread stops it
 * TrainRun again = TrainRun.open(run.directory());
 * again.run();                                 // continues from the latest checkpoint
 * }</pre>
 */
public final class TrainRun {
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** The status file's name. */
    public static final String STATUS = "status.json";
    /** A file whose presence asks a run, possibly in another process, to stop after its current step. */
    public static final String CANCEL = "cancel";
    /** A file whose presence asks a run, possibly in another process, to write a checkpoint after its current step. */
    public static final String CHECKPOINT_NOW = "checkpoint-now";
    /** The checkpoints directory's name. */
    static final String CHECKPOINTS = "checkpoints";
    private static final int KEEP_CHECKPOINTS = 2;

    private final TrainConfig config;
    private MixedPrecision mixed; // while training in fp16
    private final Path dir;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cancel = new AtomicBoolean();
    private final AtomicBoolean checkpointNow = new AtomicBoolean();
    private volatile long lastHeartbeat;
    private volatile long lastStep = -1; // the last step done, as the status shows it
    private boolean ended; // whether this call of run() wrote its final status
    private Duration ownerPatience = RunLock.PATIENCE;
    private boolean clearCancelOnStart = true;

    /**
     * How a run ended.
     *
     * @param status completed, cancelled, stopped-early or failed
     * @param lastStep the last step done
     * @param trainLoss the last training loss
     * @param bestValLoss the best validation loss
     * @param seconds wall time of this call
     */
    public record Result(String status, long lastStep, double trainLoss, double bestValLoss, double seconds) {
    }

    private TrainRun(TrainConfig config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    /**
     * Prepares a new run directory, after checking what can be checked without training: the
     * model family and its settings, the tokenizer and the corpus. A directory of the same run id
     * that never trained a step (its start failed) is made again.
     *
     * @param config the configuration
     * @return the run
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} if the run id is taken, or
     *     the code of whatever the configuration gets wrong; no directory is made then
     */
    public static TrainRun create(TrainConfig config) {
        return new TrainRun(config, RunDirectory.create(config));
    }

    /**
     * Opens an existing run, to resume or inspect it.
     *
     * @param dir the run directory
     */
    public static TrainRun open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new NotebenchException(Files.exists(dir) ? ErrorCode.DATA_INVALID : ErrorCode.DATA_NOT_FOUND, dir
                    + (Files.exists(dir) ? " is not a run directory (it has no " + MANIFEST + ")" : " does not exist")
                    + "; %runs or ./notebench runs lists the runs");
        }
        JsonObject m = readJson(dir.resolve(MANIFEST), "run manifest");
        return new TrainRun(ConfigJson.fromJson(m.getAsJsonObject("config")), dir.toAbsolutePath().normalize());
    }

    /** Returns the run directory. */
    public Path directory() {
        return dir;
    }

    /** Returns the configuration. */
    public TrainConfig config() {
        return config;
    }

    /**
     * Adds a listener.
     *
     * @param l the listener
     * @return this run
     */
    public TrainRun listener(RunListener l) {
        listeners.add(l);
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
     * Asks the run in a directory to write a checkpoint after its current step and go on,
     * whichever process trains it.
     *
     * @param runDir the run directory
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} when no process trains the run
     */
    public static void requestCheckpoint(Path runDir) {
        Path dir = runDir.toAbsolutePath().normalize();
        RunStatus s = RunStatus.read(dir);
        if (!s.active()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + dir + " is not running, so it writes no checkpoint"
                    + " now; it is " + s.describe() + (s.message() != null ? " (" + s.message() + ")" : ""));
        }
        try {
            Files.writeString(dir.resolve(CHECKPOINT_NOW), Instant.now().toString());
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot ask run " + dir + " for a checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Asks the run in a directory to stop after its current step, whichever process trains it.
     *
     * @param runDir the run directory
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} when no process trains the run
     */
    public static void requestCancel(Path runDir) {
        Path dir = runDir.toAbsolutePath().normalize();
        RunStatus s = RunStatus.read(dir);
        if (!s.active()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + dir + " is not running, there is nothing to stop: "
                    + (s.state().equals(RunStatus.LOST) ? "it is lost: " + s.message()
                    : "it is " + s.describe() + (s.message() != null ? " (" + s.message() + ")" : "")));
        }
        try {
            Files.writeString(dir.resolve(CANCEL), Instant.now().toString());
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot ask run " + dir + " to stop: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a run's status: what its trainer last wrote, or {@value RunStatus#LOST} when that
     * trainer is gone.
     *
     * @param runDir the run directory
     */
    public static RunStatus status(Path runDir) {
        return RunStatus.read(runDir);
    }

    /**
     * Owns the run ({@link RunLock}) and trains it until the configured steps are done, the run is
     * cancelled or interrupted, early stopping triggers, or the loss stops being finite. A failure
     * is written to the run's status with its reason before it is thrown.
     *
     * @return how it ended
     * @throws NotebenchException with {@link ErrorCode#MODEL_TRAIN_FAILED} when another trainer owns
     *     the run (nothing is touched then) or the loss becomes NaN or infinite;
     *     {@link ErrorCode#CONFIG_INVALID} when the run is complete (nothing is touched then);
     *     {@link ErrorCode#CACHE_CORRUPT} when the checkpoint to resume from is damaged
     */
    public Result run() {
        long t0 = System.nanoTime();
        try (RunLock owner = RunLock.acquire(dir, ownerPatience)) {
            refuseIfComplete();
            if (clearCancelOnStart) {
                clearCancel(); // an old request does not stop a new start
            }
            lastStep = RunDirectory.lastCheckpointStep(dir);
            ended = false;
            status(RunStatus.RUNNING, lastStep, null);
            try {
                return train(t0);
            } catch (RuntimeException | Error e) {
                if (!ended) { // failed before it could say so: say so, so that the run does not read "running"
                    try {
                        status(RunStatus.FAILED, lastStep, e instanceof NotebenchException ? e.getMessage() : e.toString());
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
        RunStatus s = RunStatus.read(dir);
        if (s.active()) {
            boolean here = s.pid() != null && s.pid() == ProcessHandle.current().pid() && RunLock.hostName().equals(s.host());
            throw RunLock.busy(dir, here ? "this process (pid " + s.pid() + " on host " + s.host() + "; e.g. a %train --background)"
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
        RunDirectory.refuseIfComplete(dir, config.steps());
    }

    /** Lets a run started by {@link Detached} wait for the starting process to hand the run over, and keep a cancel sent meanwhile. */
    TrainRun startedDetached(Duration patience) {
        this.ownerPatience = patience;
        this.clearCancelOnStart = false;
        return this;
    }

    void clearCancel() {
        try {
            Files.deleteIfExists(dir.resolve(CHECKPOINT_NOW));
            Files.deleteIfExists(dir.resolve(CANCEL));
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot clear " + dir.resolve(CANCEL) + ": " + e.getMessage(), e);
        }
    }

    private Result train(long t0) {
        Device device = Devices.select(config.device(), config.precision());
        Engine engine = Engine.getInstance();
        Devices.threads(config.threads());
        Tokenizer tokenizer = TokenizerArtifact.load(config.tokenizer());
        NativeHeap heap = NativeHeap.ofProcess();
        heap.tuneForTraining();
        try (NDManager root = NDManager.newBaseManager(device);
             tokenizer;
             TokenFile data = tokens(tokenizer)) {
            engine.setRandomSeed((int) config.seed());
            LanguageModel model = ModelFamilies.get(config.model().family()).create(config.model(), tokenizer.vocabSize(), root);
            int seqLen = model.contextLength() > 0 ? model.contextLength() : ((CharLstmModel) model).seqLen();
            Windows windows = new Windows(data, seqLen, config.batchSize(), config.seed());
            LrSchedule schedule = new LrSchedule(config.learningRate(), config.minLearningRate(), config.warmupSteps(), config.steps());
            try (model; AdamW opt = new AdamW(model.parameters(), model::decays, config.beta1(), config.beta2(), config.eps(),
                    config.weightDecay(), root)) {
                long start = 0;
                double best = Double.POSITIVE_INFINITY;
                int sinceBest = 0;
                List<Path> existing = Checkpoint.list(dir.resolve(CHECKPOINTS));
                JsonObject saved = null;
                if (!existing.isEmpty()) {
                    saved = Checkpoint.load(existing.get(existing.size() - 1), model, opt);
                    start = saved.get("step").getAsLong() + 1;
                    best = saved.get("best_val_loss").getAsDouble();
                    sinceBest = saved.get("evals_since_best").getAsInt();
                }
                mixed = config.precision() == Precision.FP16 ? new MixedPrecision(model, root) : null;
                if (mixed != null && saved != null && saved.has("loss_scale")) {
                    mixed.restore(saved.get("loss_scale").getAsDouble(), saved.get("loss_scale_good_steps").getAsInt());
                }
                updateManifest(Map.of("parameters", model.parameterCount(), "device", device.toString(),
                        "data", data.manifest(), "tokenizer_sha256", sha256(RunDirectory.tokenizerFile(config.tokenizer()))));
                try (MixedPrecision closeMixed = mixed; MetricsLog log = new MetricsLog(dir, start - 1)) {
                    List<RunListener> all = new ArrayList<>(listeners);
                    all.add(0, log);
                    return loop(model, opt, windows, schedule, seqLen, start, best, sinceBest, all, root, t0);
                } finally {
                    mixed = null;
                }
            }
        } finally {
            heap.release(); // after the run's arrays are closed
        }
    }

    private Result loop(LanguageModel model, AdamW opt, Windows windows, LrSchedule schedule, int seqLen, long start,
                        double best, int sinceBest, List<RunListener> all, NDManager root, long t0) {
        Engine engine = Engine.getInstance();
        for (RunListener l : all) {
            l.started(this, start);
        }
        status(RunStatus.RUNNING, start - 1, null);
        long tokensPerStep = (long) config.batchSize() * config.gradAccum() * seqLen;
        double loss = Double.NaN;
        long step = start;
        for (; step < config.steps(); step++) {
            if (cancelAsked()) {
                return finish("cancelled", step - 1, loss, best, sinceBest, model, opt, all, t0, true, null);
            }
            long s0 = System.nanoTime();
            double lr = schedule.at(step);
            double sum = 0;
            try (NDManager sm = root.newSubManager()) {
                for (int micro = 0; micro < config.gradAccum(); micro++) {
                    if (micro > 0 && cancelAsked()) { // a step cut short changes no weight: the run ends at the one before
                        return finish("cancelled", step - 1, loss, best, sinceBest, model, opt, all, t0, true, null);
                    }
                    engine.setRandomSeed(stepSeed(step, micro)); // dropout depends on (seed, step) only
                    NDList xy = windows.train(sm, step, micro);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray logits = model.forward(xy.get(0), true);
                        if (cancelAsked()) { // before the backward pass, the longest part of a step
                            return finish("cancelled", step - 1, loss, best, sinceBest, model, opt, all, t0, true, null);
                        }
                        NDArray l = Losses.crossEntropy(logits, xy.get(1));
                        NDArray target = config.gradAccum() > 1 ? l.div(Scalars.like(l, config.gradAccum())) : l;
                        gc.backward(mixed != null ? mixed.scaleLoss(target) : target);
                        sum += l.getFloat();
                    }
                }
            }
            loss = sum / config.gradAccum();
            if (!Double.isFinite(loss)) {
                String last = Checkpoint.list(dir.resolve(CHECKPOINTS)).stream().reduce((a, b) -> b)
                        .map(p -> "the last good checkpoint is " + p.getFileName()).orElse("no checkpoint was written yet");
                String msg = "the training loss became " + loss + " at step " + step + "; " + last
                        + "; lower the learning rate or raise the warmup";
                finish("failed", step - 1, loss, best, sinceBest, model, opt, all, t0, false, msg);
                throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, msg);
            }
            // fp16: a step whose gradients overflowed is skipped (norm not finite) and the loss scale lowered
            float norm = mixed != null ? opt.step(lr, config.gradClip(), mixed) : opt.step(lr, config.gradClip());
            double secs = (System.nanoTime() - s0) / 1e9;
            RunListener.Step ev = new RunListener.Step(step, loss, lr, norm, tokensPerStep / secs, (System.nanoTime() - t0) / 1e9);
            lastStep = step;
            for (RunListener l : all) {
                l.step(ev);
            }
            boolean last = step == config.steps() - 1;
            boolean improved = false;
            if ((step + 1) % config.evalEvery() == 0 || last) {
                double val = validationLoss(model, windows, root);
                improved = val < best;
                if (improved) {
                    best = val;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                RunListener.Eval e = new RunListener.Eval(step, val, Math.exp(val), improved);
                for (RunListener l : all) {
                    l.eval(e);
                }
                if (improved) {
                    save(dir.resolve(CHECKPOINTS).resolve("best"), model, null, step, best, sinceBest);
                }
            }
            boolean asked = checkpointAsked(); // asked for now, or met by this step's periodic one
            if (!last && (asked || (step + 1) % config.checkpointEvery() == 0)) { // the last step's is written at the end
                checkpoint(step, model, opt, best, sinceBest, all);
            }
            if (config.patience() > 0 && sinceBest >= config.patience()) {
                return finish("stopped-early", step, loss, best, sinceBest, model, opt, all, t0, true, null);
            }
            heartbeat(step);
        }
        return finish("completed", step - 1, loss, best, sinceBest, model, opt, all, t0, true, null);
    }

    /** Whether the run was asked to stop: {@link #cancel()}, an interrupt of the training thread, or a cancel file in the run directory. */
    private boolean cancelAsked() {
        return cancel.get() || Thread.currentThread().isInterrupted() || Files.exists(dir.resolve(CANCEL));
    }

    /** Whether a checkpoint was asked for since the last one, in this process or through the run directory. */
    private boolean checkpointAsked() {
        boolean asked = checkpointNow.getAndSet(false);
        Path file = dir.resolve(CHECKPOINT_NOW);
        if (Files.exists(file)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot clear " + file + ": " + e.getMessage(), e);
            }
            asked = true;
        }
        return asked;
    }

    private Result finish(String status, long step, double loss, double best, int sinceBest, LanguageModel model, AdamW opt,
                          List<RunListener> all, long t0, boolean save, String message) {
        if (save && step >= 0 && !Checkpoint.list(dir.resolve(CHECKPOINTS)).stream()
                .anyMatch(p -> p.getFileName().toString().equals(stepName(step)))) {
            checkpoint(step, model, opt, best, sinceBest, all);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        status(status, step, message);
        ended = true;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", status);
        summary.put("last_step", step);
        summary.put("train_loss", Double.isFinite(loss) ? loss : null);
        summary.put("best_val_loss", Double.isFinite(best) ? best : null);
        summary.put("seconds", secs);
        updateManifest(Map.of("summary", summary));
        for (RunListener l : all) {
            l.ended(status, message);
        }
        return new Result(status, step, loss, best, secs);
    }

    /** Mean cross-entropy over the validation windows (at most eval_batches batches). */
    double validationLoss(LanguageModel model, Windows windows, NDManager root) {
        long available = windows.validationWindows();
        long want = Math.min(available, (long) config.evalBatches() * config.batchSize());
        double sum = 0;
        long n = 0;
        for (long first = 0; first < want; first += config.batchSize()) {
            int rows = (int) Math.min(config.batchSize(), want - first);
            try (NDManager em = root.newSubManager()) {
                NDList xy = windows.validation(em, first, rows);
                sum += Losses.crossEntropy(model.forward(xy.get(0), false), xy.get(1)).getFloat() * rows;
                n += rows;
            }
        }
        return sum / n;
    }

    private void checkpoint(long step, LanguageModel model, AdamW opt, double best, int sinceBest, List<RunListener> all) {
        Path cp = dir.resolve(CHECKPOINTS).resolve(stepName(step));
        save(cp, model, opt, step, best, sinceBest);
        if (!ended) {
            status(RunStatus.RUNNING, step, null); // the status never lags the checkpoints
        }
        List<Path> steps = Checkpoint.list(dir.resolve(CHECKPOINTS));
        for (int i = 0; i < steps.size() - KEEP_CHECKPOINTS; i++) {
            try {
                Checkpoint.deleteTree(steps.get(i));
            } catch (IOException e) {
                // an old checkpoint left behind costs disk, not correctness
            }
        }
        for (RunListener l : all) {
            l.checkpoint(step, cp);
        }
    }

    private void save(Path cp, LanguageModel model, AdamW opt, long step, double best, int sinceBest) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        state.put("updates", opt == null ? step + 1 : opt.updates());
        state.put("best_val_loss", best);
        state.put("evals_since_best", sinceBest);
        if (mixed != null) {
            state.put("loss_scale", mixed.scale());
            state.put("loss_scale_good_steps", mixed.goodSteps());
            state.put("overflow_steps", mixed.overflows());
        }
        state.put("time", Instant.now().toString());
        try {
            Checkpoint.save(cp, model, opt, state);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot write checkpoint " + cp + ": " + e.getMessage(), e);
        }
    }

    static String stepName(long step) {
        return String.format("step-%08d", step);
    }

    private int stepSeed(long step, int micro) {
        long h = config.seed() * 0x9E3779B97F4A7C15L + step * 31 + micro;
        return (int) (h ^ (h >>> 32)) & 0x7FFFFFFF;
    }

    /**
     * Opens the run's token file (encoding the corpus first if no run has yet).
     *
     * @param tokenizer the run's tokenizer
     * @return the token file; close it
     */
    public TokenFile tokens(Tokenizer tokenizer) {
        String tokSha = sha256(RunDirectory.tokenizerFile(config.tokenizer()));
        Corpus corpus = Corpus.of(config.corpus());
        String key = sha256Of(tokSha + "\n" + corpus.files() + "\n" + config.valFraction()).substring(0, 16);
        Path cache = config.runsDir().resolve(".tokens").resolve(key);
        TokenFile data = TokenFile.build(corpus, tokenizer, tokSha, config.valFraction(), cache);
        if (data.vocabSize() != tokenizer.vocabSize()) {
            data.close();
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the token file in " + cache + " was written with a "
                    + data.vocabSize() + "-token vocabulary, the tokenizer has " + tokenizer.vocabSize() + "; delete " + cache);
        }
        return data;
    }

    private void heartbeat(long step) {
        long now = System.nanoTime();
        if (now - lastHeartbeat > 2_000_000_000L) {
            lastHeartbeat = now;
            status(RunStatus.RUNNING, step, null);
        }
    }

    private void status(String status, long step, String message) {
        RunStatus.write(dir, status, step, config.steps(), message, ProcessHandle.current().pid());
    }

    private synchronized void updateManifest(Map<String, Object> add) {
        JsonObject m = readJson(dir.resolve(MANIFEST), "run manifest");
        JsonObject extra = JsonParser.parseString(new GsonBuilder().serializeNulls().create().toJson(add)).getAsJsonObject();
        extra.entrySet().forEach(e -> m.add(e.getKey(), e.getValue()));
        writeJson(dir.resolve(MANIFEST), m);
    }

    static void writeJson(Path file, Object o) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o), StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonObject readJson(Path file, String what) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read the " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256Of(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
