package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.train.RunLock;
import dev.notebench.train.RunState;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.TrainRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./notebench train} and {@code ./notebench runs} telling the truth about runs: what cannot
 * train makes no run directory, a run that is not running or is complete says so, a damaged
 * checkpoint is one line naming what to do, a lost run reads lost.
 */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private Path corpus;
    private Path tok;
    private Path runs;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Notebench.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeEach
    void corpusAndTokenizer() throws Exception {
        corpus = tmp.resolve("corpus.txt");
        byte[] all = Files.readAllBytes(Path.of(System.getProperty("notebench.home"), "datasets/sotu/sotu-sample.txt"));
        Files.write(corpus, java.util.Arrays.copyOf(all, 100_000));
        tok = tmp.resolve("tok");
        runs = tmp.resolve("runs");
        Result r = run("tokenizer", "train", "--corpus", corpus.toString(), "--vocab", "300", "--out", tok.toString());
        assertEquals(0, r.status(), r.err());
    }

    /** {@code train} of a tiny model with these arguments added. */
    private Result train(String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--tokenizer", tok.toString(), "--corpus", corpus.toString(),
                "--set", "n_layer=1", "--set", "n_head=2", "--set", "d_model=32", "--set", "seq_len=16", "--batch", "4",
                "--eval-every", "5", "--eval-batches", "1", "--device", "cpu", "--threads", "1", "--runs-dir", runs.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    private static Map<String, String> files(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String f : List.of(RunDirectory.STATUS, RunDirectory.MANIFEST, "metrics.jsonl")) {
            out.put(f, Files.readString(dir.resolve(f)));
        }
        return out;
    }

    @Test
    void aConfigurationThatCannotTrainMakesNoRunDirectoryAndAFailedStartCanBeRunAgain() throws Exception {
        Result r = train("--set", "n_layers=2", "--run-id", "typo");
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: gpt model has no setting 'n_layers'; it has activation, bias, d_model, dropout, n_head,"
                + " n_layer, seq_len\n", r.err());
        assertFalse(Files.exists(runs.resolve("typo")));

        r = run("train", "--tokenizer", tmp.resolve("no-tok").toString(), "--corpus", corpus.toString(), "--runs-dir",
                runs.toString(), "--run-id", "no-tok");
        assertEquals(1, r.status());
        assertEquals("notebench: DATA_NOT_FOUND: tokenizer " + tmp.resolve("no-tok") + " does not exist; train one with"
                + " ./notebench tokenizer train\n", r.err());
        assertFalse(Files.exists(runs.resolve("no-tok")));

        // too short to train: the run says why, and the same command with a longer corpus trains under the same id
        Path full = corpus;
        corpus = Files.writeString(tmp.resolve("short.txt"), "A short text.\n");
        r = train("--steps", "5", "--run-id", "short");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("notebench: DATA_INVALID: the training split has "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        com.google.gson.JsonObject status = com.google.gson.JsonParser.parseString(
                Files.readString(runs.resolve("short").resolve(RunDirectory.STATUS))).getAsJsonObject();
        assertEquals("failed", status.get("status").getAsString());
        assertEquals(r.err().strip().substring("notebench: DATA_INVALID: ".length()), status.get("message").getAsString());
        corpus = full;
        r = train("--steps", "5", "--run-id", "short");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(runs.resolve("short").toAbsolutePath() + ": completed after step 5, "), r.out());

        // a run id that is taken names the way to resume, not a Java API
        r = train("--steps", "5", "--run-id", "short");
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: run short already exists in " + runs + " (completed after step 5 of 5);"
                + " choose another --run-id\n", r.err());
    }

    @Test
    void cancelOrResumeOfACompletedRunSaysItIsCompleteExitsNonZeroAndChangesNothing() throws Exception {
        assertEquals(0, train("--steps", "5", "--run-id", "done").status());
        Path dir = runs.resolve("done").toAbsolutePath();
        Map<String, String> before = files(dir);
        Result r = run("train", "--cancel", dir.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: run " + dir + " is not running, there is nothing to stop: it is completed after"
                + " step 5 of 5\n", r.err());
        assertEquals("", r.out());
        r = run("train", "--resume", dir.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: run " + dir + " is complete: it trained all its 5 steps, so there is nothing to"
                + " resume. To train further, start a new run with more --steps (and another --run-id); its learning-rate"
                + " schedule spans all of its steps\n", r.err());
        assertFalse(r.out().contains("NaN"), r.out());
        assertEquals(before, files(dir));
        assertFalse(Files.exists(dir.resolve(RunDirectory.CANCEL)));
    }

    @Test
    void aRunWhoseProcessIsGoneReadsLostInRunsAndCannotBeCancelled() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dir = runs.resolve("killed").toAbsolutePath();
        Files.createDirectories(dir.resolve("checkpoints/step-00000049"));
        Files.writeString(dir.resolve("checkpoints/step-00000049/state.json"), "{\"step\": 49}");
        Files.writeString(dir.resolve(RunDirectory.MANIFEST), "{\"config\": {\"family\": \"gpt\", \"steps\": 100}}");
        String host;
        try (RunLock owner = RunLock.acquire(dir)) { // the trainer that owned it is gone
            host = owner.owner().host();
        }
        Files.writeString(dir.resolve(RunDirectory.STATUS), "{\"status\": \"running\", \"step\": 57, \"steps\": 100, \"pid\": "
                + gone.pid() + ", \"host\": \"" + host + "\", \"heartbeat\": \"" + Instant.now() + "\"}");

        Result listed = run("runs", "--runs-dir", runs.toString());
        assertEquals(0, listed.status(), listed.err());
        String row = listed.out().lines().filter(l -> l.contains(" killed ")).findFirst()
                .orElseThrow(() -> new AssertionError(listed.out()));
        assertTrue(row.matches(" *killed *\\| *gpt *\\| *lost *\\| *58 *\\| *100 *\\| *\\| *step-00000049 *\\| *pid " + gone.pid()
                + " on " + host + " *\\|.*"), row);

        Result r = run("train", "--cancel", dir.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: run " + dir + " is not running, there is nothing to stop: it is lost: the process"
                + " that trained it (pid " + gone.pid() + " on host " + host + ") is gone without finishing, after step 58 of 100;"
                + " resume it from checkpoint step-00000049 with --resume " + dir + "\n", r.err());
    }

    @Test
    void aRunOwnedByAnotherTrainerIsRefusedBeforeAnythingIsTouched() throws Exception {
        assertEquals(0, train("--steps", "10", "--checkpoint-every", "5", "--run-id", "owned").status());
        Path dir = runs.resolve("owned").toAbsolutePath();
        Files.walk(dir.resolve("checkpoints/step-00000009")).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete()); // unfinished: it resumes from step 5
        Map<String, String> before = files(dir);
        try (RunLock other = RunLock.acquire(dir)) {
            Result r = run("train", "--resume", dir.toString());
            assertEquals(1, r.status());
            assertEquals("notebench: MODEL_TRAIN_FAILED: run " + dir + " is being trained by this process (pid "
                    + ProcessHandle.current().pid() + " on host " + other.owner().host() + "; e.g. a training started in the background); wait"
                    + " for it to end, or stop it with ./notebench train --cancel " + dir + "\n", r.err());
        }
        assertEquals(before, files(dir));
        Result r = run("train", "--resume", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().endsWith("completed after step 10, " + r.out().substring(r.out().lastIndexOf("train loss"))), r.out());
    }

    @Test
    void aDamagedCheckpointIsOneLineSayingWhereToGoBackTo() throws Exception {
        assertEquals(0, train("--steps", "20", "--checkpoint-every", "5", "--run-id", "dmg").status());
        Path dir = runs.resolve("dmg").toAbsolutePath();
        Path best = dir.resolve("checkpoints/best");
        damage(best.resolve("params.ndlist"));
        Result r = run("generate", "--run", dir.toString(), "--max-new-tokens", "5", "Hello");
        assertEquals(1, r.status());
        assertEquals("notebench: CACHE_CORRUPT: checkpoint " + best + " is damaged: params.ndlist does not match its sha256 in"
                + " checksums.sha256 (the file changed after it was written); use the latest step checkpoint instead (--run "
                + dir.resolve("checkpoints/step-00000019") + "), or move this one out of the way (mv " + best + " "
                + dir.resolve("best.damaged") + ")\n", r.err());

        Files.walk(dir.resolve("checkpoints/step-00000019")).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete()); // as if the run had died after step 14
        Path latest = dir.resolve("checkpoints/step-00000014");
        damage(latest.resolve("optimizer.ndlist"));
        r = run("train", "--resume", dir.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CACHE_CORRUPT: checkpoint " + latest + " is damaged: optimizer.ndlist does not match its sha256"
                + " in checksums.sha256 (the file changed after it was written); there is no earlier checkpoint: move this one"
                + " out of the way (mv " + latest + " " + dir.resolve("step-00000014.damaged") + ") and ./notebench train"
                + " --resume " + dir + " trains the run again from the first step\n", r.err());
    }

    /** Overwrites 4 bytes near the end of a file, inside the last array's values, with the float 0.125. */
    private static void damage(Path file) throws Exception {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
            f.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0x3E}), f.size() - 8);
        }
    }
}
