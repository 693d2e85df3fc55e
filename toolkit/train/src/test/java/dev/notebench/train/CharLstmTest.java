package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.Generator;
import dev.notebench.train.generate.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharLstmTest {
    @TempDir
    Path tmp;

    @Test
    void charLstmLearnsAndGeneratesDeterministically() throws Exception {
        List<Double> losses = new ArrayList<>();
        TrainRun run = TrainRun.create(TinyRuns.lstm(tmp, "lstm").build()).listener(new RunListener() {
            @Override
            public void step(Step s) {
                losses.add(s.loss());
            }
        });
        assertEquals(RunState.COMPLETED, run.run().status());
        assertTrue(losses.get(losses.size() - 1) < losses.get(0) - 0.7, losses.toString());
        try (TrainedModel m = TrainedModel.load(run.directory())) {
            Generator g = new Generator(m);
            GenerateOptions o = GenerateOptions.defaults().withMaxNewTokens(40).withSeed(3, 2);
            List<Generator.Sample> a = g.generate("The ", o);
            assertEquals(a.get(1).text(), g.generate("The ", o).get(1).text());
            assertEquals(40, a.get(0).tokens().length, "char tokenizers have no end-of-text token");
        }
    }
}
