package dev.notebench.train.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.train.TinyRuns;
import dev.notebench.train.TrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
    @TempDir
    Path tmp;

    @Test
    void evaluatingTheSavedModelReproducesTheRunsValidationLossAndWritesSamples() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "ev").steps(20).eval(20, 100_000).build());
        TrainRun.Result r = run.run();
        Evaluator.Metrics m = Evaluator.evaluate(run.directory(), null, List.of("The", "We"),
                GenerateOptions.defaults().withMaxNewTokens(10).withSeed(1, 2));
        assertEquals("validation", m.source());
        assertEquals(r.bestValLoss(), m.loss(), 1e-5, "checkpoint save/load keeps the model exactly");
        assertEquals("best", m.checkpoint());
        assertEquals(19, m.step());
        assertTrue(m.tokensPerChar() > 0.2 && m.tokensPerChar() < 1, "BPE packs several characters per token: " + m.tokensPerChar());
        assertTrue(Files.readString(run.directory().resolve("eval/metrics.json")).contains("\"perplexity\""));
        assertEquals(4, Files.readAllLines(run.directory().resolve("eval/samples.jsonl")).size());

        Path text = Files.writeString(tmp.resolve("t.txt"), "The state of our Union is strong, and we will make it stronger.");
        Evaluator.Metrics onFile = Evaluator.evaluate(run.directory(), text, List.of(), GenerateOptions.defaults());
        assertEquals(text.toString(), onFile.source());
        assertEquals(new Scorer(TrainedModel.load(run.directory())).score(Files.readString(text), 1).loss(), onFile.loss(), 1e-6);
    }
}
