package dev.notebench.spark.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.internal.Sha256;
import dev.notebench.spark.TestData;
import dev.notebench.tokenize.CharTokenizer;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.shards.CorpusEncoder;
import dev.notebench.tokenize.shards.ShardManifest;
import dev.notebench.tokenize.shards.TokenShards;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkCorpusEncoderTest {
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        spark = TestData.local("spark-corpus-encoder-test");
    }

    @AfterAll
    static void close() {
        spark.stop();
    }

    private static int[] ids(Path dir) {
        try (TokenShards s = TokenShards.open(dir)) {
            int[] out = new int[(int) s.tokens()];
            for (int i = 0; i < out.length; i++) {
                out[i] = s.get(i);
            }
            return out;
        }
    }

    /** A char tokenizer of the lines, in an artifact directory. */
    private Path tokenizer(Path corpus) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tok"));
        CharTokenizer.train(Corpus.of(corpus.toString()), 0, 1).tokenizer().save(dir.resolve("chars.json"));
        return dir;
    }

    @Test
    void partitionsConcatenatedAreTheIdsOfTheLocalEncoderOnTheSameLines() throws Exception {
        List<String> lines = new ArrayList<>(TestData.sotu(5));
        lines.add("");
        lines.add("the last line");
        Path corpus = Files.writeString(tmp.resolve("lines.txt"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Path tok = tokenizer(corpus);
        String sha = Sha256.hex(tok.resolve("chars.json"));
        try (CharTokenizer t = CharTokenizer.load(tok.resolve("chars.json"))) {
            CorpusEncoder.builder(Corpus.of(corpus.toString()), t, sha, tmp.resolve("local")).shardBytes(20_000).build().encode();
        }

        ShardManifest m = SparkCorpusEncoder.builder(tok).build().encode(TestData.texts(spark, lines, 3), "text",
                tmp.resolve("spark"));
        assertArrayEquals(ids(tmp.resolve("local")), ids(tmp.resolve("spark")));
        assertEquals(sha, m.tokenizer());
        assertEquals(List.of("partition 0", "partition 1", "partition 2"), m.shards().stream().map(ShardManifest.Shard::source).toList());
        assertEquals(lines.size(), m.shards().stream().mapToLong(ShardManifest.Shard::lines).sum());
        assertEquals(m, ShardManifest.read(tmp.resolve("spark")));
        try (var files = Files.list(tmp.resolve("spark"))) {
            assertEquals(List.of("shard-00000.bin", "shard-00001.bin", "shard-00002.bin", "shards.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
    }

    @Test
    void aMissingOrNonStringColumnIsOneErrorOnTheDriverBeforeAnyTask() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "abc\n");
        Path tok = tokenizer(corpus);
        NotebenchException e = TestData.refusedBeforeAnyJob(spark, () -> SparkCorpusEncoder.builder(tok).build()
                .encode(TestData.texts(spark, List.of("a"), 1), "id", tmp.resolve("out")));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertTrue(e.getMessage().startsWith("the column 'id' holds int values, not strings, so it cannot be the corpus's lines;"
                + " the DataFrame's columns are [id: int, text: string]."), e.getMessage());
        e = TestData.refusedBeforeAnyJob(spark, () -> SparkCorpusEncoder.builder(tok).build()
                .encode(TestData.texts(spark, List.of("a"), 1), "body", tmp.resolve("out")));
        assertEquals("the DataFrame has no column 'body' for the corpus's lines; its columns are [id: int, text: string]. Name a"
                + " string column.", e.getMessage());
    }
}
