package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.internal.Sha256;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.shards.CorpusEncoder;
import dev.notebench.train.data.ShardData;
import dev.notebench.train.data.TokenData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tokens DIR}: a run trains on token shards prepared once, exactly as on the corpus they encode. */
class TrainFromShardsTest {
    @TempDir
    Path tmp;

    private List<String> words(String runId, String... data) throws Exception {
        List<String> w = new ArrayList<>(List.of("--tokenizer", TinyRuns.bpe(tmp).toString(), "--set", "n_layer=1",
                "--set", "n_head=2", "--set", "d_model=32", "--set", "seq_len=16", "--steps", "3", "--batch", "4",
                "--eval-every", "3", "--eval-batches", "2", "--runs-dir", tmp.resolve("runs").toString(), "--run-id", runId,
                "--device", "cpu", "--threads", "1"));
        w.addAll(List.of(data));
        return w;
    }

    private TrainConfig config(String runId, String... data) throws Exception {
        return TrainOptions.config(TrainOptions.OPTIONS.parse(words(runId, data)));
    }

    private Path shards(Path tokenizerDir, String name) throws Exception {
        Path out = tmp.resolve(name);
        try (Tokenizer t = TokenizerArtifact.load(tokenizerDir)) {
            CorpusEncoder.builder(Corpus.of(TinyRuns.corpus(tmp).toString()), t, Sha256.hex(TokenizerArtifact.file(tokenizerDir)),
                    out).shardBytes(500).threads(2).build().encode();
        }
        return out;
    }

    private static List<Double> losses(TrainRun run) {
        List<Double> losses = new ArrayList<>();
        run.listener(new RunListener() {
            @Override
            public void step(Step s) {
                losses.add(s.loss());
            }

            @Override
            public void eval(Eval e) {
                losses.add(e.loss());
            }
        }).run();
        return losses;
    }

    @Test
    void aRunOnShardsSeesTheTokensAndLossesOfARunOnTheirCorpus() throws Exception {
        Path ids = shards(TinyRuns.bpe(tmp), "ids");
        assertTrue(dev.notebench.tokenize.shards.ShardManifest.read(ids).shards().size() > 1, "windows cross shard boundaries");
        TrainRun fromCorpus = TrainRun.create(config("corpus", "--corpus", TinyRuns.corpus(tmp).toString()));
        TrainRun fromShards = TrainRun.create(config("shards", "--tokens", ids.toString()));
        try (Tokenizer t = TokenizerArtifact.load(TinyRuns.bpe(tmp));
             TokenData a = RunDirectory.open(fromCorpus.directory()).tokens(t);
             TokenData b = RunDirectory.open(fromShards.directory()).tokens(t)) {
            assertEquals(ShardData.class, b.getClass());
            assertEquals(a.tokens(), b.tokens());
            assertEquals(a.trainTokens(), b.trainTokens());
            for (long i = 0; i < a.tokens(); i++) {
                assertEquals(a.get(i), b.get(i), "token " + i);
            }
        }
        List<Double> want = losses(fromCorpus);
        assertEquals(4, want.size(), "three steps and one evaluation");
        assertEquals(want, losses(fromShards));
        assertEquals(ids.toAbsolutePath().normalize().toString(), RunDirectory.open(fromShards.directory()).manifest()
                .getAsJsonObject("config").get("tokens").getAsString());
        assertEquals(ids.toAbsolutePath().normalize(), TrainRun.open(fromShards.directory()).config().tokens(),
                "a resumed run reads the same shards");
    }

    @Test
    void corpusAndTokensTogetherOrNeitherAreRefused() throws Exception {
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> config("both", "--corpus", TinyRuns.corpus(tmp).toString(), "--tokens", tmp.toString()));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("give --corpus or --tokens, not both: --tokens DIR is a corpus already encoded by ./notebench tokenizer"
                + " encode --corpus PATH|GLOB --out DIR", e.message(dev.notebench.FrontEnd.COMMAND_LINE));
        e = assertThrows(NotebenchException.class, () -> config("neither"));
        assertEquals("give --corpus, or --tokens DIR, or --resume RUN_DIR, or --cancel RUN_DIR", e.getMessage());
    }

    @Test
    void shardsOfAnotherTokenizerAreRefusedNamingBothAndMakeNoRun() throws Exception {
        Path ids = shards(TinyRuns.chars(tmp), "char-ids");
        Path bpe = TinyRuns.bpe(tmp);
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> TrainRun.create(config("mismatch", "--tokens", ids.toString())));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("the token shards in " + ids.toAbsolutePath() + " were written by the tokenizer with sha256 "
                + Sha256.hex(TokenizerArtifact.file(TinyRuns.chars(tmp))) + ", not by --tokenizer "
                + bpe.toAbsolutePath().resolve("tokenizer.json") + " (sha256 " + Sha256.hex(bpe.resolve("tokenizer.json"))
                + "); train with the tokenizer that wrote them, or encode the corpus again with ./notebench tokenizer encode"
                + " --tokenizer " + bpe.toAbsolutePath() + " --corpus PATH|GLOB --out DIR", e.message(dev.notebench.FrontEnd.COMMAND_LINE));
        assertFalse(Files.exists(tmp.resolve("runs/mismatch")));
    }
}
