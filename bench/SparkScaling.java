import dev.notebench.associations.Extraction;
import dev.notebench.associations.Extractor;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.spark.SparkSessions;
import dev.notebench.spark.TestData;
import dev.notebench.spark.associations.SparkAssociations;
import dev.notebench.spark.embed.SparkEmbedder;
import dev.notebench.tables.CsvTables;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's scaling and overhead (issue 21) on a real standalone cluster on loopback: toolkit/spark's
 * test harness StandaloneCluster (a Master and two Workers of one core each, every one its own
 * JVM; the executors launched by the Workers), 1 executor of 1 core vs 2, against the local API
 * with 1 and 2 threads, on the same data: associations (typed relations and sentence co-occurrence)
 * over the State of the Union addresses repeated REPEAT times, and all-MiniLM-L6-v2 embeddings of
 * the spam subjects, the input in 4 partitions (4 per 10 repetitions above 10). Each measurement:
 * one warm-up run excluded, then the best of RUNS. Every Spark result is checked against the local API's. Prints markdown tables.
 *   java -cp ... bench/SparkScaling.java SOTU.txt SUBJECTS.csv REPEAT RUNS SUBJECTS WORKDIR   (SUBJECTS 0: all)
 */
public final class SparkScaling {

    private record Measure(String workload, String path, int workers, int rows, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        List<String> addresses = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        int repeat = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        int firstSubjects = Integer.parseInt(args[4]);
        Path work = Path.of(args[5]);
        // 4 partitions, and more for a large REPEAT, so that a partition's records fit an executor of 512 MB
        int partitions = Math.max(4, 4 * repeat / 10);
        List<String> concepts = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            concepts.addAll(addresses);
        }
        List<String> allSubjects = CsvTables.read(Path.of(args[1])).stringColumn("subject").asList();
        List<String> subjects = List.copyOf(firstSubjects > 0 && firstSubjects < allSubjects.size()
                ? allSubjects.subList(0, firstSubjects) : allSubjects);
        List<Measure> measures = new ArrayList<>();
        List<String> checks = new ArrayList<>();

        // the local API: 1 and 2 threads
        Extraction expected = null;
        for (int threads : new int[] {1, 2}) {
            Extractor x = extractor(threads);
            measures.add(new Measure("associations", "local", threads, concepts.size(), best(runs, () -> x.extract(concepts))));
            expected = x.extract(concepts);
        }
        // the local API as a user calls it: 1 thread (ONNX Runtime on one thread), and 2 (its default: a thread per core)
        List<float[]> vectors;
        for (int threads : new int[] {1, 2}) {
            try (LocalEmbedder local = LocalEmbedder.load(LocalModel.ALL_MINILM_L6_V2, work.resolve("local-models"), threads == 1 ? 1 : 0)) {
                measures.add(new Measure("embeddings", "local", threads, subjects.size(), best(runs, () -> local.embedAll(subjects))));
            }
        }
        try (LocalEmbedder local = LocalEmbedder.load(LocalModel.ALL_MINILM_L6_V2, work.resolve("local-models"))) {
            vectors = local.embedAll(subjects);
        }

        // Spark: 1 and 2 executors of one core on the standalone cluster
        Class<?> harness = Class.forName("dev.notebench.spark.StandaloneCluster");
        Method start = harness.getDeclaredMethod("start", int.class);
        Method session = harness.getDeclaredMethod("session", String.class);
        Method close = harness.getDeclaredMethod("close");
        start.setAccessible(true);
        session.setAccessible(true);
        close.setAccessible(true);
        Object cluster = start.invoke(null, 2);
        try {
            for (int executors : new int[] {1, 2}) {
                SparkSessions.Builder b = ((SparkSessions.Builder) session.invoke(cluster, "spark-scaling-" + executors))
                        .config("spark.cores.max", String.valueOf(executors)).config("spark.executor.memory", "512m");
                try (SparkSession spark = b.build().open()) {
                    Dataset<Row> texts = TestData.texts(spark, concepts, partitions);
                    Dataset<Row> mail = TestData.texts(spark, subjects, 4);
                    SparkAssociations job = SparkAssociations.builder("text").cooccurrence(0, 3, 0.0).build();
                    Extraction local = expected;
                    measures.add(new Measure("associations", "spark", executors, concepts.size(), best(runs, () -> {
                        try (SparkAssociations.Result r = job.extract(texts)) {
                            return List.of(r.associationList(), r.cooccurrenceList());
                        }
                    })));
                    try (SparkAssociations.Result r = job.extract(texts)) {
                        checks.add("associations, " + executors + " executor(s): " + (r.associationList().equals(local.associations())
                                && r.cooccurrenceList().equals(local.cooccurrences()) ? "equal to the local API's records"
                                : "DIFFERENT from the local API's records"));
                    }
                    SparkEmbedder embedder = SparkEmbedder.builder(LocalModel.ALL_MINILM_L6_V2, work.resolve("executor-models"))
                            .build();
                    measures.add(new Measure("embeddings", "spark", executors, subjects.size(),
                            best(runs, () -> embedder.embed(mail).collectAsList())));
                    checks.add("embeddings, " + executors + " executor(s): largest difference from the local vectors "
                            + String.format(Locale.ROOT, "%.1e", largestDifference(embedder.embed(mail).collectAsList(), subjects, vectors)));
                }
            }
        } finally {
            close.invoke(cluster);
        }
        print(measures, checks, concepts, subjects);
    }

    private static Extractor extractor(int threads) {
        return Extractor.builder().workers(threads).sequentialBelow(threads == 1 ? Integer.MAX_VALUE : 0).cooccurrence(0, 3, 0.0).build();
    }

    /** Seconds of the fastest of RUNS runs, after one warm-up run. */
    private static double best(int runs, Supplier<Object> run) {
        run.get();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run.get();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    /** The largest absolute difference of a vector component, the rows matched by their text. */
    private static double largestDifference(List<Row> rows, List<String> texts, List<float[]> local) {
        java.util.Map<String, float[]> byText = new java.util.HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            byText.put(texts.get(i), local.get(i));
        }
        double worst = 0;
        for (Row r : rows) {
            float[] expected = byText.get(r.getString(1));
            List<Float> v = r.getList(2);
            if (expected == null || v.size() != expected.length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(v.get(i) - expected[i]));
            }
        }
        return rows.size() == texts.size() ? worst : Double.POSITIVE_INFINITY;
    }

    private static void print(List<Measure> measures, List<String> checks, List<String> concepts, List<String> subjects) {
        System.out.println("| workload | path | workers | rows | best seconds | rows/s |");
        System.out.println("|---|---|---|---|---|---|");
        for (Measure m : measures) {
            System.out.printf(Locale.ROOT, "| %s | %s | %d %s | %d | %.2f | %.1f |%n", m.workload(), m.path(), m.workers(),
                    m.path().equals("local") ? (m.workers() == 1 ? "thread" : "threads") : (m.workers() == 1 ? "executor" : "executors"),
                    m.rows(), m.seconds(), m.rows() / m.seconds());
        }
        System.out.println();
        System.out.println("| workload | Spark 2 executors / 1 (goal ≥ 1.7×) | local 2 threads / 1 | Spark 2 executors vs local 2 threads"
                + " (goal ≤ +15%) |");
        System.out.println("|---|---|---|---|");
        for (String w : List.of("associations", "embeddings")) {
            double s1 = seconds(measures, w, "spark", 1);
            double s2 = seconds(measures, w, "spark", 2);
            double l1 = seconds(measures, w, "local", 1);
            double l2 = seconds(measures, w, "local", 2);
            System.out.printf(Locale.ROOT, "| %s | %.2f× | %.2f× | %+.0f%% |%n", w, s1 / s2, l1 / l2, (s2 / l2 - 1) * 100);
        }
        System.out.println();
        checks.forEach(c -> System.out.println("- " + c));
    }

    private static double seconds(List<Measure> measures, String workload, String path, int workers) {
        return measures.stream().filter(m -> m.workload().equals(workload) && m.path().equals(path) && m.workers() == workers)
                .findFirst().orElseThrow().seconds();
    }
}
