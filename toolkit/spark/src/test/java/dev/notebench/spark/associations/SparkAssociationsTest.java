package dev.notebench.spark.associations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.associations.Extraction;
import dev.notebench.associations.Extractor;
import dev.notebench.spark.TestData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

public class SparkAssociationsTest {
    private static SparkSession spark;

    @BeforeAll
    static void open() {
        spark = TestData.local("spark-associations-test");
    }

    @AfterAll
    static void close() {
        spark.stop();
    }

    /** Three addresses with a missing row between them, so that a failure is numbered too. */
    static List<String> concepts() {
        List<String> texts = new ArrayList<>(TestData.sotu(3));
        texts.add(1, null);
        return texts;
    }

    /** Extracts with Spark and locally, and asserts the same records. */
    public static void assertSameAsLocal(SparkSession spark, SparkAssociations job, Extractor local, int partitions) {
        List<String> texts = concepts();
        Extraction expected = local.extract(texts);
        try (SparkAssociations.Result r = job.extract(TestData.texts(spark, texts, partitions))) {
            assertEquals(expected.associations(), r.associationList());
            assertEquals(expected.failures(), r.failureList());
            assertEquals(expected.cooccurrences(), r.cooccurrenceList());
            // the DataFrame itself is in the local order, up to ties of count and PMI
            assertEquals(expected.cooccurrences().stream().map(c -> List.of(c.count(), c.pmi())).toList(),
                    r.cooccurrences().collectAsList().stream().map(x -> List.of(x.getInt(2), x.getDouble(3))).toList());
            assertEquals(expected.concepts(), r.concepts());
            assertEquals(expected.sentences(), r.sentences());
            assertTrue(expected.associations().size() > 50, "associations: " + expected.associations().size());
            assertTrue(expected.cooccurrences().size() > 50, "pairs: " + expected.cooccurrences().size());
            assertEquals(1, expected.failures().size());
        }
    }

    @Test
    void recordsAndSentenceCooccurrenceEqualTheLocalExtractors() {
        assertSameAsLocal(spark, SparkAssociations.builder("text").cooccurrence(0, 3, 0.0).build(),
                Extractor.builder().cooccurrence(0, 3, 0.0).build(), 3);
    }

    @Test
    void windowCooccurrenceWithThresholdsEqualsTheLocalExtractors() {
        assertSameAsLocal(spark, SparkAssociations.builder("text").cooccurrence(6, 2, 1.5).build(),
                Extractor.builder().workers(2).sequentialBelow(0).cooccurrence(6, 2, 1.5).build(), 2);
    }

    @Test
    void aNormalizerRewritesEachConceptOnTheExecutorsAsTheLocalExtractorsDoes() {
        SparkAssociations.Normalizer normalizer = t -> t.replaceAll("\\bAmerica\\b", "the United States");
        assertSameAsLocal(spark, SparkAssociations.builder("text").normalizer(normalizer).cooccurrence(0, 3, 0.0).build(),
                Extractor.builder().normalizer(normalizer).cooccurrence(0, 3, 0.0).build(), 3);
        assertNotEquals(Extractor.builder().build().extract(concepts()).associations(),
                Extractor.builder().normalizer(normalizer).build().extract(concepts()).associations(), "the rewrite changes the records");
    }

    @Test
    void missingColumnIsOneErrorOnTheDriverBeforeAnyTask() {
        Dataset<Row> data = TestData.texts(spark, List.of("a"), 1);
        NotebenchException e = TestData.refusedBeforeAnyJob(spark, () -> SparkAssociations.builder("body").build().extract(data));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("the DataFrame has no column 'body' for the texts to extract associations from; its columns are"
                + " [id: int, text: string]. Name a string column.", e.getMessage());
    }

    @Test
    void nonStringColumnIsOneErrorOnTheDriverBeforeAnyTask() {
        Dataset<Row> data = TestData.texts(spark, List.of("a"), 1);
        NotebenchException e = TestData.refusedBeforeAnyJob(spark, () -> SparkAssociations.builder("id").build().extract(data));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("the column 'id' holds int values, not strings, so it cannot be the texts to extract associations from;"
                + " the DataFrame's columns are [id: int, text: string]. Name a string column, or cast this one:"
                + " df.withColumn(\"id\", col(\"id\").cast(\"string\")).", e.getMessage());
    }
}
