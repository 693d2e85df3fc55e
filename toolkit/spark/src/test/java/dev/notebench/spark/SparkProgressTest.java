package dev.notebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.progress.Progress;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

class SparkProgressTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void open() {
        spark = TestData.local("spark-progress-test");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void close() {
        spark.stop();
    }

    /** Records what a bar was told, a stage as its total and start (its name apart); {@link #awaitClosed()} waits for its end. */
    static final class Recorded {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch closed = new CountDownLatch(1);
        final Progress progress = (Progress) Proxy.newProxyInstance(Progress.class.getClassLoader(), new Class<?>[] {Progress.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("stage")) {
                        calls.add("stage " + args[1] + " " + args[2] + " from " + args[3]);
                        calls.add("name " + args[0]);
                    } else {
                        calls.add(method.getName() + (args == null ? "" : " " + args[0]));
                    }
                    if (method.getName().equals("close")) {
                        closed.countDown();
                    }
                    return null;
                });

        List<String> awaitClosed() throws InterruptedException {
            assertTrue(closed.await(60, TimeUnit.SECONDS), "the end reached the listener: " + calls);
            return List.copyOf(calls);
        }
    }

    /** Opens a recorded bar for each query, kept in {@code bars}. */
    private static Supplier<Progress> into(List<Recorded> bars) {
        return () -> {
            Recorded r = new Recorded();
            bars.add(r);
            return r.progress;
        };
    }

    /** The first bar opened, once Spark's listener thread opened it (the job started before its action returned). */
    private static Recorded first(List<Recorded> bars) {
        while (bars.isEmpty()) {
            Thread.onSpinWait();
        }
        return bars.get(0);
    }

    /** The calls without the stage's name, which {@link #name} checks. */
    private static List<String> withoutName(List<String> calls) {
        return calls.stream().filter(c -> !c.startsWith("name ")).toList();
    }

    private static String name(List<String> calls) {
        return calls.stream().filter(c -> c.startsWith("name ")).findFirst().orElseThrow().substring(5);
    }

    @Test
    void aJobOfFivePartitionsCountsFiveTasksDoneOfFiveThenEnds() throws Exception {
        List<Recorded> jobs = Collections.synchronizedList(new ArrayList<>());
        try (SparkProgress progress = SparkProgress.attach(spark.sparkContext(), into(jobs))) {
            assertEquals(50L, sc.parallelize(IntStream.range(0, 50).boxed().toList(), 5).count());
            List<String> calls = first(jobs).awaitClosed();
            assertEquals(List.of("stage 5 tasks from 0", "advance 1", "advance 1", "advance 1", "advance 1", "advance 1", "close"),
                    withoutName(calls));
            assertTrue(name(calls).matches("Spark job [0-9]+ \\(count at SparkProgressTest\\.java:[0-9]+\\)"), name(calls));
            assertEquals(1, jobs.size());
        }
    }

    @Test
    void tasksOfAStageComputedByAnEarlierJobCountAsSkippedAndTheBarEndsFull() throws Exception {
        JavaPairRDD<Integer, Integer> sums = sc.parallelize(IntStream.range(0, 40).boxed().toList(), 5)
                .mapToPair(i -> new Tuple2<>(i % 3, i)).reduceByKey(Integer::sum, 2);
        sums.collect(); // computes the map stage's shuffle output, which the next job reuses
        Recorded second = new Recorded();
        try (SparkProgress progress = SparkProgress.attach(spark.sparkContext(), () -> second.progress)) {
            assertEquals(3, sums.collect().size());
            List<String> calls = second.awaitClosed();
            assertEquals(List.of("stage 7 tasks from 0", "advance 1", "advance 1", "advance 5",
                    "note (5 tasks of 1 stage skipped: computed before)", "close"), withoutName(calls));
        }
    }

    @Test
    void theJobsOfOneDataFrameQueryCountOnOneBarThatEndsFull() throws Exception {
        List<Recorded> bars = Collections.synchronizedList(new ArrayList<>());
        try (SparkProgress progress = SparkProgress.attach(spark.sparkContext(), into(bars))) {
            // adaptive execution runs the shuffle's map stage as a job, then the rest as another
            assertEquals(3, spark.range(0, 100, 1, 4).groupBy(org.apache.spark.sql.functions.col("id").mod(3)).count()
                    .collectAsList().size());
            List<String> calls = first(bars).awaitClosed();
            assertEquals(1, bars.size(), "one bar: " + calls);
            List<String> stages = calls.stream().filter(c -> c.startsWith("stage ")).toList();
            assertTrue(stages.size() >= 2, "a stage per job: " + calls);
            assertTrue(name(calls).matches("Spark query [0-9]+ \\(collectAsList at SparkProgressTest\\.java:[0-9]+\\)"), name(calls));
            long total = Long.parseLong(stages.get(stages.size() - 1).split(" ")[1]);
            long done = calls.stream().filter(c -> c.startsWith("advance ")).mapToLong(c -> Long.parseLong(c.substring(8))).sum();
            assertEquals(total, done, "every task of the query counted once: " + calls);
            assertEquals("close", calls.get(calls.size() - 1));
        }
    }

    @Test
    void aClosedSparkProgressReportsNoMoreJobs() throws Exception {
        List<Recorded> opened = Collections.synchronizedList(new ArrayList<>());
        SparkProgress closed = SparkProgress.attach(spark.sparkContext(), into(opened));
        closed.close();
        Recorded witness = new Recorded();
        try (SparkProgress open = SparkProgress.attach(spark.sparkContext(), () -> witness.progress)) {
            sc.parallelize(List.of(1, 2, 3), 3).count();
            // Spark's listener bus gives every event to its listeners in turn: once the witness saw the job end, so
            // would the closed one have
            assertEquals("close", witness.awaitClosed().get(witness.calls.size() - 1));
        }
        assertEquals(List.of(), opened);
    }
}
