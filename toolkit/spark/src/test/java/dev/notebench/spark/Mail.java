package dev.notebench.spark;

import com.google.gson.JsonObject;
import dev.notebench.enrich.FakeChatServer;
import dev.notebench.enrich.Item;
import dev.notebench.enrich.OutputSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** E-mail subjects as DataFrames, and the fake server that labels them, for the Spark tests. */
public final class Mail {
    /** Spam and question, any number of which apply. */
    public static final OutputSchema SCHEMA = OutputSchema.multiLabel(List.of("spam", "question"));
    /** A row number and a subject. */
    public static final StructType COLUMNS = new StructType().add("n", DataTypes.IntegerType).add("subject", DataTypes.StringType);

    private Mail() {
    }

    /** Distinct subjects starting with {@code tag}: every third mentions money, every third asks. */
    public static List<String> subjects(int rows, String tag) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            s.add(switch (i % 3) {
                case 0 -> tag + " win $" + (i * 100) + " now";
                case 1 -> tag + " meeting moved to room " + i + "?";
                default -> tag + " re: patch " + i;
            });
        }
        return s;
    }

    /** The subjects numbered from 0 in {@link #COLUMNS}, in this many partitions of consecutive rows. */
    public static Dataset<Row> frame(SparkSession spark, List<String> subjects, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            rows.add(RowFactory.create(i, subjects.get(i)));
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), COLUMNS);
    }

    /**
     * A fake server answering {@link #SCHEMA} as the truth has it (spam when a text mentions money,
     * a question when it ends with '?'), counting in {@code answers} how many times each text was answered.
     */
    public static FakeChatServer.Builder fake(Map<String, AtomicInteger> answers) {
        return FakeChatServer.builder((Item row) -> {
            answers.computeIfAbsent(row.text(), t -> new AtomicInteger()).incrementAndGet();
            JsonObject o = new JsonObject();
            o.addProperty("spam", row.text().contains("$"));
            o.addProperty("question", row.text().endsWith("?"));
            return o;
        });
    }
}
