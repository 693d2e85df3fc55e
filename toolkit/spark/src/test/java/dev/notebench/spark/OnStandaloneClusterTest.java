package dev.notebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.associations.Extractor;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.enrich.AnnotatorOptions;
import dev.notebench.enrich.AnnotatorProvider;
import dev.notebench.enrich.Enricher;
import dev.notebench.enrich.FakeChatServer;
import dev.notebench.enrich.OutputSchema;
import dev.notebench.enrich.RowText;
import dev.notebench.spark.associations.SparkAssociations;
import dev.notebench.spark.associations.SparkAssociationsTest;
import dev.notebench.spark.embed.SparkEmbedder;
import dev.notebench.spark.enrich.SparkAnnotator;
import dev.notebench.spark.enrich.SparkEnricher;
import dev.notebench.spark.tokenize.SparkBpeTrainerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A real standalone cluster (a Master and two Workers as JVMs on loopback, two executor JVMs) and
 * every capability on it, checked against the local API as on local[2]: associations and the
 * tokenizer exactly, enrichment's labels against the fake server, embeddings within 1e-6; and an
 * executor JVM killed in the middle of a partition costs no answer twice. One cluster for all,
 * since each start costs tens of seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnStandaloneClusterTest {
    static final OutputSchema SCHEMA = Mail.SCHEMA;
    static final String KEY = "sk-cluster-test-0123456789abcdef";

    @TempDir
    static Path dir;
    private static StandaloneCluster cluster;
    private static SparkSession spark;
    /** The executor running each partition's latest task attempt, as the driver hears of it. */
    static final Map<Integer, CompletableFuture<String>> executorOfPartition = new ConcurrentHashMap<>();

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.start(2);
        spark = cluster.session("on-standalone-cluster-test").config("spark.task.maxFailures", "3").build().open();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                executorOfPartition.computeIfAbsent(start.taskInfo().index(), i -> new CompletableFuture<>())
                        .complete(start.taskInfo().executorId());
            }
        });
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (spark != null) {
                spark.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void jobsTasksRunOnTwoExecutorJvmsOfTheWorkers() {
        List<String> executorIds = spark.createDataset(List.of(1, 2, 3, 4, 5, 6, 7, 8), Encoders.INT()).repartition(8)
                .mapPartitions((MapPartitionsFunction<Integer, String>) rows -> List.of(SparkEnv.get().executorId()).iterator(), Encoders.STRING())
                .collectAsList();
        Set<String> distinct = new TreeSet<>(executorIds);
        assertEquals(8, executorIds.size());
        assertEquals(cluster.executors().keySet(), distinct);
        assertEquals(2, distinct.size());
        assertEquals(cluster.masterUrl(), spark.sparkContext().master());
    }

    @Test
    void associationsAndCooccurrenceEqualTheLocalExtractors() {
        SparkAssociationsTest.assertSameAsLocal(spark, SparkAssociations.builder("text").cooccurrence(0, 3, 0.0).build(),
                Extractor.builder().cooccurrence(0, 3, 0.0).build(), 4);
    }

    @Test
    void filesTrainTheSameTokenizerJsonAsTheLocalTrainer(@TempDir Path dir) throws IOException {
        // the executors read the files from this machine's disk: the cluster's workers are on it
        SparkBpeTrainerTest.assertFilesTrainTheLocalTokenizer(spark, dir);
    }

    @Test
    void linesTrainTheSameTokenizerJsonAsTheLocalTrainer(@TempDir Path dir) throws IOException {
        SparkBpeTrainerTest.assertLinesTrainTheLocalTokenizer(spark, dir);
    }

    static Dataset<Row> frame(List<String> subjects, int partitions) {
        return Mail.frame(spark, subjects, partitions);
    }

    static AnnotatorOptions.Builder options(FakeChatServer server, Path cache) {
        return AnnotatorOptions.builder("openai").model("fake-model").baseUrl(server.baseUrl()).apiKeyEnv("FAKE_KEY")
                .environment(Map.of("FAKE_KEY", KEY)).retries(0).responseCache(cache);
    }

    @Test
    void enrichmentOnTheClusterGivesTheLocalEnrichersLabelsWithinTheClusterWideLimit() throws IOException {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<String> subjects = Mail.subjects(30, "plain");
        try (FakeChatServer server = Mail.fake(answers).script(c -> new FakeChatServer.Reply().delay(20)).start()) {
            AnnotatorOptions o = options(server, null).workers(2).build();
            List<Row> got = SparkEnricher.builder(SparkAnnotator.of(o), SCHEMA).textColumns("subject").batchSize(3).build()
                    .enrich(frame(subjects, 4)).collectAsList();
            int peak = server.peakInFlight();
            Table local;
            try (var annotator = AnnotatorProvider.named("openai", getClass().getClassLoader()).open(o, SCHEMA, "", List.of())) {
                local = Enricher.builder(annotator, SCHEMA).batchSize(3).build()
                        .run(Table.create("mail", StringColumn.create("subject", subjects)), RowText.columns("subject")).table();
            }
            assertEquals(subjects.size(), got.size());
            for (int r = 0; r < got.size(); r++) {
                assertEquals(List.of(r, local.getString(r, "subject"), local.booleanColumn("spam").get(r), local.booleanColumn("question").get(r), ""),
                        List.of(got.get(r).getInt(0), got.get(r).getString(1), got.get(r).getBoolean(2), got.get(r).getBoolean(3),
                                got.get(r).getString(4)), "row " + r);
            }
            assertTrue(peak <= 2, "2 workers cluster-wide, one per executor: saw " + peak + " calls at once");
            assertEquals(Set.of("Bearer " + KEY), server.authorizations());
            assertFalse(spark.sparkContext().getConf().toDebugString().contains(KEY));
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: the Worker relaunches the killed executor, but the other tests need not wait for it
    void anExecutorKilledMidPartitionIsRetriedWithNoRowMissingOrRepeatedAndNoAnswerPaidTwice() throws Exception {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<String> subjects = Mail.subjects(24, "killed");
        Set<String> firstPartition = new HashSet<>(subjects.subList(0, 12));
        AtomicInteger callsOfFirst = new AtomicInteger();
        CompletableFuture<Void> holding = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        // the second call of partition 0 is held until its executor is dead, then refused: that call was never answered
        try (FakeChatServer server = Mail.fake(answers).script(c -> {
            boolean ofFirst = c.rows().stream().allMatch(r -> firstPartition.contains(r.text()));
            if (ofFirst && callsOfFirst.incrementAndGet() == 2) {
                holding.complete(null);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new FakeChatServer.Reply().status(503, "the caller is gone");
            }
            return new FakeChatServer.Reply();
        }).start()) {
            SparkAnnotator llm = SparkAnnotator.of(options(server, dir.resolve("llm-responses.sqlite")).workers(2).build());
            executorOfPartition.clear();
            Dataset<Row> labelled = SparkEnricher.builder(llm, SCHEMA).textColumns("subject").batchSize(4).build().enrich(frame(subjects, 2));
            CompletableFuture<List<Row>> job = CompletableFuture.supplyAsync(labelled::collectAsList);
            holding.get();
            String victim = executorOfPartition.computeIfAbsent(0, i -> new CompletableFuture<>()).get();
            cluster.killExecutor(victim);
            release.countDown();
            List<Row> got = job.get();

            assertEquals(subjects, got.stream().map(r -> r.getString(1)).toList());
            for (Row r : got) {
                assertEquals(r.getString(1).contains("$"), r.getBoolean(2), r.getString(1));
                assertEquals("", r.getString(4), r.getString(1));
            }
            assertEquals(subjects.size(), answers.size());
            answers.forEach((text, n) -> assertEquals(1, n.get(), text + " was answered " + n.get() + " times"));
            assertEquals(6 + 1, server.requests()); // 24 rows in calls of 4, and the one held while its executor died
            assertFalse(cluster.executors().containsKey(victim));
            assertTrue(Files.exists(dir.resolve("llm-responses.sqlite")));
        }
    }

    @Test
    void embeddingsOnTheClusterAreTheLocalModelsVectorsWithin1e6() {
        List<String> texts = Mail.subjects(30, "embedded");
        List<float[]> expected;
        try (LocalEmbedder local = LocalEmbedder.load(LocalModel.ALL_MINILM_L6_V2, dir.resolve("local-models"))) {
            expected = local.embedAll(texts);
        }
        List<Row> got = SparkEmbedder.builder(LocalModel.ALL_MINILM_L6_V2, dir.resolve("executor-models")).column("subject").build()
                .embed(frame(texts, 3)).collectAsList();
        double worst = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), got.get(i).getString(1));
            List<Float> v = got.get(i).getList(2);
            assertEquals(384, v.size());
            for (int d = 0; d < v.size(); d++) {
                worst = Math.max(worst, Math.abs(v.get(d) - expected.get(i)[d]));
            }
        }
        System.out.println("largest difference from the local vectors on the cluster, 3 partitions: " + worst);
        assertTrue(worst <= 1e-6, "largest difference " + worst);
    }
}
