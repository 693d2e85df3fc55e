package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void listingFindsTheRunsOfARunsDirectoryByNameAndNothingElse() throws Exception {
        Path runs = tmp.resolve("runs");
        for (String id : List.of("b-run", "a-run", "c-run")) {
            HandMadeRuns.run(HandMadeRuns.config(runs, id, 10), Clock.systemUTC());
        }
        Files.createDirectories(runs.resolve(".tokens/0123456789abcdef"));
        Files.createDirectories(runs.resolve("not-a-run"));
        Files.writeString(runs.resolve("notes.txt"), "hello");
        assertEquals(List.of("a-run", "b-run", "c-run"), RunDirectory.list(runs).stream().map(RunDirectory::id).toList());
        assertEquals(runs.resolve("a-run").toAbsolutePath().normalize(), RunDirectory.list(runs).get(0).path());
        assertEquals(List.of(), RunDirectory.list(tmp.resolve("nowhere")));
        assertEquals(10, RunDirectory.list(runs).get(2).config().steps());
    }

    @Test
    void everyStateIsWrittenAndReadBackWithItsJsonSpelling() throws Exception {
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "states", 10), Clock.fixed(T, ZoneOffset.UTC));
        assertEquals(List.of("created", "starting", "running", "completed", "cancelled", "failed", "stopped-early", "lost"),
                Arrays.stream(RunState.values()).map(RunState::json).toList());
        for (RunState s : List.of(RunState.CREATED, RunState.COMPLETED, RunState.CANCELLED, RunState.FAILED,
                RunState.STOPPED_EARLY)) {
            dir.writeStatus(s, 4, 10, null, null);
            assertEquals(s.json(), RunDirectory.readJson(dir.path().resolve(RunDirectory.STATUS), "s").get("status").getAsString());
            assertEquals(s, dir.status().state());
            assertEquals(s, RunState.parse(s.json()));
            assertEquals(s.json(), s.toString());
        }
        assertEquals(Map.of("status", "stopped-early", "step", 4.0, "steps", 10.0, "heartbeat", T.toString()),
                new com.google.gson.Gson().fromJson(Files.readString(dir.path().resolve(RunDirectory.STATUS)), Map.class));
        NotebenchException e = assertThrows(NotebenchException.class, () -> RunState.parse("stopped_early"));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("'stopped_early' is not a run status; a run's status.json says created, starting, running, completed,"
                + " cancelled, failed, stopped-early or lost", e.getMessage());
    }

    @Test
    void stepCheckpointsRotateKeepingTheLastTwo() throws Exception {
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "rotate", 10), Clock.systemUTC());
        try (NDManager m = NDManager.newBaseManager();
             LanguageModel model = ModelFamilies.get("gpt").create(ModelConfig.of("gpt", "n_layer", 1, "n_head", 1,
                     "d_model", 8, "seq_len", 4), 10, m)) {
            assertEquals(-1, dir.lastCheckpointStep());
            for (long step : List.of(3L, 7L, 11L)) {
                assertEquals(dir.checkpointsDir().resolve(RunDirectory.stepName(step)),
                        dir.saveCheckpoint(step, model, null, Map.of("step", step)));
            }
        }
        assertEquals(List.of(dir.checkpointsDir().resolve("step-00000007"), dir.checkpointsDir().resolve("step-00000011")),
                dir.checkpoints());
        assertEquals(11, dir.lastCheckpointStep());
        assertEquals(true, dir.hasCheckpoint(7));
        assertEquals(false, dir.hasCheckpoint(3));
        assertEquals(dir.checkpointsDir().resolve("step-00000011"), dir.modelCheckpoint(), "no best: the latest");
    }

    @Test
    void aDirectoryWithoutAManifestIsNoRun() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        NotebenchException e = assertThrows(NotebenchException.class, () -> RunDirectory.open(tmp.resolve("empty")));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals(tmp.resolve("empty") + " is not a run directory (it has no manifest.json); runs lists the runs", e.getMessage());
        e = assertThrows(NotebenchException.class, () -> RunDirectory.open(tmp.resolve("missing")));
        assertEquals(ErrorCode.DATA_NOT_FOUND, e.code());
    }

    @Test
    void aRunRecordsItsFilesAsAbsolutePathsSoItCanBeReadFromAnyWorkingDirectory() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Path tok = cwd.relativize(TinyRuns.bpe(tmp));
        String corpus = cwd.relativize(TinyRuns.corpus(tmp)).toString();
        Path runs = cwd.relativize(tmp.resolve("runs"));
        TrainConfig typed = TrainConfig.builder(ModelConfig.of("gpt", "n_layer", 1, "n_head", 2, "d_model", 32, "seq_len", 16),
                tok, corpus).runsDir(runs).runId("relative").build();
        RunDirectory dir = RunDirectory.create(typed);
        com.google.gson.JsonObject recorded = RunDirectory.readJson(dir.path().resolve(RunDirectory.MANIFEST), "m")
                .getAsJsonObject("config");
        assertEquals(tmp.resolve("tok").toString(), recorded.get("tokenizer").getAsString());
        assertEquals(tmp.resolve("corpus.txt").toString(), recorded.get("corpus").getAsString());
        assertEquals(tmp.resolve("runs").toString(), recorded.get("runs_dir").getAsString());
        assertEquals(tmp.resolve("tok"), RunDirectory.open(dir.path()).config().tokenizer());
        assertEquals(tmp.resolve("tok"), dir.config().tokenizer());
        assertEquals(tok, typed.tokenizer(), "the configuration as typed stays as typed");
    }
}
