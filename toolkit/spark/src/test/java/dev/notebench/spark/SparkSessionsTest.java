package dev.notebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
    @Test
    void localSessionRunsAJobBesideNotebenchsDependencies() throws Exception {
        try (SparkSession spark = SparkSessions.builder().master("local[2]").config("spark.ui.enabled", "false").config("spark.sql.warehouse.dir", "target/spark-warehouse").build().open()) {
            Dataset<String> words = spark.createDataset(List.of("a", "bb", "ccc", "bb"), Encoders.STRING());
            assertEquals(2L, words.filter((org.apache.spark.api.java.function.FilterFunction<String>) w -> w.equals("bb")).count());
            assertEquals("local[2]", spark.sparkContext().master());
        }
    }
}
