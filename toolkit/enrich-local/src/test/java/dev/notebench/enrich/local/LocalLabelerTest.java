package dev.notebench.enrich.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.NotebenchException;
import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.Vectors;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.enrich.AnnotationRequest;
import dev.notebench.enrich.Answer;
import dev.notebench.enrich.Example;
import dev.notebench.enrich.Field;
import dev.notebench.enrich.Item;
import dev.notebench.enrich.OutputSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLabelerTest {
    /** Fruit is kept and tools dropped: "keep" and "drop" mean nothing to the model, only the examples say it. */
    private static final List<Example> KEEP_FRUIT_DROP_TOOLS = List.of(new Example("an apple", List.of("keep")),
            new Example("ripe bananas", List.of("keep")), new Example("a bowl of cherries", List.of("keep")),
            new Example("fresh oranges", List.of("keep")), new Example("a hammer", List.of("drop")),
            new Example("a box of nails", List.of("drop")), new Example("a screwdriver", List.of("drop")),
            new Example("a power drill", List.of("drop")));
    private static LocalEmbedder model;

    @BeforeAll
    static void load() {
        model = LocalEmbedder.load(EmbeddingPaths.ofProcess().modelsDir());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<String> label(LocalLabeler labeler, OutputSchema schema, List<String> texts) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            items.add(new Item(i, texts.get(i)));
        }
        Answer a = labeler.annotate(new AnnotationRequest(items, schema, "", List.of()));
        return a.rows().stream().map(r -> r.get("predicted").getAsString()).toList();
    }

    @Test
    void withoutExamplesTheMostSimilarLabelDescriptionWins() {
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("animal", "vehicle"));
        LocalLabeler zeroShot = LocalLabeler.fit(model, null, schema, List.of(),
                Map.of("animal", "an animal, a pet or a wild beast", "vehicle", "a car, a truck, a bus or a train"));
        assertEquals(List.of("animal", "vehicle", "animal", "vehicle"),
                label(zeroShot, schema, List.of("a small grey cat", "a red fire truck", "the lion sleeps", "the night bus")));
        assertEquals("local:all-minilm-l6-v2 zero-shot", zeroShot.id());
    }

    @Test
    void examplesTeachALabelNoDescriptionConveys() {
        // "keep" and "drop" mean nothing to the model: only the examples say that fruit is kept
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("keep", "drop"));
        List<Example> examples = KEEP_FRUIT_DROP_TOOLS;
        LocalLabeler fitted = LocalLabeler.fit(model, null, schema, examples, Map.of());
        List<String> texts = List.of("a pear", "a wrench", "grapes", "a saw");
        assertEquals(List.of("keep", "drop", "keep", "drop"), label(fitted, schema, texts));
        assertEquals(label(fitted, schema, texts), label(LocalLabeler.fit(model, null, schema, examples, Map.of()), schema, texts));
        assertEquals("local:all-minilm-l6-v2 fitted on 8 examples", fitted.id());
    }

    @Test
    void everyAnswerCarriesItsCalibratedConfidenceFittedTheSameWayEachTime() {
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("keep", "drop"));
        List<Example> examples = KEEP_FRUIT_DROP_TOOLS;
        LocalLabeler fitted = LocalLabeler.fit(model, null, schema, examples, Map.of());
        LocalLabeler again = LocalLabeler.fit(model, null, schema, examples, Map.of());
        assertEquals(fitted.temperature(), again.temperature(), 0);
        List<String> texts = List.of("a pear", "a wrench");
        List<LocalLabeler.Scored> scored = fitted.score(texts);
        Answer a = fitted.annotate(new AnnotationRequest(List.of(new Item(0, "a pear"), new Item(1, "a wrench")), schema, "", List.of()));
        for (int i = 0; i < 2; i++) {
            double c = scored.get(i).confidence();
            assertEquals(c, a.rows().get(i).get(Answer.CONFIDENCE).getAsDouble(), 0);
            // the chosen label of two is the likelier one: at least one half
            org.junit.jupiter.api.Assertions.assertTrue(c >= 0.5 && c <= 1, "confidence " + c);
            assertEquals(scored.get(i).confidence(), again.score(texts).get(i).confidence(), 0);
        }
        LocalLabeler zeroShot = LocalLabeler.fit(model, null, schema, List.of(), Map.of());
        assertEquals(Double.NaN, zeroShot.temperature());
        assertEquals(null, zeroShot.annotate(new AnnotationRequest(List.of(new Item(0, "a pear")), schema, "", List.of())).rows().get(0)
                .get(Answer.CONFIDENCE));
    }

    @Test
    void withSeveralModelsEachTextIsEmbeddedByEveryOneAndCachedUnderEachModel(@TempDir Path tmp) {
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("keep", "drop"));
        List<Example> examples = List.of(new Example("an apple", List.of("keep")), new Example("ripe bananas", List.of("keep")),
                new Example("a hammer", List.of("drop")), new Example("a box of nails", List.of("drop")));
        List<String> texts = List.of("a pear", "a wrench", "grapes", "a saw");
        try (LocalEmbedder bge = LocalEmbedder.load(LocalModel.BGE_SMALL_EN_V15, EmbeddingPaths.ofProcess().modelsDir());
             EmbeddingCache cache = EmbeddingCache.open(tmp.resolve("cache.sqlite"))) {
            LocalLabeler joined = LocalLabeler.fit(List.of(model, bge), cache, schema, examples, Map.of());
            assertEquals("local:all-minilm-l6-v2+bge-small-en-v1.5 fitted on 4 examples", joined.id());
            assertEquals(List.of("keep", "drop", "keep", "drop"), label(joined, schema, texts));
            // 4 examples + 2 label names (descriptions) + 4 texts, once per model, each under its own id
            assertEquals(List.of(new EmbeddingCache.Stats.Model("all-minilm-l6-v2", 10, 10 * 384 * 4),
                    new EmbeddingCache.Stats.Model("bge-small-en-v1.5", 10, 10 * 384 * 4)), cache.stats().models());
            // a cosine over the joined unit vectors is the mean of the two models' cosines
            float[] a = join(model.embed(List.of("a pear")).get(0), bge.embed(List.of("a pear")).get(0));
            float[] b = join(model.embed(List.of("grapes")).get(0), bge.embed(List.of("grapes")).get(0));
            double mean = (Vectors.cosine(model.embed(List.of("a pear")).get(0), model.embed(List.of("grapes")).get(0))
                    + Vectors.cosine(bge.embed(List.of("a pear")).get(0), bge.embed(List.of("grapes")).get(0))) / 2;
            assertEquals(mean, Vectors.cosine(a, b), 1e-6);
        }
    }

    private static float[] join(float[] a, float[] b) {
        float[] v = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, v, a.length, b.length);
        return v;
    }

    @Test
    void severalLabelsCanApplyToOneRow() {
        OutputSchema schema = OutputSchema.multiLabel(List.of("fruit", "red"));
        List<Example> examples = List.of(new Example("a red apple", List.of("fruit", "red")),
                new Example("a strawberry", List.of("fruit", "red")), new Example("a banana", List.of("fruit")),
                new Example("a green pear", List.of("fruit")), new Example("a red car", List.of("red")),
                new Example("a red brick", List.of("red")), new Example("a blue chair", List.of()),
                new Example("a grey stone", List.of()));
        LocalLabeler fitted = LocalLabeler.fit(model, null, schema, examples, Map.of());
        Answer a = fitted.annotate(new AnnotationRequest(List.of(new Item(0, "a red cherry"), new Item(1, "a white table"),
                new Item(2, "a yellow lemon")), schema, "", List.of()));
        List<LocalLabeler.Scored> scored = fitted.score(List.of("a red cherry", "a white table", "a yellow lemon"));
        for (int i = 0; i < 3; i++) {
            assertEquals(scored.get(i).confidence(), a.rows().get(i).remove(Answer.CONFIDENCE).getAsDouble(), 0);
        }
        assertEquals("[{\"id\":0,\"fruit\":true,\"red\":true}, {\"id\":1,\"fruit\":false,\"red\":false},"
                + " {\"id\":2,\"fruit\":true,\"red\":false}]", a.rows().toString());
        assertEquals(List.of(List.of("fruit", "red"), List.of(), List.of("fruit")), scored.stream().map(LocalLabeler.Scored::labels).toList());
    }

    @Test
    void labelDescriptionsAreReadFromInstructionLines() {
        assertEquals(Map.of("spam", "bulk mail, ads", "ham", "normal mail"), LocalLabelerProvider.descriptions(
                "Label each subject.\n- Spam: bulk mail, ads\nham = normal mail\nother: ignored", List.of("spam", "ham")));
    }

    @Test
    void fieldsBeyondLabelsNeedALanguageModel() {
        OutputSchema fields = OutputSchema.fields(List.of(Field.of("summary", Field.Type.STRING, "")));
        NotebenchException e = assertThrows(NotebenchException.class, () -> LocalLabeler.fit(model, null, fields, List.of(), Map.of()));
        assertEquals("the embedded labeler assigns labels (--labels); fields from a schema need a language model: give --model and"
                + " --base-url of an OpenAI-compatible server", e.getMessage());
    }
}
