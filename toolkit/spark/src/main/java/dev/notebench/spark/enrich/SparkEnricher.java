package dev.notebench.spark.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.Enricher;
import dev.notebench.enrich.Example;
import dev.notebench.enrich.Field;
import dev.notebench.enrich.OutputSchema;
import dev.notebench.enrich.RowText;
import dev.notebench.internal.Ranges;
import dev.notebench.spark.internal.Columns;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Enriches a DataFrame as the local {@link Enricher} enriches a table: the label or schema columns
 * and {@link Enricher#ERROR_COLUMN} appended to the input's rows (booleans, doubles, longs or
 * strings as the fields' types; null where a row failed, the error column then saying why, empty
 * where it succeeded), with the same packing, answer checks and re-asking, since each partition is
 * labelled by the local {@code Enricher} itself.
 *
 * <p><b>One annotator per executor JVM.</b> The first task of a job in an executor opens the
 * annotator ({@link SparkAnnotator}: its HTTP client, retries, adaptive concurrency and rate
 * limiter) and the later tasks there share it. The API key travels inside the serialized task,
 * never as a Spark setting.
 *
 * <p><b>Cluster-wide limits.</b> The options' workers, requests per minute and tokens per minute
 * are the whole cluster's: each executor's annotator gets {@code limit / executors} (rounded down,
 * at least 1: {@link SparkAnnotator.Limits#share}; how executors are counted: {@link ClusterShare},
 * or say it with {@link Builder#executors}).
 *
 * <p><b>Retries never pay twice.</b> A failed or killed task is run again by Spark from its
 * partition's first row. The answers of its earlier attempt are found in the response cache
 * ({@link dev.notebench.enrich.AnnotatorOptions#responseCache()}: one SQLite file, keyed as locally
 * by the exact request) because a partition's rows are asked in a fixed order (sorted by their text),
 * so the retry sends the very same requests. The cache is one file shared by the executors: it must
 * be on a disk every executor of a machine opens at the same path (SQLite's WAL needs them on one
 * machine: executors of one host share it; on a multi-host cluster, give each host a local path
 * with the same name; a task retried on another host asks its rows again). Without a cache file a
 * retry asks its rows again. An answer in flight when the executor dies was never received and is
 * asked again.
 *
 * <p>The result is lazy, like every DataFrame: each action runs the enrichment again (answered
 * requests come from the cache), so persist it or write it once. An empty DataFrame gives an empty
 * result. Bad input (a missing or non-string text column, an output column the input already has)
 * is one {@link NotebenchException} here, on the driver, before any task runs; a failure of the
 * annotator (an unreachable server after its retries, a refused key) fails the task as it fails a
 * local run, and Spark's job with it, the {@code NotebenchException} as its cause.
 *
 * <pre>{@code
 * SparkAnnotator llm = SparkAnnotator.of(AnnotatorOptions.builder("openai").model("gpt-4o-mini")
 *     .apiKeyEnv("OPENAI_API_KEY").environment(System.getenv()).workers(32).rateLimits(5000, 0)
 *     .responseCache(Path.of("/shared/llm-responses.sqlite")).build());
 * Dataset<Row> labelled = SparkEnricher.builder(llm, OutputSchema.singleLabel("label", List.of("spam", "ham")))
 *     .instructions("Is this e-mail subject spam?").textColumns("subject").batchSize(10).build()
 *     .enrich(subjects);
 * }</pre>
 */
public final class SparkEnricher {
    private final SparkAnnotator annotator;
    private final OutputSchema schema;
    private final String instructions;
    private final List<Example> examples;
    private final String[] textColumns;
    private final String template;
    private final int batchSize;
    private final int tokenBudget;
    private final int maxAttempts;
    private final int executors;

    private SparkEnricher(Builder b) {
        this.annotator = b.annotator;
        this.schema = b.schema;
        this.instructions = b.instructions;
        this.examples = b.examples;
        this.textColumns = b.textColumns;
        this.template = b.template;
        this.batchSize = b.batchSize;
        this.tokenBudget = b.tokenBudget;
        this.maxAttempts = b.maxAttempts;
        this.executors = b.executors;
    }

    /**
     * Starts describing a job.
     *
     * @param annotator who answers, with the cluster-wide limits
     * @param schema what to fill in for every row
     */
    public static Builder builder(SparkAnnotator annotator, OutputSchema schema) {
        return new Builder(annotator, schema);
    }

    /**
     * The enriched DataFrame: the input's columns, then one per field, then
     * {@link Enricher#ERROR_COLUMN}. Lazy; nothing is asked until an action runs.
     *
     * @param input the rows to enrich
     * @throws NotebenchException (DATA_INVALID) when a text column is missing or holds no strings;
     *     (CONFIG_INVALID) when the input already has a column the job would add
     */
    public Dataset<Row> enrich(Dataset<Row> input) {
        StructType in = input.schema();
        RowText text = template == null ? RowText.columns(textColumns) : RowText.template(template);
        List<String> read = text.columnNames();
        int[] indices = new int[read.size()];
        for (int c = 0; c < indices.length; c++) {
            indices[c] = Columns.string(in, read.get(c), "the texts to label");
        }
        StructType out = in;
        for (Field f : schema.fields()) {
            Columns.absent(in, f.name(), schema.kind() == OutputSchema.Kind.SINGLE_LABEL ? "name the new one otherwise"
                    : "rename it or the field");
            out = out.add(f.name(), type(f), true);
        }
        Columns.absent(in, Enricher.ERROR_COLUMN, "rename it first");
        out = out.add(Enricher.ERROR_COLUMN, DataTypes.StringType, false);
        int n = executors > 0 ? executors : ClusterShare.executors(input.sparkSession());
        SparkAnnotator share = annotator.withLimits(annotator.limits().share(n));
        EnrichPartitions task = new EnrichPartitions(share, SchemaForm.of(schema, examples), instructions, read.toArray(String[]::new),
                template, indices, batchSize, tokenBudget, maxAttempts);
        return input.mapPartitions(task, Encoders.row(out));
    }

    private static DataType type(Field f) {
        return switch (f.type()) {
            case BOOLEAN -> DataTypes.BooleanType;
            case NUMBER -> DataTypes.DoubleType;
            case INTEGER -> DataTypes.LongType;
            case STRING, ENUM -> DataTypes.StringType;
        };
    }

    /** Describes a job; the defaults are the local {@code Enricher}'s. */
    public static final class Builder {
        private final SparkAnnotator annotator;
        private final OutputSchema schema;
        private String instructions = "";
        private List<Example> examples = List.of();
        private String[] textColumns;
        private String template;
        private int batchSize = 10;
        private int tokenBudget;
        private int maxAttempts = 3;
        private int executors;

        private Builder(SparkAnnotator annotator, OutputSchema schema) {
            this.annotator = Objects.requireNonNull(annotator, "annotator");
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** What the annotator should do, in words. */
        public Builder instructions(String instructions) {
            this.instructions = Objects.requireNonNull(instructions, "instructions").strip();
            return this;
        }

        /** Labelled examples for label schemas (checked as the local {@code Enricher} checks them). */
        public Builder examples(List<Example> examples) {
            dev.notebench.enrich.Enricher.builder(NO_ANNOTATOR, schema).examples(examples);
            this.examples = List.copyOf(examples);
            return this;
        }

        /** The text is these columns' (one: its value; several: {@code name: value} lines), as {@link RowText#columns}. */
        public Builder textColumns(String... columns) {
            RowText.columns(columns);
            this.textColumns = columns.clone();
            this.template = null;
            return this;
        }

        /** The text is this template with {@code {column}} placeholders, as {@link RowText#template}. */
        public Builder template(String template) {
            RowText.template(template);
            this.template = template;
            this.textColumns = null;
            return this;
        }

        /** The most rows per call (default 10). */
        public Builder batchSize(int batchSize) {
            Enricher.builder(NO_ANNOTATOR, schema).batchSize(batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** The most estimated prompt tokens of rows per call (default 0: no budget). */
        public Builder tokenBudget(int tokenBudget) {
            Enricher.builder(NO_ANNOTATOR, schema).tokenBudget(tokenBudget);
            this.tokenBudget = tokenBudget;
            return this;
        }

        /** How many times a row is asked at most before it is marked failed (default 3). */
        public Builder maxAttempts(int maxAttempts) {
            Enricher.builder(NO_ANNOTATOR, schema).maxAttempts(maxAttempts);
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * How many executors share the cluster-wide limits (default 0: counted when the job is
         * planned, see {@link ClusterShare}).
         */
        public Builder executors(int executors) {
            this.executors = Ranges.within("executors", executors, 0, 100_000);
            return this;
        }

        /**
         * The job.
         *
         * @throws NotebenchException (CONFIG_INVALID) when no text columns or template were given
         */
        public SparkEnricher build() {
            if (textColumns == null && template == null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "say which columns are the rows' text: textColumns(...) or template(...)");
            }
            return new SparkEnricher(this);
        }

        /** Only for the local builder's checks of a value; never asked anything. */
        private static final dev.notebench.enrich.Annotator NO_ANNOTATOR = new dev.notebench.enrich.Annotator() {
            @Override
            public String id() {
                return "none";
            }

            @Override
            public dev.notebench.enrich.Answer annotate(dev.notebench.enrich.AnnotationRequest request) {
                throw new IllegalStateException("never asked");
            }
        };
    }
}
