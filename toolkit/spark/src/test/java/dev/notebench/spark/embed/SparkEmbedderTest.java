package dev.notebench.spark.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.spark.Mail;
import dev.notebench.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embeddings of a DataFrame on local[2] against the local model's own vectors. */
class SparkEmbedderTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static LocalEmbedder local;

    @BeforeAll
    static void start() {
        spark = SparkSessions.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toString()).build().open();
        local = LocalEmbedder.load(LocalModel.ALL_MINILM_L6_V2, dir.resolve("local-models"));
    }

    @AfterAll
    static void stop() throws IOException {
        local.close();
        spark.close();
    }

    /** Sentences of 1 to 40 words, so that batches by length pad differently. */
    static List<String> texts(int n) {
        String[] words = "the cheap flights to lisbon leave every morning while our meeting about the patch moves to friday".split(" ");
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w <= (i * 7) % 40; w++) {
                s.append(w == 0 ? "" : " ").append(words[(i + w * 3) % words.length]);
            }
            t.add(s.toString());
        }
        return t;
    }

    static Dataset<Row> frame(List<String> texts, int partitions) {
        return Mail.frame(spark, texts, partitions);
    }

    static SparkEmbedder embedder() {
        return SparkEmbedder.builder(LocalModel.ALL_MINILM_L6_V2, dir.resolve("executor-models")).column("subject").build();
    }

    static float[] vector(Row r) {
        List<Float> v = r.getList(2);
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    @Test
    void onePartitionGivesTheLocalVectorsBitForBit() {
        List<String> texts = texts(40);
        List<float[]> expected = local.embedAll(texts);
        List<Row> got = embedder().embed(frame(texts, 1)).collectAsList();
        assertEquals(List.of("n", "subject", "embedding"), List.of(got.get(0).schema().fieldNames()));
        assertEquals(texts, got.stream().map(r -> r.getString(1)).toList());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(expected.get(i), vector(got.get(i)), texts.get(i)); // same texts, same order: the same batches
        }
    }

    @Test
    void partitionsBatchOtherwiseAndGiveTheLocalVectorsWithin1e6() {
        List<String> texts = texts(40);
        List<float[]> expected = local.embedAll(texts);
        List<Row> got = embedder().embed(frame(texts, 3)).collectAsList();
        double worst = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] v = vector(got.get(i));
            for (int d = 0; d < v.length; d++) {
                worst = Math.max(worst, Math.abs(v[d] - expected.get(i)[d]));
            }
        }
        System.out.println("largest difference from the local vectors, 3 partitions: " + worst);
        assertTrue(worst <= 1e-6, "largest difference " + worst);
    }

    @Test
    void aNullTextGetsANullVectorAndBadInputIsRefusedOnTheDriver() {
        Dataset<Row> withNull = spark.createDataFrame(List.of(RowFactory.create(0, "a cat"), RowFactory.create(1, null)), Mail.COLUMNS);
        List<Row> got = embedder().embed(withNull).collectAsList();
        assertArrayEquals(local.embedAll(List.of("a cat")).get(0), vector(got.get(0)));
        assertNull(got.get(1).get(2));
        NotebenchException missing = assertThrows(NotebenchException.class,
                () -> SparkEmbedder.builder(LocalModel.ALL_MINILM_L6_V2, dir).column("body").build().embed(withNull));
        assertEquals(ErrorCode.DATA_INVALID, missing.code());
        assertEquals("the DataFrame has no column 'body' for the texts to embed; its columns are [n: int, subject: string]. Name a"
                + " string column.", missing.getMessage());
        NotebenchException number = assertThrows(NotebenchException.class,
                () -> SparkEmbedder.builder(LocalModel.ALL_MINILM_L6_V2, dir).column("n").build().embed(withNull));
        assertEquals(ErrorCode.DATA_INVALID, number.code());
        NotebenchException taken = assertThrows(NotebenchException.class,
                () -> SparkEmbedder.builder(LocalModel.ALL_MINILM_L6_V2, dir).column("subject").output("n").build().embed(withNull));
        assertEquals(ErrorCode.CONFIG_INVALID, taken.code());
        assertEquals("the DataFrame already has a column 'n'; name the vectors' column otherwise", taken.getMessage());
    }
}
