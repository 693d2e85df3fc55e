package dev.notebench.spark.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.spark.TestData;
import dev.notebench.tokenize.BpeTrainer;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Normalization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SparkBpeTrainerTest {
    private static SparkSession spark;

    @BeforeAll
    static void open() {
        spark = TestData.local("spark-bpe-trainer-test");
    }

    @AfterAll
    static void close() {
        spark.stop();
    }

    static BpeTrainer trainer() {
        return BpeTrainer.builder(700).threads(2).build();
    }

    /** A corpus of two files, the second's last line without a newline, so that line ends are checked too. */
    static Path corpus(Path dir) throws IOException {
        List<String> lines = TestData.sotu(4);
        Files.writeString(dir.resolve("a.txt"), lines.get(0) + "\n" + lines.get(1) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("b.txt"), lines.get(2) + "\n\n" + lines.get(3), StandardCharsets.UTF_8);
        return dir;
    }

    /** Trains from the corpus's files with Spark and locally, and asserts the same tokenizer.json. */
    public static void assertFilesTrainTheLocalTokenizer(SparkSession spark, Path dir) throws IOException {
        String local = trainer().train(Corpus.of(corpus(dir).toString())).model().toTokenizerJson();
        String onSpark = SparkBpeTrainer.builder(trainer()).build().trainFiles(spark, dir.toString()).toTokenizerJson();
        assertEquals(local, onSpark);
        assertEquals(700, com.google.gson.JsonParser.parseString(onSpark).getAsJsonObject().getAsJsonObject("model")
                .getAsJsonObject("vocab").size());
    }

    /** Trains from the lines as a DataFrame with Spark and from them as a file locally, normalized and lowercased. */
    public static void assertLinesTrainTheLocalTokenizer(SparkSession spark, Path dir) throws IOException {
        List<String> lines = TestData.sotu(4);
        Path file = dir.resolve("lines.txt");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        String local = trainer().train(Corpus.builder(file.toString()).normalization(Normalization.NFKC).lowercase(true).build())
                .model().toTokenizerJson();
        String onSpark = SparkBpeTrainer.builder(trainer()).normalization(Normalization.NFKC).lowercase(true).build()
                .train(TestData.texts(spark, lines, 3), "text").toTokenizerJson();
        assertEquals(local, onSpark);
    }

    @Test
    void filesTrainTheSameTokenizerJsonAsTheLocalTrainer(@TempDir Path dir) throws IOException {
        assertFilesTrainTheLocalTokenizer(spark, dir);
    }

    @Test
    void normalizedLinesOfADataFrameTrainTheSameTokenizerJsonAsTheLocalTrainer(@TempDir Path dir) throws IOException {
        assertLinesTrainTheLocalTokenizer(spark, dir);
    }

    @Test
    void aFileThatIsNotUtf8IsNamedWithItsByte(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', '\n', (byte) 0xC3, '('});
        Exception e = assertThrows(Exception.class, () -> SparkBpeTrainer.builder(trainer()).build().trainFiles(spark, dir.toString()));
        assertTrue(e.getMessage().contains("corpus file file:" + dir.resolve("bad.txt") + " is not valid UTF-8 at byte 3;"
                + " re-encode it as UTF-8"), e.getMessage());
    }

    @Test
    void nonStringColumnIsOneErrorOnTheDriverBeforeAnyTask() {
        NotebenchException e = TestData.refusedBeforeAnyJob(spark,
                () -> SparkBpeTrainer.builder(trainer()).build().train(TestData.texts(spark, List.of("a"), 1), "id"));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertTrue(e.getMessage().startsWith("the column 'id' holds int values, not strings, so it cannot be the corpus's lines;"
                + " the DataFrame's columns are [id: int, text: string]."), e.getMessage());
    }
}
