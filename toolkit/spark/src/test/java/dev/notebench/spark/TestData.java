package dev.notebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.NotebenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.function.Executable;

/** The repository's sample corpora and the sessions the tests use. */
public final class TestData {
    private TestData() {
    }

    /** The first {@code n} State of the Union addresses of datasets/sotu, one a line. */
    public static List<String> sotu(int n) {
        Path file = Path.of(System.getProperty("notebench.home", "../..")).resolve("datasets/sotu/sotu-sample.txt");
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).subList(0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A local session for tests: {@code local[2]}, no UI, few shuffle partitions, its warehouse under target/. */
    public static SparkSession local(String appName) {
        return SparkSessions.builder().master("local[2]").appName(appName).config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").config("spark.sql.warehouse.dir", "target/spark-warehouse").build().open();
    }

    /**
     * Runs what must be refused on the driver, and asserts that it throws a {@link NotebenchException}
     * before Spark ran any job for it.
     */
    public static NotebenchException refusedBeforeAnyJob(SparkSession spark, Executable call) {
        String group = "refused-" + java.util.UUID.randomUUID();
        spark.sparkContext().setJobGroup(group, "input that must be refused", false);
        try {
            NotebenchException e = assertThrows(NotebenchException.class, call);
            assertEquals(0, spark.sparkContext().statusTracker().getJobIdsForGroup(group).length);
            return e;
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    /** The texts as a DataFrame {@code (id int, text string)} in {@code partitions} partitions, in this order. */
    public static Dataset<Row> texts(SparkSession spark, List<String> texts, int partitions) {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), schema);
    }
}
