package dev.notebench.spark.associations;

import dev.notebench.spark.internal.Columns;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import dev.notebench.associations.Association;
import dev.notebench.associations.Cooccurrence;
import dev.notebench.associations.ExtractionPart;
import dev.notebench.associations.Extractor;
import dev.notebench.associations.Failure;
import dev.notebench.associations.PatternSet;
import dev.notebench.files.TextFiles;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Associations from a DataFrame's text column over a cluster: the same records as
 * {@link Extractor#extract} on the column's values in row order (typed relations with provenance,
 * the concepts that failed), and term co-occurrence with PMI counted by Spark aggregation with the
 * local counter's definition (a pair counts once per sentence or window; PMI over all units).
 * Each partition is extracted on one executor thread by {@link Extractor#extractPart}; a concept's
 * index is its row's position in the DataFrame.
 *
 * <pre>{@code
 * SparkAssociations job = SparkAssociations.builder("text").cooccurrence(0, 3, 0.0).build();
 * try (SparkAssociations.Result r = job.extract(speeches)) {
 *     r.associations().write().parquet("associations");
 *     r.cooccurrences().show();
 * }
 * }</pre>
 */
public final class SparkAssociations implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The associations' columns, named as {@link dev.notebench.associations.Extraction#table()} names them. */
    public static final StructType ASSOCIATIONS = new StructType().add("concept", DataTypes.IntegerType, false)
            .add("sentence", DataTypes.IntegerType, false).add("start", DataTypes.IntegerType, false)
            .add("end", DataTypes.IntegerType, false).add("source", DataTypes.StringType, false)
            .add("relation", DataTypes.StringType, false).add("target", DataTypes.StringType, false)
            .add("source_head", DataTypes.StringType, false).add("target_head", DataTypes.StringType, false)
            .add("confidence", DataTypes.DoubleType, false).add("pattern", DataTypes.StringType, false);
    /** The failed concepts' columns: concept, error. */
    public static final StructType FAILURES = new StructType().add("concept", DataTypes.IntegerType, false)
            .add("error", DataTypes.StringType, false);
    /** The co-occurring pairs' columns: a, b, count, pmi, npmi (full precision). */
    public static final StructType COOCCURRENCES = new StructType().add("a", DataTypes.StringType, false)
            .add("b", DataTypes.StringType, false).add("count", DataTypes.IntegerType, false)
            .add("pmi", DataTypes.DoubleType, false).add("npmi", DataTypes.DoubleType, false);
    private static final StructType UNITS = new StructType().add("terms", DataTypes.createArrayType(DataTypes.StringType, false), false);

    private final String column;
    private final String patterns;
    private final String patternsSource;
    private final boolean cooccurrence;
    private final int window;
    private final int minCount;
    private final double minPmi;
    private final Normalizer normalizer;

    /**
     * Rewrites each concept's text before extraction, as {@link Extractor.Builder#normalizer} does
     * (strip markup, fix encodings; a throw fails that concept only), serializable so that Spark
     * ships it to the executors:
     * {@code SparkAssociations.builder("text").normalizer(t -> t.replaceAll("<[^>]+>", " "))}.
     */
    @FunctionalInterface
    public interface Normalizer extends UnaryOperator<String>, Serializable {
    }

    private SparkAssociations(Builder b) {
        this.column = b.column;
        this.patterns = b.patterns;
        this.patternsSource = b.patternsSource;
        this.cooccurrence = b.cooccurrence;
        this.window = b.window;
        this.minCount = b.minCount;
        this.minPmi = b.minPmi;
        this.normalizer = b.normalizer;
    }

    /**
     * Starts describing a job on the texts of {@code column}: default patterns, co-occurrence off.
     *
     * @param column the string column holding the concepts (documents, sentences, cells)
     */
    public static Builder builder(String column) {
        return new Builder(column);
    }

    /** The same extractor on one machine: what a partition runs, and what results are checked against. */
    public Extractor extractor() {
        Extractor.Builder b = Extractor.builder().workers(1)
                .patterns(patterns == null ? PatternSet.defaults() : PatternSet.parse(patterns, patternsSource));
        if (cooccurrence) {
            b.cooccurrence(window, minCount, minPmi);
        }
        if (normalizer != null) {
            b.normalizer(normalizer);
        }
        return b.build();
    }

    /**
     * Extracts from {@code data}'s column. Runs the extraction now (the partitions' results are kept
     * by Spark until the result is closed); the co-occurrence aggregation runs when its DataFrame is
     * used.
     *
     * @param data the DataFrame
     * @return the records, as DataFrames
     * @throws dev.notebench.NotebenchException DATA_INVALID, before any task runs, when the column is
     *                                          missing or does not hold strings
     */
    public Result extract(Dataset<Row> data) {
        Columns.string(data.schema(), column, "the texts to extract associations from");
        SparkSession spark = data.sparkSession();
        JavaRDD<Part> parts = data.select(col(column)).javaRDD().zipWithIndex().mapPartitions(this::extractPartition)
                .persist(StorageLevel.MEMORY_AND_DISK());
        long[] totals = parts.map(p -> new long[] {p.concepts(), p.sentences(), p.units().size()})
                .fold(new long[3], (x, y) -> new long[] {x[0] + y[0], x[1] + y[1], x[2] + y[2]});
        Dataset<Row> associations = spark.createDataFrame(parts.flatMap(p -> p.associations().iterator()), ASSOCIATIONS);
        Dataset<Row> failures = spark.createDataFrame(parts.flatMap(p -> p.failures().iterator()), FAILURES);
        Dataset<Row> pairs = cooccurrence ? cooccurrences(spark, parts, totals[2]) : spark.createDataFrame(List.of(), COOCCURRENCES);
        return new Result(parts, associations, failures, pairs, totals[0], totals[1]);
    }

    /** One partition's records, as rows that Spark can keep and ship. */
    private record Part(List<Row> associations, List<Row> failures, List<List<String>> units, long concepts, long sentences)
            implements Serializable {
    }

    private Iterator<Part> extractPartition(Iterator<Tuple2<Row, Long>> rows) {
        List<String> texts = new ArrayList<>();
        long first = -1;
        while (rows.hasNext()) {
            Tuple2<Row, Long> r = rows.next();
            if (first < 0) {
                first = r._2();
            }
            texts.add(r._1().isNullAt(0) ? null : r._1().getString(0));
        }
        if (texts.isEmpty()) {
            return List.<Part>of().iterator();
        }
        ExtractionPart x = extractor().extractPart(texts, Math.toIntExact(first));
        List<Row> associations = new ArrayList<>(x.associations().size());
        for (Association a : x.associations()) {
            associations.add(RowFactory.create(a.concept(), a.sentence(), a.sentenceStart(), a.sentenceEnd(), a.source(), a.relation(),
                    a.target(), a.sourceHead(), a.targetHead(), a.confidence(), a.pattern()));
        }
        List<Row> failures = new ArrayList<>(x.failures().size());
        for (Failure f : x.failures()) {
            failures.add(RowFactory.create(f.concept(), f.error()));
        }
        return List.of(new Part(associations, failures, x.units(), texts.size(), x.sentences())).iterator();
    }

    /** Pairs and terms counted per unit by Spark's aggregation, then PMI as the local counter computes it. */
    private Dataset<Row> cooccurrences(SparkSession spark, JavaRDD<Part> parts, long units) {
        Dataset<Row> unitRows = spark.createDataFrame(parts.flatMap(p -> p.units().stream().map(u -> RowFactory.create((Object) u.toArray(new String[0])))
                .iterator()), UNITS);
        Dataset<Row> terms = unitRows.select(explode(col("terms")).as("term")).groupBy("term").count();
        Dataset<Row> pairs = unitRows.flatMap((FlatMapFunction<Row, Tuple2<String, String>>) SparkAssociations::pairs,
                        Encoders.tuple(Encoders.STRING(), Encoders.STRING())).toDF("a", "b")
                .groupBy("a", "b").count().filter(col("count").geq(minCount));
        Dataset<Row> joined = pairs
                .join(terms.toDF("term_a", "count_a"), col("a").equalTo(col("term_a")))
                .join(terms.toDF("term_b", "count_b"), col("b").equalTo(col("term_b")))
                .select("a", "b", "count", "count_a", "count_b");
        double min = minPmi;
        return joined.map((MapFunction<Row, Row>) r -> {
                    Cooccurrence c = Cooccurrence.of(r.getString(0), r.getString(1), Math.toIntExact(r.getLong(2)),
                            Math.toIntExact(r.getLong(3)), Math.toIntExact(r.getLong(4)), units);
                    return RowFactory.create(c.a(), c.b(), c.count(), c.pmi(), c.npmi());
                }, Encoders.row(COOCCURRENCES))
                .filter(col("pmi").geq(min))
                .orderBy(col("count").desc(), col("pmi").desc(), col("a"), col("b"));
    }

    /** Every pair of a unit's (sorted, distinct) terms once, the first before the second. */
    private static Iterator<Tuple2<String, String>> pairs(Row unit) {
        List<String> terms = unit.getList(0);
        List<Tuple2<String, String>> out = new ArrayList<>();
        for (int i = 0; i < terms.size() - 1; i++) {
            for (int j = i + 1; j < terms.size(); j++) {
                out.add(new Tuple2<>(terms.get(i), terms.get(j)));
            }
        }
        return out.iterator();
    }

    /**
     * What a job found, as DataFrames. Closing it releases the partitions' results Spark keeps.
     */
    public static final class Result implements AutoCloseable {
        private final JavaRDD<Part> parts;
        private final Dataset<Row> associations;
        private final Dataset<Row> failures;
        private final Dataset<Row> cooccurrences;
        private final long concepts;
        private final long sentences;

        private Result(JavaRDD<Part> parts, Dataset<Row> associations, Dataset<Row> failures, Dataset<Row> cooccurrences,
                       long concepts, long sentences) {
            this.parts = parts;
            this.associations = associations;
            this.failures = failures;
            this.cooccurrences = cooccurrences;
            this.concepts = concepts;
            this.sentences = sentences;
        }

        /** Every association ({@link SparkAssociations#ASSOCIATIONS}), in row order: by concept, then sentence, then position. */
        public Dataset<Row> associations() {
            return associations;
        }

        /** The concepts that could not be read ({@link SparkAssociations#FAILURES}), by concept. */
        public Dataset<Row> failures() {
            return failures;
        }

        /**
         * The co-occurring pairs above the thresholds ({@link SparkAssociations#COOCCURRENCES}), most frequent first,
         * then by PMI, then by the terms in Spark's string order (UTF-8 bytes; {@link #cooccurrenceList()}
         * orders ties as the local API does); empty when co-occurrence is not counted.
         */
        public Dataset<Row> cooccurrences() {
            return cooccurrences;
        }

        /** Concepts read (rows). */
        public long concepts() {
            return concepts;
        }

        /** Sentences read. */
        public long sentences() {
            return sentences;
        }

        /** The associations collected to the driver, for small results: the local API's records. */
        public List<Association> associationList() {
            return associations.collectAsList().stream().map(r -> new Association(r.getInt(0), r.getInt(1), r.getInt(2), r.getInt(3),
                    r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getDouble(9),
                    r.getString(10))).toList();
        }

        /** The failures collected to the driver. */
        public List<Failure> failureList() {
            return failures.collectAsList().stream().map(r -> new Failure(r.getInt(0), r.getString(1))).toList();
        }

        /** The pairs collected to the driver, in {@link Cooccurrence#ORDER} as the local API gives them. */
        public List<Cooccurrence> cooccurrenceList() {
            return cooccurrences.collectAsList().stream()
                    .map(r -> new Cooccurrence(r.getString(0), r.getString(1), r.getInt(2), r.getDouble(3), r.getDouble(4)))
                    .sorted(Cooccurrence.ORDER).toList();
        }

        /** Releases the partitions' results. */
        @Override
        public void close() {
            parts.unpersist(false);
        }
    }

    /** Describes a {@link SparkAssociations} job. */
    public static final class Builder {
        private final String column;
        private String patterns;
        private String patternsSource;
        private boolean cooccurrence;
        private int window;
        private int minCount = 3;
        private double minPmi;
        private Normalizer normalizer;

        private Builder(String column) {
            this.column = Objects.requireNonNull(column, "column");
        }

        /**
         * Patterns other than the defaults, parsed here (on the driver) so that a bad line fails at once.
         *
         * @param text the pattern lines
         * @param source where they come from, for messages
         * @throws dev.notebench.associations.PatternFileException naming the bad line
         */
        public Builder patterns(String text, String source) {
            PatternSet.parse(text, source);
            this.patterns = text;
            this.patternsSource = source;
            return this;
        }

        /** Patterns read from a UTF-8 file on the driver (see {@link #patterns(String, String)}). */
        public Builder patterns(Path file) {
            return patterns(TextFiles.readUtf8(file, "the pattern file"), file.toString());
        }

        /**
         * Counts co-occurring terms, as {@link Extractor.Builder#cooccurrence} does.
         *
         * @param window 0 for pairs within a sentence, else within this many tokens
         * @param minCount keep pairs seen at least this often
         * @param minPmi keep pairs with at least this PMI (natural log)
         */
        public Builder cooccurrence(int window, int minCount, double minPmi) {
            Extractor.builder().cooccurrence(window, minCount, minPmi);
            this.cooccurrence = true;
            this.window = window;
            this.minCount = minCount;
            this.minPmi = minPmi;
            return this;
        }

        /**
         * Rewrites each concept's text before extraction, on the executors, as the local
         * {@link Extractor.Builder#normalizer} does; give the same function to both for the same records.
         *
         * @param normalizer the rewrite (a lambda assigned to {@link Normalizer} is serializable)
         */
        public Builder normalizer(Normalizer normalizer) {
            this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
            return this;
        }

        /** The job. */
        public SparkAssociations build() {
            return new SparkAssociations(this);
        }
    }
}
