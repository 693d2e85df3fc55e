package dev.notebench.embed.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.embed.EmbeddingCache;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEmbedderTest {
    @TempDir
    static Path tmp;
    static LocalEmbedder model;

    @BeforeAll
    static void load() {
        model = LocalEmbedder.load(tmp.resolve("models"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static double cos(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    @Test
    void vectorsAre384UnitLengthAndSimilarSentencesAreCloser() {
        List<float[]> v = model.embed(List.of("A man is eating food.", "A man is eating a piece of bread.",
                "The girl is carrying a baby.", "A man is riding a horse."));
        assertEquals(4, v.size());
        for (float[] x : v) {
            assertEquals(384, x.length);
            assertEquals(1.0, Math.sqrt(cos(x, x)), 1e-5);
        }
        assertTrue(cos(v.get(0), v.get(1)) > 0.6, "eating food ~ eating bread: " + cos(v.get(0), v.get(1)));
        assertTrue(cos(v.get(0), v.get(1)) > cos(v.get(0), v.get(2)) + 0.3);
        assertTrue(cos(v.get(0), v.get(3)) > cos(v.get(0), v.get(2)));
    }

    @Test
    void aBatchGivesTheVectorsOfTheTextsAlone() {
        List<String> texts = List.of("short", "a much longer sentence that needs padding for the others in the batch", "x");
        List<float[]> batch = model.embed(texts);
        List<float[]> sorted = model.embedAll(texts); // batched by length, returned in the given order
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = model.embed(List.of(texts.get(i))).get(0);
            for (int j = 0; j < alone.length; j++) {
                assertEquals(alone[j], batch.get(i)[j], 1e-5, texts.get(i) + " dim " + j);
                assertEquals(alone[j], sorted.get(i)[j], 1e-5, texts.get(i) + " dim " + j);
            }
        }
    }

    @Test
    void shortTextsGoManyToABatchAndLongOnesAtLeastThirtyTwo() {
        assertEquals(341, model.batchSize(5)); // a word: about 3 tokens of 1024 padded positions
        assertEquals(35, model.batchSize(110)); // a sentence of about 25 word pieces
        assertEquals(32, model.batchSize(1000)); // never fewer than batchSize()
        assertEquals(512, model.batchSize(0));
    }

    @Test
    void throughTheCacheASecondRunComputesNothing() {
        try (EmbeddingCache cache = EmbeddingCache.open(tmp.resolve("cache.sqlite"))) {
            List<float[]> first = cache.embed(model, List.of("lion", "tiger", "house cat"));
            List<float[]> second = cache.embed(model, List.of("house cat", "lion"));
            assertArrayEquals(first.get(2), second.get(0));
            assertEquals(2, cache.stats().hits());
            assertEquals("tiger", cache.nearest(LocalModel.ALL_MINILM_L6_V2.id(), first.get(0), 2).get(1).text(), "a lion is nearest a tiger");
        }
    }

    @Test
    void theImagenetCarnivoreTreeArrangesTheSameOnOneThreadOrFourAndPairsWhatBelongsTogether() {
        dev.notebench.embed.hierarchy.Node tree = dev.notebench.embed.hierarchy.Trees.readJson(
                Path.of(System.getProperty("notebench.home", "../..")).resolve("datasets/wordnet/imagenet-subtree.json"));
        String one = new dev.notebench.embed.hierarchy.Arranger(model, null, 1).arrange(tree).yaml(model.id());
        String four = new dev.notebench.embed.hierarchy.Arranger(model, null, 4).arrange(tree).yaml(model.id());
        assertEquals(one, four);
        assertTrue(one.contains("- name: canine  # nearest sibling: feline ("), one.substring(0, 400));
        assertTrue(one.contains("- name: lion  # nearest sibling: tiger ("));
        assertTrue(one.contains("- name: big cat  # nearest sibling: cat ("));
    }

    @Test
    void aModelOnOneThreadPerCallGivesTheSameVectorsAsOnEveryCore() {
        List<String> texts = List.of("A man is eating food.", "spam: cheap meds", "x", "a much longer sentence that is padded");
        List<float[]> everyCore = model.embedAll(texts);
        try (LocalEmbedder one = LocalEmbedder.load(LocalModel.ALL_MINILM_L6_V2, tmp.resolve("models"), 1)) {
            List<float[]> oneThread = one.embedAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(everyCore.get(i), oneThread.get(i), texts.get(i));
            }
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LocalEmbedder.load(LocalModel.ALL_MINILM_L6_V2, tmp.resolve("models"), -1));
        assertEquals("threads must be 0 (the cores) or more, not -1", e.getMessage());
    }

    @Test
    void bgeSmallIsTheSecondChoiceAndAnUnknownModelNamesTheChoices() {
        try (LocalEmbedder bge = LocalEmbedder.load(LocalModel.BGE_SMALL_EN_V15, tmp.resolve("models"))) {
            List<float[]> v = bge.embedAll(List.of("A man is eating food.", "A man is eating a piece of bread.",
                    "The girl is carrying a baby."));
            assertEquals("bge-small-en-v1.5", bge.id());
            assertEquals(384, v.get(0).length);
            assertEquals(1.0, Math.sqrt(cos(v.get(0), v.get(0))), 1e-5);
            assertTrue(cos(v.get(0), v.get(1)) > cos(v.get(0), v.get(2)) + 0.1);
        }
        dev.notebench.NotebenchException e = org.junit.jupiter.api.Assertions.assertThrows(dev.notebench.NotebenchException.class,
                () -> LocalModel.byId("e5"));
        assertEquals("no local embedding model 'e5'; use one of all-minilm-l6-v2, bge-small-en-v1.5", e.getMessage());
    }
}
