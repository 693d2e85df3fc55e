package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.train.data.TokenData;
import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --block-size}: the windows a run trains and is evaluated on, recorded in its manifest;
 * without it, the model's context as before.
 */
class BlockSizeTest {
    @TempDir
    Path tmp;

    private List<String> words(String runId, String... extra) throws Exception {
        List<String> w = new ArrayList<>(List.of("--tokenizer", TinyRuns.bpe(tmp).toString(), "--corpus",
                TinyRuns.corpus(tmp).toString(), "--set", "n_layer=1", "--set", "n_head=2", "--set", "d_model=32",
                "--set", "seq_len=16", "--steps", "3", "--batch", "4", "--eval-every", "3", "--eval-batches", "2",
                "--runs-dir", tmp.resolve("runs").toString(), "--run-id", runId, "--device", "cpu", "--threads", "1"));
        w.addAll(List.of(extra));
        return w;
    }

    private TrainConfig config(String runId, String... extra) throws Exception {
        return TrainOptions.config(TrainOptions.OPTIONS.parse(words(runId, extra)));
    }

    /** The tokens of each step, read from its rate under a ticker that advances one second a read. */
    private static List<Double> tokensPerStep(TrainRun run) {
        AtomicLong now = new AtomicLong();
        List<Double> tokens = new ArrayList<>();
        run.ticker(() -> now.addAndGet(1_000_000_000L)).listener(new RunListener() {
            @Override
            public void step(Step s) {
                tokens.add(s.tokensPerSecond());
            }
        }).run();
        return tokens;
    }

    @Test
    void aRunTrainsAndIsEvaluatedOnWindowsOfTheBlockSizeItsManifestRecords() throws Exception {
        TrainRun run = TrainRun.create(config("short", "--block-size", "8"));
        assertEquals(List.of(32.0, 32.0, 32.0), tokensPerStep(run), "4 windows of 8 tokens a step");
        JsonObject config = RunDirectory.open(run.directory()).manifest().getAsJsonObject("config");
        assertEquals(8, config.get("block_size").getAsInt());

        TrainConfig reopened = TrainRun.open(run.directory()).config();
        assertEquals(8, reopened.blockSize());
        assertEquals(8, reopened.window());
        Evaluator.Metrics m = Evaluator.evaluate(run.directory(), null, List.of(), GenerateOptions.defaults());
        long valTokens;
        try (TrainedModel model = TrainedModel.load(run.directory());
             TokenData data = RunDirectory.open(run.directory()).tokens(model.tokenizer())) {
            valTokens = data.valTokens();
        }
        assertEquals((valTokens - 1) / 8 * 8, m.tokens(), "the validation split in whole windows of 8");
    }

    @Test
    void withoutABlockSizeARunTrainsOnTheModelsContextAndItsManifestSaysNothingNew() throws Exception {
        TrainRun run = TrainRun.create(config("default"));
        assertEquals(List.of(64.0, 64.0, 64.0), tokensPerStep(run), "4 windows of seq_len 16 a step");
        assertFalse(RunDirectory.open(run.directory()).manifest().getAsJsonObject("config").has("block_size"));
        assertEquals(16, TrainRun.open(run.directory()).config().window());
    }

    @Test
    void aManifestWrittenBeforeBlockSizesLoadsWithTheModelsContext() throws Exception {
        JsonObject old = com.google.gson.JsonParser.parseString(new com.google.gson.Gson().toJson(
                ConfigJson.toMap(config("old").toBuilder().build()))).getAsJsonObject();
        old.remove("block_size");
        TrainConfig c = ConfigJson.fromJson(old);
        assertEquals(0, c.blockSize());
        assertEquals(16, c.window());
    }

    @Test
    void aBlockSizeLongerThanTheModelsContextIsOneConfigErrorAndMakesNoRun() throws Exception {
        TrainConfig c = config("long", "--block-size", "17");
        NotebenchException e = assertThrows(NotebenchException.class, () -> TrainRun.create(c));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("--block-size 17 is longer than the model's context of 16 tokens; give --block-size 16 or less",
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("runs/long")));
        assertEquals("--block-size 0 is out of range; give a number of at least 1", assertThrows(NotebenchException.class,
                () -> config("zero", "--block-size", "0")).getMessage());
    }
}
