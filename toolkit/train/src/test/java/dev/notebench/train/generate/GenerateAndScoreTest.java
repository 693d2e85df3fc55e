package dev.notebench.train.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.notebench.NotebenchException;
import dev.notebench.train.Losses;
import dev.notebench.train.TinyRuns;
import dev.notebench.train.TrainRun;
import dev.notebench.train.model.LanguageModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateAndScoreTest {
    @TempDir
    static Path tmp;
    static TrainedModel gpt;

    @BeforeAll
    static void train() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "gen").steps(80).build());
        run.run();
        gpt = TrainedModel.load(run.directory());
    }

    @AfterAll
    static void close() {
        gpt.close();
    }

    @Test
    void theKeyValueCacheGivesTheSameLogitsAsTheFullForwardPass() {
        LanguageModel lm = gpt.model();
        int[] ids = java.util.Arrays.copyOf(gpt.tokenizer().encode("We the people of the United States, in order to form"),
                lm.contextLength());
        try (NDManager m = gpt.manager().newSubManager(); LanguageModel.Decoder dec = lm.decoder(1)) {
            long[] all = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                all[i] = ids[i];
            }
            NDArray full = lm.forward(m.create(all, new Shape(1, ids.length)), false);
            NDArray fromPrompt = dec.next(m.create(java.util.Arrays.copyOf(all, 5), new Shape(1, 5)));
            assertArrayEquals(full.get(new NDIndex("0, 4, :")).toFloatArray(), fromPrompt.toFloatArray(), 1e-4f);
            for (int i = 5; i < ids.length; i++) {
                NDArray step = dec.next(m.create(new long[] {all[i]}, new Shape(1, 1)));
                assertArrayEquals(full.get(new NDIndex("0, {}, :", i)).toFloatArray(), step.toFloatArray(), 1e-4f, "position " + i);
            }
        }
    }

    @Test
    void generationIsDeterministicForASeed() {
        Generator g = new Generator(gpt);
        GenerateOptions o = GenerateOptions.defaults().withMaxNewTokens(30).withSeed(7, 3);
        List<Generator.Sample> a = g.generate("The state of our Union", o);
        List<Generator.Sample> b = g.generate("The state of our Union", o);
        assertEquals(3, a.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(a.get(i).text(), b.get(i).text());
            assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
        }
        assertNotEquals(a.get(0).text(), g.generate("The state of our Union", o.withSeed(8, 1)).get(0).text());
    }

    @Test
    void aThreadThatDidNotStartTheEngineLoadsGeneratesAndScoresAsThisOneDoes() throws Exception {
        // PyTorch's grad mode is per thread: a widget's click or a new cell thread runs with autograd on
        GenerateOptions o = GenerateOptions.defaults().withMaxNewTokens(12).withSeed(3, 1);
        String here = new Generator(gpt).generate("The state", o).get(0).text();
        double loss = new Scorer(gpt).score("The state of our Union is strong.", 2).loss();
        java.util.concurrent.atomic.AtomicReference<Object> there = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try (TrainedModel m = TrainedModel.load(gpt.checkpoint().getParent().getParent())) {
                there.set(List.of(new Generator(m).generate("The state", o).get(0).text(),
                        new Scorer(m).score("The state of our Union is strong.", 2).loss()));
            } catch (RuntimeException e) {
                there.set(e);
            }
        }, "not-the-engine's");
        t.start();
        t.join();
        assertEquals(List.of(here, loss), there.get());
    }

    @Test
    void greedyTopKOneAndATinyTopPAllPickTheMostLikelyToken() {
        Generator g = new Generator(gpt);
        GenerateOptions base = GenerateOptions.defaults().withMaxNewTokens(20);
        String greedy = g.generate("Our nation", base.withTemperature(0)).get(0).text();
        assertEquals(greedy, g.generate("Our nation", base.withTopKP(1, 1.0)).get(0).text());
        assertEquals(greedy, g.generate("Our nation", base.withTopKP(0, 1e-9).withSeed(99, 1)).get(0).text());
    }

    @Test
    void stopSequencesCutTheText() {
        Generator g = new Generator(gpt);
        GenerateOptions o = GenerateOptions.defaults().withMaxNewTokens(200).withTemperature(0);
        String free = g.generate("We", o).get(0).text();
        String stop = free.substring(Math.min(5, free.length() - 2), Math.min(7, free.length()));
        Generator.Sample cut = g.generate("We", o.withStopSequences(List.of(stop))).get(0);
        assertEquals("stop_sequence", cut.stopReason());
        assertFalse(cut.text().contains(stop));
        assertTrue(free.startsWith(cut.text()));
    }

    @Test
    void scoreAgreesWithTheLossOfTheSameWindow() {
        LanguageModel lm = gpt.model();
        int[] ids = gpt.tokenizer().encode("Mr. Speaker, Mr. Vice President, Members of Congress, distinguished guests, and"
                + " fellow citizens: the state of our Union is strong, and growing stronger.");
        int[] window = java.util.Arrays.copyOf(ids, lm.contextLength() + 1);
        String text = gpt.tokenizer().decode(window);
        assertArrayEquals(window, gpt.tokenizer().encode(text));
        Scorer.Score s = new Scorer(gpt).score(text, 3);
        try (NDManager m = gpt.manager().newSubManager()) {
            long[] all = new long[window.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = window[i];
            }
            NDArray xy = m.create(all, new Shape(1, all.length));
            double loss = Losses.crossEntropy(lm.forward(xy.get(new NDIndex(":, :-1")), false), xy.get(new NDIndex(":, 1:"))).getFloat();
            assertEquals(loss, s.loss(), 1e-4);
        }
        assertTrue(Double.isNaN(s.surprisal()[0]));
        assertEquals(3, s.topK().get(5).size());
        assertTrue(s.topK().get(5).get(0).probability() >= s.topK().get(5).get(1).probability());
        assertEquals(Math.exp(s.loss()), s.perplexity(), 1e-9);
    }

    @Test
    void longTextsAreScoredInOverlappingWindows() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append("The economy grows when our people work together and our government works for them. ");
        }
        Scorer.Score s = new Scorer(gpt).score(sb.toString(), 1);
        assertTrue(s.ids().length > 3 * gpt.model().contextLength());
        for (int i = 1; i < s.surprisal().length; i++) {
            assertTrue(Double.isFinite(s.surprisal()[i]) && s.surprisal()[i] >= 0, "position " + i);
        }
    }

    @Test
    void badOptionsAreRefused() {
        assertEquals("max_new_tokens must be between 1 and 512, got 600", assertThrows(NotebenchException.class,
                () -> GenerateOptions.defaults().withMaxNewTokens(600)).getMessage());
        assertEquals("num_return_sequences must be between 1 and 10, got 11", assertThrows(NotebenchException.class,
                () -> GenerateOptions.defaults().withSeed(1, 11)).getMessage());
        assertEquals("the text has 1 token(s); scoring needs at least two (the first is only context)",
                assertThrows(NotebenchException.class, () -> new Scorer(gpt).score("a", 1)).getMessage());
    }
}
