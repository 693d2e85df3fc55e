package dev.notebench.spark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.associations.AssociationJob;
import dev.notebench.internal.Sha256;
import dev.notebench.progress.Progress;
import dev.notebench.spark.TestData;
import dev.notebench.tokenize.CharTokenizer;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.shards.CorpusEncoder;
import dev.notebench.tokenize.shards.TokenShards;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notebench spark ...} in this JVM on {@code local[2]}: the local command's files from the
 * same options, and bad input or options as one line and a non-zero status before any task.
 */
class SparkCommandLineTest {
    private static final List<String> LOCAL_2 = List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false",
            "--conf", "spark.sql.shuffle.partitions=4");

    @TempDir
    Path dir;

    /** What a run printed and returned. */
    private record Ran(int status, String out, String err) {
    }

    private static Ran run(List<String> words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SparkCommandLine.run(words.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), java.util.Map.of());
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> words(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        all.addAll(LOCAL_2);
        return all;
    }

    @Test
    void associationsWritesTheLocalCommandsFilesFromTheSameOptionsInThreePartitions() throws IOException {
        // the first address's first 40 sentences, one a line
        List<String> sentences = List.of(TestData.sotu(1).get(0).split("(?<=\\.) ")).subList(0, 40);
        Path concepts = Files.write(dir.resolve("sotu.txt"), sentences, StandardCharsets.UTF_8);
        List<String> options = List.of("--input", concepts.toString(), "--cooccurrence", "--min-count", "2");
        AssociationJob.parse(with(options, "--out", dir.resolve("local.csv"), "--cooccurrence-out", dir.resolve("local-pairs.csv")))
                .run(Progress.NONE);

        Ran r = run(words(List.of("associations"), with(options, "--out", dir.resolve("spark.csv"), "--cooccurrence-out",
                dir.resolve("spark-pairs.csv"), "--partitions", "3").toArray(String[]::new)));

        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("40 concepts, "), r.out());
        assertArrayEquals(Files.readAllBytes(dir.resolve("local.csv")), Files.readAllBytes(dir.resolve("spark.csv")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("local-pairs.csv")), Files.readAllBytes(dir.resolve("spark-pairs.csv")));
    }

    @Test
    void tokenizerEncodeWritesShardsWhoseIdsAreTheLocalCommands() throws Exception {
        List<String> lines = TestData.sotu(3);
        Path corpus = Files.writeString(dir.resolve("sotu.txt"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Path tok = Files.createDirectories(dir.resolve("tok"));
        CharTokenizer.train(Corpus.of(corpus.toString()), 0, 1).tokenizer().save(tok.resolve("chars.json"));
        try (CharTokenizer t = CharTokenizer.load(tok.resolve("chars.json"))) {
            CorpusEncoder.builder(Corpus.of(corpus.toString()), t, Sha256.hex(tok.resolve("chars.json")), dir.resolve("local"))
                    .build().encode();
        }

        Ran r = run(words(List.of("tokenizer", "encode"), "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--out",
                dir.resolve("ids").toString(), "--partitions", "2"));

        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Wrote 2 shards to " + dir.resolve("ids") + ": "), r.out());
        try (TokenShards local = TokenShards.open(dir.resolve("local")); TokenShards spark = TokenShards.open(dir.resolve("ids"))) {
            assertEquals(local.tokens(), spark.tokens());
            for (long i = 0; i < local.tokens(); i++) {
                assertEquals(local.get(i), spark.get(i), "token " + i);
            }
            assertEquals(local.tokenizerSha256(), spark.tokenizerSha256());
        }

        r = run(words(List.of("tokenizer", "encode"), "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--out",
                dir.resolve("more").toString(), "--shard-mb", "4"));
        assertEquals(List.of(2, "notebench spark tokenizer encode: --shard-mb is not available on Spark: each partition is one"
                + " shard: set their number with --partitions"), List.of(r.status(), r.err().lines().findFirst().orElse("")));
        r = run(words(List.of("tokenizer", "encode"), "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--out",
                dir.toString()));
        assertEquals(List.of(2, "notebench spark tokenizer encode: CONFIG_INVALID: --out " + dir + " holds --corpus " + corpus
                + "; writing it would destroy the input: give --out another path"), List.of(r.status(), lastLine(r.err())));
    }

    @Test
    void aMissingColumnIsOneLineAndStatusOneBeforeAnyTask() throws IOException {
        Path csv = Files.writeString(dir.resolve("t.csv"), "id,subject\n1,Cheap meds\n2,Lunch?\n", StandardCharsets.UTF_8);

        Ran r = run(words(List.of("associations"), "--input", csv.toString(), "--column", "body"));

        assertEquals(1, r.status());
        assertEquals("notebench spark associations: DATA_INVALID: the DataFrame has no column 'body' for the texts to extract"
                + " associations from; its columns are [id: string, subject: string]. Name a string column.", lastLine(r.err()));
    }

    @Test
    void anUnreachableMasterIsOneLineBeforeSparkStarts() throws IOException {
        Path corpus = Files.writeString(dir.resolve("c.txt"), "a b c\n", StandardCharsets.UTF_8);

        Ran r = run(List.of("tokenizer", "train", "--corpus", corpus.toString(), "--out", dir.resolve("tok").toString(),
                "--master", "spark://127.0.0.1:1"));

        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("notebench spark tokenizer train: CONFIG_INVALID: the Spark master spark://127.0.0.1:1 cannot"
                + " be reached ("), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aFailedEnrichSaysToRunTheSameCommandAgainNotToResume() throws IOException {
        Path csv = Files.writeString(dir.resolve("mail.csv"), "subject\nCheap meds\nLunch?\n", StandardCharsets.UTF_8);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/v1";

        Ran r = run(words(List.of("enrich"), "--input", csv.toString(), "--out", dir.resolve("out.csv").toString(), "--text",
                "subject", "--labels", "spam,ham", "--single", "--base-url", url, "--model", "m", "--retries", "0", "--cache",
                dir.resolve("cache.sqlite").toString()));

        assertEquals(1, r.status(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("notebench spark enrich: PROVIDER_FAILED: cannot reach " + url + "/chat/completions ("), r.err());
        assertTrue(r.err().endsWith(") after retries; is the server running and the base URL right? Then run the same command"
                + " again: the rows answered before the failure come from the response cache (--cache) and are not asked again\n"),
                r.err());
        assertTrue(!r.err().contains("resume") && !r.err().contains("journal"), r.err());
        assertTrue(Files.notExists(dir.resolve("out.csv")), "nothing written");
    }

    @Test
    void aLocalOnlyOptionIsRefusedWithWhyAndTheHelpToSee() {
        Ran r = run(List.of("enrich", "--input", "in.csv", "--out", "out.csv", "--text", "subject", "--labels", "spam,ham",
                "--resume"));

        assertEquals(2, r.status());
        assertEquals(List.of("notebench spark enrich: --resume is not available on Spark: Spark keeps no journal: a failed task is"
                + " retried from its partition's first row and answered rows come from the response cache (--cache), so run the"
                + " same command again", "See 'notebench spark enrich --help'."), r.err().lines().toList());
    }

    @Test
    void anOutputThatHoldsTheInputIsRefusedBeforeSparkStartsAndTheInputIsKept() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path csv = Files.writeString(data.resolve("mail.csv"), "subject\nCheap meds\nLunch?\n", StandardCharsets.UTF_8);

        Ran r = run(words(List.of("embed"), "--csv", csv.toString(), "--column", "subject", "--out", data.toString()));

        assertEquals(List.of(2, "notebench spark embed: CONFIG_INVALID: --out " + data + " holds --csv " + csv + "; writing it"
                + " would destroy the input: give --out another path"), List.of(r.status(), lastLine(r.err())), r.err());
        assertEquals("subject\nCheap meds\nLunch?\n", Files.readString(csv, StandardCharsets.UTF_8));
        assertEquals(List.of(csv), Files.list(data).toList());
    }

    @Test
    void aMissingInputIsOneLineBeforeSparkStarts() {
        Ran r = run(List.of("embed", "--csv", dir.resolve("none.csv").toString(), "--column", "text", "--out",
                dir.resolve("e.parquet").toString()));

        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("notebench spark embed: DATA_NOT_FOUND: --csv " + dir.resolve("none.csv") + " does not exist"),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    private static List<String> with(List<String> options, Object... more) {
        List<String> all = new ArrayList<>(options);
        for (Object o : more) {
            all.add(o.toString());
        }
        return all;
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.get(lines.size() - 1);
    }
}
