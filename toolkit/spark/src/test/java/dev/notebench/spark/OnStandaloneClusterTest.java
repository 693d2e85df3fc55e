package dev.notebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.notebench.associations.Extractor;
import dev.notebench.spark.associations.SparkAssociations;
import dev.notebench.spark.associations.SparkAssociationsTest;
import dev.notebench.spark.tokenize.SparkBpeTrainerTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster (two executor JVMs) and the data capabilities on it, checked against the local API as on
 * local[2]: one cluster for all, since each start costs tens of seconds.
 */
class OnStandaloneClusterTest {
    private static StandaloneCluster cluster;
    private static SparkSession spark;

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.start(2);
        spark = cluster.session("on-standalone-cluster-test").build().open();
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
}
