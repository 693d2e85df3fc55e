package dev.notebench.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.internal.Sha256;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.shards.ShardManifest;
import dev.notebench.tokenize.shards.TokenShards;
import dev.notebench.train.data.ShardData;
import dev.notebench.train.data.TokenData;
import dev.notebench.train.data.TokenFile;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.optim.OptimizerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A run directory {@code runs/<run_id>/} and the one owner of its files: {@code manifest.json},
 * {@code status.json} ({@link RunStatus}, a {@link RunState}), {@code owner.lock}
 * ({@link RunLock}), the {@code cancel} and {@code checkpoint-now} requests, {@code checkpoints/}
 * (step checkpoints, the last {@value #KEEP_CHECKPOINTS} kept, and {@code best}),
 * {@code metrics.jsonl} ({@link MetricsLog}), {@code train.log} ({@link Detached}), and the token
 * cache the runs of a runs directory share ({@code runs/.tokens/}). Whoever reads or writes a run
 * goes through it.
 *
 * <pre>{@code
 * for (RunDirectory run : RunDirectory.list(Path.of("runs"))) {
 *     System.out.println(run.path().getFileName() + " " + run.status().describe());
 * }
 * RunDirectory.open(Path.of("runs/gpt-sotu")).requestCancel();   // whichever process trains it
 * }</pre>
 */
public final class RunDirectory {
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** The status file's name. */
    public static final String STATUS = "status.json";
    /** A file whose presence asks a run, possibly in another process, to stop after its current step. */
    public static final String CANCEL = "cancel";
    /** A file whose presence asks a run, possibly in another process, to write a checkpoint after its current step. */
    public static final String CHECKPOINT_NOW = "checkpoint-now";
    /** The checkpoints directory's name. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The name of the checkpoint with the best validation loss, in {@link #CHECKPOINTS}. */
    public static final String BEST = "best";
    /** How many step checkpoints a run keeps: the older ones are deleted as new ones are written. */
    public static final int KEEP_CHECKPOINTS = 2;
    /** The token cache's directory in a runs directory. */
    static final String TOKENS = ".tokens";
    /** What a run directory that never trained a step may hold. */
    private static final Set<String> UNTRAINED_FILES = Set.of(MANIFEST, STATUS, STATUS + ".tmp",
            MetricsLog.FILE, CHECKPOINTS, CANCEL, RunLock.FILE, Detached.LOG);

    private final Path dir;
    private final Clock clock;
    private TrainConfig config; // read from the manifest when first asked for

    private RunDirectory(Path dir, TrainConfig config, Clock clock) {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Makes the directory of a new run, after checking what can be checked without training: the
     * model family and its settings, the tokenizer and the corpus. A directory of the same run id
     * that never trained a step (its start failed) is made again.
     *
     * @param config the configuration
     * @return the run directory, with its manifest
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} if the run id is taken, or
     *     the code of whatever the configuration gets wrong; no directory is made then
     */
    public static RunDirectory create(TrainConfig config) {
        validate(config);
        Path dir = config.runsDir().resolve(config.runId()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        Clock clock = Clock.systemUTC();
        try (RunLock owner = RunLock.acquire(dir)) {
            if (Files.exists(dir.resolve(MANIFEST))) {
                RunStatus was = RunStatus.readOwned(dir, clock);
                if (!untrained(dir, was)) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + config.runId() + " already exists in "
                            + config.runsDir() + " (" + was.describe() + "); " + (was.state() == RunState.COMPLETED
                            ? "choose another --run-id" : "resume it with " + FrontEnd.command("train --resume " + dir)
                            + ", or choose another --run-id"));
                }
                clearUntrained(dir);
            }
            Files.createDirectories(dir.resolve(CHECKPOINTS));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "notebench-run/1");
            m.put("run_id", config.runId());
            m.put("created", clock.instant().toString());
            m.put("config", ConfigJson.toMap(config.absolute())); // the same files from any working directory
            m.put("versions", Versions.all());
            m.put("git_commit", Versions.gitCommit());
            Files.writeString(dir.resolve(MANIFEST), new GsonBuilder().setPrettyPrinting().create().toJson(m),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        return new RunDirectory(dir, config.absolute(), clock);
    }

    /**
     * Opens an existing run directory.
     *
     * @param dir the run directory
     * @return the run directory, absolute
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when it does not exist, or
     *     {@link ErrorCode#DATA_INVALID} when it has no manifest
     */
    public static RunDirectory open(Path dir) {
        if (!isRun(dir)) {
            throw new NotebenchException(Files.exists(dir) ? ErrorCode.DATA_INVALID : ErrorCode.DATA_NOT_FOUND, dir
                    + (Files.exists(dir) ? " is not a run directory (it has no " + MANIFEST + ")" : " does not exist")
                    + "; " + FrontEnd.command("runs") + " lists the runs");
        }
        return new RunDirectory(dir.toAbsolutePath().normalize(), null, Clock.systemUTC());
    }

    /**
     * Returns whether a directory is a run directory (it has a manifest).
     *
     * @param dir a directory
     */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /**
     * Lists the runs in a runs directory, by name.
     *
     * @param runsDir the runs directory, e.g. {@code runs}
     * @return the run directories; none when the runs directory does not exist
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when it cannot be listed
     */
    public static List<RunDirectory> list(Path runsDir) {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runsDir)) {
            return s.filter(RunDirectory::isRun).sorted()
                    .map(p -> new RunDirectory(p.toAbsolutePath().normalize(), null, Clock.systemUTC())).toList();
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot list " + runsDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns this run directory with another clock: the time its heartbeats and requests are
     * written with, and by which {@link #status()} ages heartbeats.
     *
     * @param clock the clock
     */
    public RunDirectory withClock(Clock clock) {
        return new RunDirectory(dir, config, Objects.requireNonNull(clock, "clock"));
    }

    /** Returns the clock its times are written and aged by. */
    public Clock clock() {
        return clock;
    }

    /** Returns the directory, absolute. */
    public Path path() {
        return dir;
    }

    /** Returns the run's id: its directory's name. */
    public String id() {
        return dir.getFileName().toString();
    }

    /** Returns the configuration the manifest records. */
    public synchronized TrainConfig config() {
        if (config == null) {
            config = ConfigJson.fromJson(manifest().getAsJsonObject("config"));
        }
        return config;
    }

    /**
     * Reads the manifest.
     *
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when it cannot be read
     */
    public JsonObject manifest() {
        return readJson(dir.resolve(MANIFEST), "run manifest");
    }

    /** Adds (or replaces) top-level entries of the manifest, in one atomic write. */
    synchronized void updateManifest(Map<String, Object> add) {
        JsonObject m = manifest();
        JsonObject extra = JsonParser.parseString(new GsonBuilder().serializeNulls().create().toJson(add)).getAsJsonObject();
        extra.entrySet().forEach(e -> m.add(e.getKey(), e.getValue()));
        writeJson(dir.resolve(MANIFEST), m);
    }

    /** Returns the metrics log's file ({@link MetricsLog}). */
    public Path metricsFile() {
        return dir.resolve(MetricsLog.FILE);
    }

    /** Returns the log file of a detached run ({@link Detached}). */
    public Path logFile() {
        return dir.resolve(Detached.LOG);
    }

    /**
     * Reads the run's status now: what its trainer last wrote, or {@link RunState#LOST} when that
     * trainer is gone.
     */
    public RunStatus status() {
        return RunStatus.read(dir, clock);
    }

    /**
     * Writes the run's status; only its owner (the holder of its {@link RunLock}) does, and the
     * detached start that hands the run over.
     *
     * @param state the state
     * @param step the last step done
     * @param steps the steps of the run
     * @param message why, or null
     * @param pid the process that trains it, or null
     */
    void writeStatus(RunState state, long step, long steps, String message, Long pid) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", state.json());
        s.put("step", step);
        s.put("steps", steps);
        if (pid != null) {
            s.put("pid", pid);
            s.put("host", RunLock.hostName());
        }
        s.put("heartbeat", clock.instant().toString());
        if (message != null) {
            s.put("message", message);
        }
        writeJson(dir.resolve(STATUS), s);
    }

    /**
     * Takes ownership of the run ({@link RunLock#acquire(Path, Duration)}).
     *
     * @param patience how long to retry a lock another process holds
     * @return the lock; close it when the run is no longer trained
     */
    public RunLock lock(Duration patience) {
        return RunLock.acquire(dir, patience);
    }

    /**
     * Asks the run to stop after its current step, whichever process trains it.
     *
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} when no process trains the run
     */
    public void requestCancel() {
        RunStatus s = status();
        if (!s.active()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + dir + " is not running, there is nothing to stop: "
                    + (s.state() == RunState.LOST ? "it is lost: " + s.message()
                    : "it is " + s.describe() + (s.message() != null ? " (" + s.message() + ")" : "")));
        }
        request(CANCEL, "to stop");
    }

    /**
     * Asks the run to write a checkpoint after its current step and go on, whichever process trains it.
     *
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} when no process trains the run
     */
    public void requestCheckpoint() {
        RunStatus s = status();
        if (!s.active()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + dir + " is not running, so it writes no checkpoint"
                    + " now; it is " + s.describe() + (s.message() != null ? " (" + s.message() + ")" : ""));
        }
        request(CHECKPOINT_NOW, "for a checkpoint");
    }

    private void request(String file, String what) {
        try {
            Files.writeString(dir.resolve(file), clock.instant().toString());
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot ask run " + dir + " " + what + ": " + e.getMessage(), e);
        }
    }

    /** Returns whether someone asked the run to stop ({@link #requestCancel()}). */
    public boolean cancelRequested() {
        return Files.exists(dir.resolve(CANCEL));
    }

    /** Returns whether someone asked for a checkpoint ({@link #requestCheckpoint()}) since the last call, and clears the request. */
    boolean takeCheckpointRequest() {
        Path file = dir.resolve(CHECKPOINT_NOW);
        if (!Files.exists(file)) {
            return false;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot clear " + file + ": " + e.getMessage(), e);
        }
        return true;
    }

    /** Forgets the requests to stop and to checkpoint: an old request does not stop a new start. */
    void clearRequests() {
        try {
            Files.deleteIfExists(dir.resolve(CHECKPOINT_NOW));
            Files.deleteIfExists(dir.resolve(CANCEL));
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot clear " + dir.resolve(CANCEL) + ": " + e.getMessage(), e);
        }
    }

    /** Returns the checkpoints directory. */
    public Path checkpointsDir() {
        return dir.resolve(CHECKPOINTS);
    }

    /** Returns the step checkpoints, oldest first. */
    public List<Path> checkpoints() {
        return Checkpoint.list(checkpointsDir());
    }

    /** Returns the latest step checkpoint, if any. */
    public Optional<Path> latestCheckpoint() {
        List<Path> cps = checkpoints();
        return cps.isEmpty() ? Optional.empty() : Optional.of(cps.get(cps.size() - 1));
    }

    /** Returns the step of the latest checkpoint, or -1 when there is none. */
    public long lastCheckpointStep() {
        return latestCheckpoint().map(Checkpoint::step).orElse(-1L);
    }

    /** Returns the checkpoint of the best validation loss (which may not exist yet). */
    public Path bestCheckpoint() {
        return checkpointsDir().resolve(BEST);
    }

    /**
     * Returns the checkpoint a model is loaded from by default: the best one, else the latest.
     *
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when the run has none yet
     */
    public Path modelCheckpoint() {
        Path best = bestCheckpoint();
        if (Files.isRegularFile(best.resolve(Checkpoint.STATE))) {
            return best;
        }
        return latestCheckpoint().orElseThrow(() -> new NotebenchException(ErrorCode.DATA_NOT_FOUND,
                "run " + dir + " has no checkpoint yet"));
    }

    /** The name of the checkpoint after a step, e.g. {@code step-00000049}. */
    static String stepName(long step) {
        return String.format("step-%08d", step);
    }

    /** Returns whether the checkpoint after a step exists. */
    boolean hasCheckpoint(long step) {
        return checkpoints().stream().anyMatch(p -> p.getFileName().toString().equals(stepName(step)));
    }

    /**
     * Writes the checkpoint after a step and deletes step checkpoints beyond the last
     * {@value #KEEP_CHECKPOINTS}.
     *
     * @return the checkpoint
     */
    Path saveCheckpoint(long step, LanguageModel model, OptimizerState optimizer, Map<String, Object> state) {
        Path cp = checkpointsDir().resolve(stepName(step));
        save(cp, model, optimizer, state);
        List<Path> steps = checkpoints();
        for (int i = 0; i < steps.size() - KEEP_CHECKPOINTS; i++) {
            try {
                Checkpoint.deleteTree(steps.get(i));
            } catch (IOException e) {
                // an old checkpoint left behind costs disk, not correctness
            }
        }
        return cp;
    }

    /** Writes the weights of the best validation loss so far to {@link #bestCheckpoint()}. */
    void saveBest(LanguageModel model, Map<String, Object> state) {
        save(bestCheckpoint(), model, null, state);
    }

    private void save(Path cp, LanguageModel model, OptimizerState optimizer, Map<String, Object> state) {
        try {
            Checkpoint.save(cp, model, optimizer, state);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot write checkpoint " + cp + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails, without touching the run, when its checkpoints hold every configured step.
     *
     * @param steps the run's steps
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} saying how to train further
     */
    void refuseIfComplete(int steps) {
        if (lastCheckpointStep() >= steps - 1) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + dir + " is complete: it trained all its "
                    + steps + " steps, so there is nothing to resume. To train further, start a new run with more"
                    + " --steps (and another --run-id); its learning-rate schedule spans all of its steps");
        }
    }

    /**
     * Opens the run's tokens: its token shards ({@code --tokens}), or the token file from the
     * token cache of its runs directory, encoding the corpus first if no run has yet.
     *
     * @param tokenizer the run's tokenizer
     * @return the tokens; close them
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} when they were written with
     *     another tokenizer or vocabulary
     */
    public TokenData tokens(Tokenizer tokenizer) {
        TrainConfig c = config();
        String tokSha = sha256(TokenizerArtifact.file(c.tokenizer()));
        if (c.tokens() != null) {
            checkShards(c, tokSha);
            return new ShardData(TokenShards.open(c.tokens()), c.valFraction());
        }
        Corpus corpus = Corpus.of(c.corpus());
        String key = Sha256.hex(tokSha + "\n" + corpus.files() + "\n" + c.valFraction()).substring(0, 16);
        Path cache = c.runsDir().resolve(TOKENS).resolve(key);
        TokenFile data = TokenFile.build(corpus, tokenizer, tokSha, c.valFraction(), cache);
        if (data.vocabSize() != tokenizer.vocabSize()) {
            data.close();
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the token file in " + cache + " was written with a "
                    + data.vocabSize() + "-token vocabulary, the tokenizer has " + tokenizer.vocabSize() + "; delete " + cache);
        }
        return data;
    }

    /** Refuses token shards written by another tokenizer than the run's, naming both. */
    private static void checkShards(TrainConfig c, String tokSha) {
        ShardManifest m = ShardManifest.read(c.tokens());
        if (!m.tokenizer().equals(tokSha)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the token shards in " + c.tokens() + " were written by the"
                    + " tokenizer with sha256 " + m.tokenizer() + ", not by --tokenizer " + TokenizerArtifact.file(c.tokenizer())
                    + " (sha256 " + tokSha + "); train with the tokenizer that wrote them, or encode the corpus again with "
                    + FrontEnd.command("tokenizer encode --tokenizer " + c.tokenizer() + " --corpus PATH|GLOB --out DIR"));
        }
    }

    /** The sha256 of the run's tokenizer file, as the manifest records it. */
    String tokenizerSha256() {
        return sha256(TokenizerArtifact.file(config().tokenizer()));
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    /** Checks what a run would otherwise find wrong only after its directory exists. */
    private static void validate(TrainConfig config) {
        ModelFamilies.get(config.model().family()).validate(config.model());
        config.window(); // a --block-size longer than the model's context
        Path tokenizer = TokenizerArtifact.file(config.tokenizer());
        if (config.tokens() != null) {
            checkShards(config, sha256(tokenizer));
        } else {
            Corpus.of(config.corpus());
        }
    }

    /** Whether a run directory holds nothing of value: its start failed, or was cancelled or lost, before its first step. */
    private static boolean untrained(Path dir, RunStatus status) throws IOException {
        Set<RunState> endedEarly = Set.of(RunState.FAILED, RunState.LOST, RunState.CANCELLED);
        if (!endedEarly.contains(status.state()) || status.step() >= 0) {
            return false;
        }
        Path checkpoints = dir.resolve(CHECKPOINTS);
        try (Stream<Path> files = Files.list(dir); Stream<Path> cps = Files.isDirectory(checkpoints) ? Files.list(checkpoints)
                : Stream.empty()) {
            return files.allMatch(f -> UNTRAINED_FILES.contains(f.getFileName().toString()))
                    && cps.allMatch(f -> f.getFileName().toString().endsWith(".writing"));
        }
    }

    /** Empties an untrained run directory, all but its lock file (which the caller holds). */
    private static void clearUntrained(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(RunLock.FILE)) {
                    Checkpoint.deleteTree(f);
                }
            }
        }
    }

    /** Writes a JSON file in one atomic step: a reader sees the old file or the new one. */
    static void writeJson(Path file, Object o) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a JSON object, naming what it is when it cannot. */
    static JsonObject readJson(Path file, String what) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read the " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) {
        try {
            return Sha256.hex(file);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
