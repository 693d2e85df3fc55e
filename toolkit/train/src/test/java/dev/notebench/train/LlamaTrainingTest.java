package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.Generator;
import dev.notebench.train.generate.Scorer;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The llama family trains from scratch through the same trainer, checkpoints and resumes as gpt does. */
class LlamaTrainingTest {
    @TempDir
    Path tmp;

    private TrainConfig.Builder llama(String runId) throws Exception {
        return TinyRuns.gpt(tmp, runId).model(ModelConfig.of("llama", "hidden_size", 32, "intermediate_size", 64,
                "num_hidden_layers", 1, "num_attention_heads", 4, "num_key_value_heads", 2, "max_position_embeddings", 16));
    }

    @Test
    void aLlamaTrainedFromScratchLowersItsLossAndAResumedRunRepeatsTheCurveExactly() throws Exception {
        TrainRunTest.Losses whole = new TrainRunTest.Losses();
        TrainRun.Result r = TrainRun.create(llama("whole").build()).listener(whole).run();
        assertEquals(RunState.COMPLETED, r.status());
        assertTrue(Math.abs(whole.loss.get(0) - Math.log(400)) < 0.3, "starts near ln(vocab): " + whole.loss.get(0));
        double first = whole.loss.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = whole.loss.subList(25, 30).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < first - 0.5, "loss fell from " + first + " to " + last);

        TrainRun part = TrainRun.create(llama("parts").checkpointEvery(10).build());
        assertEquals(whole.loss, TinyRuns.cancelledAndResumed(part, 14), "bit for bit the same losses");
        assertTrue(Files.isDirectory(part.directory().resolve("checkpoints/best")));
    }

    @Test
    void aTrainedLlamaGeneratesWithItsCacheAsItScoresPastItsContext() throws Exception {
        TrainRun run = TrainRun.create(llama("gen").steps(10).build());
        run.run();
        try (TrainedModel model = TrainedModel.load(run.directory())) {
            assertEquals("llama", model.model().family());
            GenerateOptions greedy = GenerateOptions.defaults().withMaxNewTokens(40).withTemperature(0);
            Generator.Sample s = new Generator(model).generate("The state of", greedy).get(0);
            assertEquals(40, s.tokens().length, "past max_position_embeddings 16, the cache is refilled");
            assertTrue(Double.isFinite(new Scorer(model).score("The state of the Union is strong and the people are free", 0)
                    .loss()));
        }
    }
}
