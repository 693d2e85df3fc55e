package dev.notebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

class StandaloneClusterTest {
    private static StandaloneCluster cluster;
    private static SparkSession spark;

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.start(2);
        spark = cluster.session("standalone-cluster-test").build().open();
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
}
