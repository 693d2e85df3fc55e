package dev.notebench.spark.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.AnnotatorOptions;
import dev.notebench.enrich.AnnotatorProvider;
import dev.notebench.enrich.Enricher;
import dev.notebench.enrich.Example;
import dev.notebench.enrich.FakeChatServer;
import dev.notebench.enrich.OutputSchema;
import dev.notebench.enrich.RowText;
import dev.notebench.spark.Mail;
import dev.notebench.spark.SparkFailures;
import dev.notebench.spark.SparkSessions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Enrichment of DataFrames on local[2] (a task may fail 3 times) against the fake chat server on loopback. */
class SparkEnricherTest {
    static final OutputSchema SCHEMA = Mail.SCHEMA;
    static final String KEY = "sk-spark-test-0123456789abcdef";

    @TempDir
    static Path dir;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.builder().master("local[2,3]").config("spark.ui.enabled", "false")
                .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toString()).build().open();
    }

    @AfterAll
    static void stop() throws IOException {
        spark.close();
    }

    static Dataset<Row> frame(List<String> subjects, int partitions) {
        return Mail.frame(spark, subjects, partitions);
    }

    static AnnotatorOptions.Builder options(FakeChatServer server) {
        return AnnotatorOptions.builder("openai").model("fake-model").baseUrl(server.baseUrl()).apiKeyEnv("FAKE_KEY")
                .environment(Map.of("FAKE_KEY", KEY)).retries(2).responseCache(dir.resolve("llm-responses.sqlite"));
    }

    @Test
    void labelsAreThoseOfTheLocalEnricherOnTheSameTableAndTheKeyStaysOutOfSparksConfig() throws IOException {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<String> subjects = Mail.subjects(47, "local");
        try (FakeChatServer server = Mail.fake(answers).start()) {
            AnnotatorOptions o = options(server).workers(4).responseCache(null).build();
            SparkAnnotator llm = SparkAnnotator.of(o);
            List<Row> got = SparkEnricher.builder(llm, SCHEMA).textColumns("subject").batchSize(5).executors(2).build()
                    .enrich(frame(subjects, 3)).collectAsList();
            int peak = server.peakInFlight();

            Table local;
            try (var annotator = AnnotatorProvider.named("openai", getClass().getClassLoader()).open(o, SCHEMA, "", List.of())) {
                local = Enricher.builder(annotator, SCHEMA).batchSize(5).build()
                        .run(Table.create("mail", IntColumn.indexColumn("n", subjects.size(), 0), StringColumn.create("subject", subjects)),
                                RowText.columns("subject")).table();
            }
            assertEquals(List.of("n", "subject", "spam", "question", Enricher.ERROR_COLUMN), List.of(got.get(0).schema().fieldNames()));
            assertEquals(local.rowCount(), got.size());
            for (int r = 0; r < got.size(); r++) {
                Row row = got.get(r);
                assertEquals(List.of(local.intColumn("n").get(r), local.getString(r, "subject"), local.booleanColumn("spam").get(r),
                        local.booleanColumn("question").get(r), local.getString(r, Enricher.ERROR_COLUMN)),
                        List.of(row.getInt(0), row.getString(1), row.getBoolean(2), row.getBoolean(3), row.getString(4)), "row " + r);
            }
            assertEquals(java.util.Set.of("Bearer " + KEY), server.authorizations()); // the key reached the executors
            assertFalse(spark.sparkContext().getConf().toDebugString().contains(KEY));
            assertFalse(llm.toString().contains(KEY));
            assertTrue(peak <= 2, "4 workers shared by 2 executors: at most 2 calls in flight in this one, saw " + peak);
        }
    }

    @Test
    void aTaskThatFailsIsRetriedWithNoRowMissingOrRepeatedAndNoAnswerPaidTwice() throws IOException {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicBoolean failed = new AtomicBoolean();
        List<String> subjects = Mail.subjects(40, "retried");
        // after two answers, the next request fails once; without retries of its own the annotator gives up, and so does the task
        try (FakeChatServer server = Mail.fake(answers).script(c -> c.number() >= 2 && failed.compareAndSet(false, true)
                ? new FakeChatServer.Reply().status(500, "the model crashed") : new FakeChatServer.Reply()).start()) {
            SparkAnnotator llm = SparkAnnotator.of(options(server).retries(0).workers(1).build());
            List<Row> got = SparkEnricher.builder(llm, SCHEMA).textColumns("subject").batchSize(4).build()
                    .enrich(frame(subjects, 2)).collectAsList();
            assertTrue(failed.get());
            assertEquals(subjects, got.stream().map(r -> r.getString(1)).toList());
            for (Row r : got) {
                assertEquals(r.getString(1).contains("$"), r.getBoolean(2), r.getString(1));
                assertEquals("", r.getString(4));
            }
            assertEquals(subjects.size(), answers.size());
            answers.forEach((text, n) -> assertEquals(1, n.get(), text + " was answered " + n.get() + " times"));
            assertEquals(10 + 1, server.requests()); // 40 rows in batches of 4, and the one that failed
        }
    }

    @Test
    void badInputIsOneErrorOnTheDriverBeforeAnyTask() throws IOException {
        try (FakeChatServer server = Mail.fake(new ConcurrentHashMap<>()).start()) {
            SparkAnnotator llm = SparkAnnotator.of(options(server).build());
            Dataset<Row> mail = frame(Mail.subjects(3, "bad"), 1);
            NotebenchException missing = assertThrows(NotebenchException.class,
                    () -> SparkEnricher.builder(llm, SCHEMA).textColumns("body").build().enrich(mail));
            assertEquals(ErrorCode.DATA_INVALID, missing.code());
            assertEquals("the DataFrame has no column 'body' for the texts to label; its columns are [n: int, subject: string]. Name a"
                    + " string column.", missing.getMessage());
            NotebenchException number = assertThrows(NotebenchException.class,
                    () -> SparkEnricher.builder(llm, SCHEMA).template("#{n}: {subject}").build().enrich(mail));
            assertEquals(ErrorCode.DATA_INVALID, number.code());
            assertEquals("the column 'n' holds int values, not strings, so it cannot be the texts to label; the DataFrame's columns"
                    + " are [n: int, subject: string]. Name a string column, or cast this one: df.withColumn(\"n\","
                    + " col(\"n\").cast(\"string\")).", number.getMessage());
            NotebenchException taken = assertThrows(NotebenchException.class,
                    () -> SparkEnricher.builder(llm, OutputSchema.singleLabel("subject", List.of("spam", "ham"))).textColumns("subject")
                            .build().enrich(mail));
            assertEquals(ErrorCode.CONFIG_INVALID, taken.code());
            assertEquals("the DataFrame already has a column 'subject'; name the new one otherwise", taken.getMessage());
            assertEquals(0, server.requests());
        }
    }

    @Test
    void anUnreachableServerFailsTheJobWithTheLocalError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SparkAnnotator llm = SparkAnnotator.of(AnnotatorOptions.builder("openai").model("m").baseUrl("http://127.0.0.1:" + port + "/v1")
                .retries(0).timeout(Duration.ofSeconds(5)).build());
        Dataset<Row> labelled = SparkEnricher.builder(llm, SCHEMA).textColumns("subject").build().enrich(frame(Mail.subjects(3, "bad"), 1));
        Exception e = assertThrows(Exception.class, labelled::collectAsList);
        NotebenchException cause = SparkFailures.cause(e).orElseThrow(() -> new AssertionError("no NotebenchException in", e));
        assertEquals(ErrorCode.PROVIDER_FAILED, cause.code());
        assertTrue(cause.getMessage().startsWith("cannot reach http://127.0.0.1:" + port + "/v1/chat/completions"), cause.getMessage());
    }

    @Test
    void theOfflineLabelerLabelsAsLocallyFromTheSameExamples() {
        OutputSchema fruit = OutputSchema.singleLabel("verdict", List.of("keep", "drop"));
        List<Example> examples = List.of(new Example("an apple", List.of("keep")), new Example("ripe bananas", List.of("keep")),
                new Example("fresh oranges", List.of("keep")), new Example("a hammer", List.of("drop")),
                new Example("a box of nails", List.of("drop")), new Example("a power drill", List.of("drop")));
        List<String> items = List.of("a pear", "a wrench", "sweet grapes", "a saw", "a basket of plums", "a screwdriver", "lemons");
        AnnotatorOptions o = AnnotatorOptions.builder("local").model("all-minilm-l6-v2").setting("modelsDir", dir.resolve("models").toString())
                .setting("embeddingCache", "none").build();
        List<Row> got = SparkEnricher.builder(SparkAnnotator.of(o), fruit).textColumns("subject").examples(examples).build()
                .enrich(frame(items, 2)).collectAsList();
        Table local;
        try (var annotator = AnnotatorProvider.named("local", getClass().getClassLoader()).open(o, fruit, "", examples)) {
            local = Enricher.builder(annotator, fruit).examples(examples).build()
                    .run(Table.create("items", StringColumn.create("subject", items)), RowText.columns("subject")).table();
        }
        assertEquals(local.stringColumn("verdict").asList(), got.stream().map(r -> r.getString(2)).toList());
        assertEquals(List.of("keep", "drop", "keep", "drop", "keep", "drop", "keep"), local.stringColumn("verdict").asList());
    }

    @Test
    void limitsAreDividedAcrossExecutorsRoundingDownToAtLeastOne() {
        assertEquals(new SparkAnnotator.Limits(4, 3, 0), new SparkAnnotator.Limits(8, 7, 0).share(2));
        assertEquals(new SparkAnnotator.Limits(1, 1, 250), new SparkAnnotator.Limits(3, 2, 1000).share(4));
        assertEquals(1, ClusterShare.executors(spark));
    }
}
