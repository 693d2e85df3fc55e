package dev.notebench.spark.associations;

import dev.notebench.spark.internal.Columns;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.notebench.associations.Association;
import dev.notebench.associations.Cooccurrence;
import dev.notebench.associations.CooccurrenceCounts;
import dev.notebench.associations.ExtractionPart;
import dev.notebench.associations.Extractor;
import dev.notebench.associations.Failure;
import dev.notebench.associations.PatternSet;
import dev.notebench.files.TextFiles;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
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
 * the concepts that failed), and term co-occurrence with PMI as the local counter computes it (a
 * pair counts once per sentence or window; PMI over all units). Each partition is extracted on one
 * executor thread by {@link Extractor#extractPart}, which also counts the partition's terms and
 * pairs with the local counter's code; Spark only adds the partitions' counts up, then applies the
 * thresholds to the sums. A concept's index is its row's position in the DataFrame.
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
    private static final StructType TERM_COUNTS = new StructType().add("term", DataTypes.StringType, false)
            .add("count", DataTypes.LongType, false);
    private static final StructType PAIR_COUNTS = new StructType().add("a", DataTypes.StringType, false)
            .add("b", DataTypes.StringType, false).add("count", DataTypes.LongType, false);

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
        long[] totals = parts.map(p -> new long[] {p.concepts(), p.sentences(), p.counts().units})
                .fold(new long[3], (x, y) -> new long[] {x[0] + y[0], x[1] + y[1], x[2] + y[2]});
        Dataset<Row> associations = spark.createDataFrame(parts.flatMap(p -> p.associations().iterator()), ASSOCIATIONS);
        Dataset<Row> failures = spark.createDataFrame(parts.flatMap(p -> p.failures().iterator()), FAILURES);
        Dataset<Row> pairs = cooccurrence ? cooccurrences(spark, parts, totals[2]) : spark.createDataFrame(List.of(), COOCCURRENCES);
        return new Result(parts, associations, failures, pairs, totals[0], totals[1]);
    }

    /** One partition's records, as rows that Spark can keep and ship. */
    private record Part(List<Row> associations, List<Row> failures, Counts counts, long concepts, long sentences)
            implements Serializable {
    }

    /**
     * One partition's co-occurrence counts, kept compact (a pair is 3 ints, not a row) because a
     * partition holds about every distinct pair of its text; rows are made as Spark reads them.
     * Counts, not units: the pairs Spark shuffles are each partition's distinct pairs, not every
     * pair of every sentence.
     */
    private static final class Counts implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long units;
        private final String[] terms;
        private final int[] termCounts;
        private final int[] pairA;
        private final int[] pairB;
        private final int[] pairCounts;

        Counts(CooccurrenceCounts c) {
            units = c.units();
            List<String> names = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            Map<String, Integer> index = new HashMap<>();
            c.forEachTerm((t, n) -> {
                index.put(t, names.size());
                names.add(t);
                counts.add(n);
            });
            terms = names.toArray(new String[0]);
            termCounts = counts.stream().mapToInt(Integer::intValue).toArray();
            pairA = new int[c.pairCount()];
            pairB = new int[c.pairCount()];
            pairCounts = new int[c.pairCount()];
            int[] at = {0};
            c.forEachPair((a, b, n) -> {
                pairA[at[0]] = index.get(a);
                pairB[at[0]] = index.get(b);
                pairCounts[at[0]++] = n;
            });
        }

        /** {@link #TERM_COUNTS} rows. */
        Iterator<Row> termRows() {
            return IntStream.range(0, terms.length).mapToObj(i -> RowFactory.create(terms[i], (long) termCounts[i])).iterator();
        }

        /** {@link #PAIR_COUNTS} rows, the first term alphabetically before the second. */
        Iterator<Row> pairRows() {
            return IntStream.range(0, pairCounts.length)
                    .mapToObj(i -> RowFactory.create(terms[pairA[i]], terms[pairB[i]], (long) pairCounts[i])).iterator();
        }
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
        return List.of(new Part(associations, failures, new Counts(x.cooccurrence()), texts.size(), x.sentences())).iterator();
    }

    /**
     * The partitions' pair and term counts summed by Spark's aggregation, the minimum count applied to
     * the sums, then PMI as the local counter computes it.
     */
    private Dataset<Row> cooccurrences(SparkSession spark, JavaRDD<Part> parts, long units) {
        // the vocabulary is small next to the pairs: broadcast it rather than shuffle and sort the pairs twice to join
        Dataset<Row> terms = spark.createDataFrame(parts.flatMap(p -> p.counts().termRows()), TERM_COUNTS)
                .groupBy("term").agg(sum("count").as("count"));
        Dataset<Row> pairs = spark.createDataFrame(parts.flatMap(p -> p.counts().pairRows()), PAIR_COUNTS)
                .groupBy("a", "b").agg(sum("count").as("count")).filter(col("count").geq(minCount));
        Dataset<Row> joined = pairs
                .join(broadcast(terms.toDF("term_a", "count_a")), col("a").equalTo(col("term_a")))
                .join(broadcast(terms.toDF("term_b", "count_b")), col("b").equalTo(col("term_b")))
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
