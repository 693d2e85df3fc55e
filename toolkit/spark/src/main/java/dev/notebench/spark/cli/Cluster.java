package dev.notebench.spark.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.Option;
import dev.notebench.options.OptionValues;
import dev.notebench.spark.SparkSessions;
import dev.notebench.tables.CsvTables;
import dev.notebench.tokenize.internal.Utf8;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import dev.notebench.files.OutputGuard;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The Spark side of a command: the options every {@code notebench spark} command adds to the local
 * command's ({@code --master}, {@code --partitions}, {@code --conf}), the session they open, and the
 * files Spark reads and writes. Inputs by extension: {@code .parquet} as Parquet, {@code .csv} as
 * CSV with a header line (every column a string, quoted cells may span lines); plain text as lines.
 * Outputs: {@code FILE.csv} is collected to the driver and written as one CSV file the way the local
 * command writes it (for results that fit the driver's memory); any other path is written by the
 * executors in parallel as a Parquet directory (HDFS, S3 or a shared disk on a cluster).
 */
final class Cluster implements AutoCloseable {
    /** {@code --master URL}. */
    static final Option<String> MASTER = Option.string("master").label("URL")
            .defaultText("spark-submit's --master, else " + SparkSessions.DEFAULT_MASTER)
            .help("the Spark master: local[*], local[N], spark://HOST:PORT, k8s://https://HOST:PORT or yarn");
    /** {@code --partitions N}. */
    static final Option<Integer> PARTITIONS = Option.integer("partitions", 1, 1_000_000).label("N")
            .defaultText("as Spark reads the input").help("split the input into N partitions (tasks), keeping its row order");
    /** {@code --conf KEY=VALUE}, repeatable. */
    static final Option<Map.Entry<String, String>> CONF = Option.keyValue("conf").label("KEY=VALUE").repeatable()
            .help("a Spark setting, e.g. spark.executor.memory=4g (Spark's UI shows settings: never a secret)");

    private final SparkSession spark;
    private final Integer partitions;

    private Cluster(SparkSession spark, Integer partitions) {
        this.spark = spark;
        this.partitions = partitions;
    }

    /**
     * Opens the session the options describe.
     *
     * @param v the command's values (with {@link #MASTER}, {@link #PARTITIONS}, {@link #CONF})
     * @param appName the application's name
     * @throws NotebenchException CONFIG_INVALID when the master cannot be reached or Spark does not start
     */
    static Cluster open(OptionValues v, String appName) {
        String submitted = System.getProperty("spark.master");
        SparkSessions.Builder b = SparkSessions.builder().appName(appName)
                .master(v.has(MASTER) ? v.get(MASTER) : submitted != null ? submitted : SparkSessions.DEFAULT_MASTER)
                .config("spark.ui.showConsoleProgress", "true");
        for (Map.Entry<String, String> c : v.all(CONF)) {
            b.config(c.getKey(), c.getValue());
        }
        return new Cluster(b.build().open(), v.get(PARTITIONS));
    }

    /** The session. */
    SparkSession spark() {
        return spark;
    }

    /**
     * A table: Parquet ({@code .parquet}) or CSV with a header line (anything else), split as
     * {@code --partitions} says.
     *
     * @param path where it is, as Spark names files
     * @param option the option that named it, for messages
     */
    Dataset<Row> table(String path, String option) {
        return split(read(() -> isParquet(path) ? spark.read().parquet(path)
                : spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"").csv(path), path, option));
    }

    /**
     * A text file's lines, one a row in the string column {@code value}, in file order.
     *
     * @param path the file (or a directory or glob of them)
     * @param option the option that named it
     */
    Dataset<Row> lines(String path, String option) {
        Dataset<Row> text = read(() -> spark.read().text(path), path, option);
        // Spark turns bytes that are not UTF-8 into U+FFFD without a word; the local commands refuse such a file
        return split(text.select(col("value").cast("binary")).map(new Utf8Lines(path, option), Encoders.row(text.schema())));
    }

    /** A text file's line as its bytes, checked on the executor that reads it and decoded as UTF-8. */
    private record Utf8Lines(String path, String option) implements MapFunction<Row, Row> {
        @Override
        public Row call(Row line) {
            byte[] b = line.getAs(0);
            int bad = Utf8.firstInvalid(b, 0, b.length);
            if (bad >= 0) {
                String before = new String(b, 0, bad, StandardCharsets.UTF_8);
                throw new NotebenchException(ErrorCode.DATA_INVALID, option + " " + path + " is not valid UTF-8: a line holds the byte 0x"
                        + String.format(Locale.ROOT, "%02X", b[bad] & 0xFF) + " after '" + (before.length() > 40
                        ? "…" + before.substring(before.length() - 40) : before) + "'; re-encode it as UTF-8");
            }
            return RowFactory.create(new String(b, StandardCharsets.UTF_8));
        }
    }

    /**
     * Refuses, before Spark starts, an output that is the input, holds it (a Parquet directory is
     * replaced whole) or is another output: Spark reads its input lazily, so writing over it would
     * destroy the rows being read. Paths with a scheme (hdfs://, s3a://, file://) are left to the
     * cluster's file system.
     *
     * @param inputOption the option naming the input
     * @param input the input as given
     * @param outputs each output option with its path (a null path: not given)
     * @throws NotebenchException CONFIG_INVALID naming the two paths
     */
    static void guard(String inputOption, String input, Map<String, String> outputs) {
        OutputGuard.Builder g = OutputGuard.builder();
        if (input != null && !input.contains(":")) {
            g.input(inputOption, Path.of(input));
        }
        outputs.forEach((option, path) -> {
            if (path != null && !path.contains(":")) {
                if (isCsv(path)) {
                    g.output(option, Path.of(path));
                } else {
                    g.outputDirectory(option, Path.of(path));
                }
            }
        });
        g.build().check();
    }

    /** Whether a path names Parquet. */
    static boolean isParquet(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    /** Whether a path names one CSV file the driver writes. */
    static boolean isCsv(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /**
     * Writes a result: one CSV file from the driver ({@code .csv}), else a Parquet directory from the
     * executors (replacing what is there).
     *
     * @param data the rows
     * @param path where they go
     * @return the rows written to the CSV file (null for Parquet: the caller reads them back if it must)
     */
    List<Row> write(Dataset<Row> data, String path) {
        if (isCsv(path)) {
            List<Row> rows = data.collectAsList();
            CsvTables.write(table(data, rows), Path.of(path));
            return rows;
        }
        data.write().mode(SaveMode.Overwrite).parquet(path);
        return null;
    }

    /** Rows collected to the driver as a Tablesaw table with the DataFrame's columns. */
    private static Table table(Dataset<Row> data, List<Row> rows) {
        StructField[] fields = data.schema().fields();
        Table t = Table.create("result");
        for (int c = 0; c < fields.length; c++) {
            DataType type = fields[c].dataType();
            String name = fields[c].name();
            Column<?> column = type.sameType(DataTypes.BooleanType) ? BooleanColumn.create(name)
                    : type.sameType(DataTypes.DoubleType) ? DoubleColumn.create(name)
                    : type.sameType(DataTypes.LongType) ? LongColumn.create(name)
                    : type.sameType(DataTypes.IntegerType) ? IntColumn.create(name)
                    : type.sameType(DataTypes.StringType) ? StringColumn.create(name) : null;
            if (column == null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the column '" + name + "' holds " + type.simpleString()
                        + " values, which a CSV file cannot hold; write Parquet: an output ending in .parquet");
            }
            for (Row r : rows) {
                if (r.isNullAt(c)) {
                    column.appendMissing(); // "" in a text column, as the local tables hold it
                } else {
                    column.appendObj(r.get(c));
                }
            }
            t.addColumns(column);
        }
        return t;
    }

    /** The rows in {@code --partitions} ranges of their order, when given. */
    private Dataset<Row> split(Dataset<Row> data) {
        if (partitions == null) {
            return data;
        }
        String order = "_notebench_row";
        return data.withColumn(order, monotonically_increasing_id()).repartitionByRange(partitions, col(order))
                .sortWithinPartitions(order).drop(order);
    }

    /**
     * Refuses, before Spark starts, an input path that names a missing file of this machine (a URI
     * or a glob is Spark's to find).
     *
     * @param path the path as given; null when the option is not given
     * @param option the option that names it
     * @throws NotebenchException CONFIG_INVALID when not given, DATA_NOT_FOUND when missing
     */
    static void mustExist(String path, String option) {
        if (path == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give " + option + " FILE");
        }
        if (!path.contains(":") && !path.matches(".*[*?\\[{].*") && !java.nio.file.Files.exists(Path.of(path))) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, option + " " + path + " does not exist (looked in "
                    + Path.of("").toAbsolutePath() + "); give a file, or a URI every executor can read (hdfs://, s3a://, file://)");
        }
    }

    private static Dataset<Row> read(java.util.function.Supplier<Dataset<Row>> reader, String path, String option) {
        mustExist(path, option);
        try {
            return reader.get();
        } catch (Exception e) { // Spark's AnalysisException is a checked exception Scala throws undeclared
            if (e instanceof AnalysisException) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, option + " " + path + " cannot be read: "
                        + e.getMessage().lines().findFirst().orElse("") + "; give a file every executor can read");
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** Stops the session. */
    @Override
    public void close() {
        spark.stop();
    }
}
