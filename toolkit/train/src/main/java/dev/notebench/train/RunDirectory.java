package dev.notebench.train;

import com.google.gson.GsonBuilder;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.Corpus;
import dev.notebench.train.model.ModelFamilies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Making and judging run directories for {@link TrainRun}: a new run is checked before its
 * directory exists, a run id whose directory never trained a step is made again, and a complete
 * run is not resumed.
 */
final class RunDirectory {
    /** What a run directory that never trained a step may hold. */
    private static final Set<String> UNTRAINED_FILES = Set.of(TrainRun.MANIFEST, TrainRun.STATUS, TrainRun.STATUS + ".tmp",
            MetricsLog.FILE, TrainRun.CHECKPOINTS, TrainRun.CANCEL, RunLock.FILE, Detached.LOG);

    private RunDirectory() {
    }

    /**
     * Makes the directory of a new run, after checking what can be checked without training.
     *
     * @param config the configuration
     * @return the run directory, with its manifest
     */
    static Path create(TrainConfig config) {
        validate(config);
        Path dir = config.runsDir().resolve(config.runId()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        try (RunLock owner = RunLock.acquire(dir)) {
            if (Files.exists(dir.resolve(TrainRun.MANIFEST))) {
                RunStatus was = RunStatus.readOwned(dir);
                if (!untrained(dir, was)) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + config.runId() + " already exists in "
                            + config.runsDir() + " (" + was.describe() + "); " + (was.state().equals(RunStatus.COMPLETED)
                            ? "choose another --run-id" : "resume it with --resume " + dir + " (%train --resume " + dir
                            + "), or choose another --run-id"));
                }
                clearUntrained(dir);
            }
            Files.createDirectories(dir.resolve(TrainRun.CHECKPOINTS));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "notebench-run/1");
            m.put("run_id", config.runId());
            m.put("created", Instant.now().toString());
            m.put("config", ConfigJson.toMap(config));
            m.put("versions", Versions.all());
            m.put("git_commit", Versions.gitCommit());
            Files.writeString(dir.resolve(TrainRun.MANIFEST), new GsonBuilder().setPrettyPrinting().create().toJson(m),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Checks what a run would otherwise find wrong only after its directory exists. */
    private static void validate(TrainConfig config) {
        ModelFamilies.get(config.model().family()).validate(config.model());
        tokenizerFile(config.tokenizer());
        Corpus.of(config.corpus());
    }

    /** Whether a run directory holds nothing of value: its start failed, or was cancelled or lost, before its first step. */
    private static boolean untrained(Path dir, RunStatus status) throws IOException {
        Set<String> endedEarly = Set.of(RunStatus.FAILED, RunStatus.LOST, RunStatus.CANCELLED);
        if (!endedEarly.contains(status.state()) || status.step() >= 0) {
            return false;
        }
        Path checkpoints = dir.resolve(TrainRun.CHECKPOINTS);
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

    /** The step of a run's latest checkpoint, or -1 when it has none. */
    static long lastCheckpointStep(Path dir) {
        List<Path> cps = Checkpoint.list(dir.resolve(TrainRun.CHECKPOINTS));
        return cps.isEmpty() ? -1 : Checkpoint.step(cps.get(cps.size() - 1));
    }

    /**
     * Fails, without touching the run, when its checkpoints hold every configured step.
     *
     * @param dir the run directory
     * @param steps the run's steps
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} saying how to train further
     */
    static void refuseIfComplete(Path dir, int steps) {
        if (lastCheckpointStep(dir) >= steps - 1) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "run " + dir + " is complete: it trained all its "
                    + steps + " steps, so there is nothing to resume. To train further, start a new run with more"
                    + " --steps (and another --run-id); its learning-rate schedule spans all of its steps");
        }
    }

    /** The tokenizer file of a tokenizer artifact (or the file itself). */
    static Path tokenizerFile(Path t) {
        if (Files.isRegularFile(t)) {
            return t;
        }
        for (String f : List.of("tokenizer.json", "chars.json", "spm.model")) {
            if (Files.isRegularFile(t.resolve(f))) {
                return t.resolve(f);
            }
        }
        throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, Files.isDirectory(t)
                ? "tokenizer " + t + " has no tokenizer.json, chars.json or spm.model; is it a tokenizer directory?"
                : "tokenizer " + t + " does not exist; train one with ./notebench tokenizer train or %tokenizer train");
    }
}
