package dev.notebench.spark.embed;

import dev.notebench.embed.Embedder;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.spark.internal.Columns;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Embeds a text column of a DataFrame into an {@code array<float>} column with a local model
 * ({@link LocalEmbedder}: all-MiniLM-L6-v2 or bge-small-en-v1.5 on ONNX Runtime), as the local
 * {@link Embedder#embedAll} embeds a list of texts.
 *
 * <p>One model per executor JVM, loaded lazily by the first task that needs it and shared by the
 * later ones (the pattern of DJL's Spark extension). Inside a partition the texts are sorted by
 * length and batched as locally, so a partition holding the same texts in the same order as a
 * local call gets the same vectors bit for bit; other batches pad differently and differ in the
 * last bits (measured within 1e-6). With {@link Builder#cache} the vectors go through a shared
 * SQLite embedding cache ({@code CachingEmbedder}), which must be a path every executor of a
 * machine opens.
 *
 * <p>Bad input (a missing or non-string column, an output column the input already has) is one
 * error on the driver before any task runs. A null text gets a null vector. The result is lazy.
 *
 * <pre>{@code
 * Dataset<Row> vectors = SparkEmbedder.builder(LocalModel.ALL_MINILM_L6_V2, Path.of("/opt/notebench/models"))
 *     .column("subject").output("embedding").build().embed(subjects);
 * }</pre>
 */
public final class SparkEmbedder {
    private final EmbedPartitions.ModelKey key;
    private final String column;
    private final String output;

    private SparkEmbedder(Builder b) {
        this.key = new EmbedPartitions.ModelKey(b.model, b.modelsDir, b.cache);
        this.column = b.column;
        this.output = b.output;
    }

    /**
     * Starts describing an embedding job.
     *
     * @param model the local model
     * @param modelsDir where each executor unpacks the model's files (a path valid and writable on every executor)
     */
    public static Builder builder(LocalModel model, Path modelsDir) {
        return new Builder(model, modelsDir);
    }

    /**
     * The input with the vectors' column appended. Lazy.
     *
     * @param input the rows
     * @throws dev.notebench.NotebenchException (DATA_INVALID) when the text column is missing or not
     *     a string column; (CONFIG_INVALID) when the output column exists
     */
    public Dataset<Row> embed(Dataset<Row> input) {
        StructType in = input.schema();
        int index = Columns.string(in, column, "the texts to embed");
        Columns.absent(in, output, "name the vectors' column otherwise");
        StructType out = in.add(output, DataTypes.createArrayType(DataTypes.FloatType, false), true);
        return input.mapPartitions(new EmbedPartitions(key, index), Encoders.row(out));
    }

    /** Describes an embedding job. */
    public static final class Builder {
        private final LocalModel model;
        private final String modelsDir;
        private String column = "text";
        private String output = "embedding";
        private String cache;

        private Builder(LocalModel model, Path modelsDir) {
            this.model = Objects.requireNonNull(model, "model");
            this.modelsDir = modelsDir.toString();
        }

        /** The text column (default {@code text}). */
        public Builder column(String column) {
            this.column = Objects.requireNonNull(column, "column");
            return this;
        }

        /** The new column of vectors (default {@code embedding}). */
        public Builder output(String output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** Looks vectors up in and stores them to this SQLite embedding cache (default none). */
        public Builder cache(Path file) {
            this.cache = file.toString();
            return this;
        }

        /** The job. */
        public SparkEmbedder build() {
            return new SparkEmbedder(this);
        }
    }
}
