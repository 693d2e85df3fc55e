package dev.notebench.spark.tokenize;

import dev.notebench.spark.internal.Columns;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.BpeModel;
import dev.notebench.tokenize.BpeTrainer;
import dev.notebench.tokenize.Normalization;
import dev.notebench.tokenize.internal.Gpt2Splitter;
import dev.notebench.tokenize.internal.Utf8;
import dev.notebench.tokenize.internal.WordCounts;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a byte-level BPE tokenizer on a corpus that lives on a cluster: the executors count the
 * GPT-2 words of their lines exactly as {@link BpeTrainer#train(dev.notebench.tokenize.Corpus)}
 * counts them, Spark sums the counts, and the driver learns the merges with
 * {@link BpeTrainer#train(WordCounts, Normalization, boolean)}: the same {@code tokenizer.json}, byte
 * for byte, as the single-machine trainer on the same text. The driver holds the distinct words
 * (as the local trainer does), never the text.
 *
 * <pre>{@code
 * BpeModel model = SparkBpeTrainer.builder(BpeTrainer.builder(8000).build()).build()
 *         .train(spark.read().text("hdfs:///corpus/*.txt"), "value");
 * model.save(Path.of("tokenizer.json"));
 * }</pre>
 *
 * <p>There is no holdout here: hold lines out before (a DataFrame filter).
 */
public final class SparkBpeTrainer {
    private static final StructType COUNTS = new StructType().add("word", DataTypes.BinaryType, false)
            .add("count", DataTypes.LongType, false);

    private final BpeTrainer trainer;
    private final Lines lines;

    private SparkBpeTrainer(Builder b) {
        this.trainer = b.trainer;
        this.lines = new Lines(b.normalization, b.lowercase);
    }

    /**
     * Starts describing a trainer.
     *
     * @param trainer the local trainer whose settings (vocabulary, special tokens, minimum frequency,
     *                alphabet) and merging code are used on the driver
     */
    public static Builder builder(BpeTrainer trainer) {
        return new Builder(trainer);
    }

    /**
     * Trains on the lines of a DataFrame, one line a row, each as a corpus file's line with its
     * {@code \n}: the same model as the local trainer on a file of these lines in any order, each
     * ending with a newline. Rows whose line is null are skipped.
     *
     * @param data the DataFrame, e.g. {@code spark.read().text(...)} (column {@code value})
     * @param column its string column of lines
     * @throws NotebenchException DATA_INVALID, before any task runs, when the column is missing or
     *                            not strings; DATA_INVALID when there is no text
     */
    public BpeModel train(Dataset<Row> data, String column) {
        Columns.string(data.schema(), column, "the corpus's lines");
        Lines l = lines;
        JavaRDD<Row> counts = data.select(col(column)).javaRDD().mapPartitions(rows -> {
            WordCounts words = new WordCounts();
            while (rows.hasNext()) {
                Row r = rows.next();
                if (!r.isNullAt(0)) {
                    l.count(r.getString(0) + "\n", words);
                }
            }
            return rows(words);
        });
        return merge(data.sparkSession(), counts);
    }

    /**
     * Trains on UTF-8 text files the executors can read (a path, a directory or a glob Spark
     * accepts: HDFS, S3, the local file system of every node), each read whole by one task and cut
     * into lines as the local trainer cuts them (a last line without {@code \n} stays so): the same
     * model as the local trainer on the same files.
     *
     * @param spark the session
     * @param paths the files
     * @throws NotebenchException DATA_INVALID when a file is not UTF-8 (naming the file and byte) or
     *                            there is no text
     */
    public BpeModel trainFiles(SparkSession spark, String... paths) {
        Lines l = lines;
        JavaRDD<Row> counts = spark.read().format("binaryFile").load(paths).select("path", "content").javaRDD()
                .mapPartitions(files -> {
                    WordCounts words = new WordCounts();
                    while (files.hasNext()) {
                        Row f = files.next();
                        l.countFile(f.getString(0), (byte[]) f.get(1), words);
                    }
                    return rows(words);
                });
        return merge(spark, counts);
    }

    private BpeModel merge(SparkSession spark, JavaRDD<Row> partitionCounts) {
        Dataset<Row> summed = spark.createDataFrame(partitionCounts, COUNTS).groupBy("word").agg(sum("count").as("count"));
        WordCounts words = new WordCounts();
        Iterator<Row> it = summed.toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            byte[] w = (byte[]) r.get(0);
            words.add(w, 0, w.length, r.getLong(1));
        }
        if (words.size() == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the corpus has no text to train a tokenizer on; give it some lines");
        }
        return trainer.train(words, lines.normalization(), lines.lowercase());
    }

    private static Iterator<Row> rows(WordCounts words) {
        List<Row> out = new ArrayList<>(words.size());
        for (int k = 0; k < words.size(); k++) {
            out.add(RowFactory.create(words.word(k), words.count(k)));
        }
        return out.iterator();
    }

    /** How the executors turn a line into counted words: the local trainer's reading of a line, shipped to them. */
    private record Lines(Normalization normalization, boolean lowercase) implements Serializable {
        boolean raw() {
            return normalization == Normalization.NONE && !lowercase;
        }

        /** Counts the words of one line (with its {@code \n}, if it has one). */
        void count(String line, WordCounts words) {
            byte[] b = (raw() ? line : normalization.apply(line, lowercase)).getBytes(StandardCharsets.UTF_8);
            Gpt2Splitter.split(b, 0, b.length, words::add);
        }

        /** Counts the words of a UTF-8 file's lines. */
        void countFile(String path, byte[] bytes, WordCounts words) {
            int bad = Utf8.firstInvalid(bytes, 0, bytes.length);
            if (bad >= 0) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "corpus file " + path + " is not valid UTF-8 at byte " + bad
                        + "; re-encode it as UTF-8");
            }
            int start = 0;
            while (start < bytes.length) {
                int end = start;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                if (end < bytes.length) {
                    end++;
                }
                if (raw()) {
                    Gpt2Splitter.split(bytes, start, end, words::add);
                } else {
                    count(decode(bytes, start, end), words);
                }
                start = end;
            }
        }

        private static String decode(byte[] bytes, int from, int to) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalStateException("checked as UTF-8 before", e);
            }
        }
    }

    /** Describes a {@link SparkBpeTrainer}. */
    public static final class Builder {
        private final BpeTrainer trainer;
        private Normalization normalization = Normalization.NONE;
        private boolean lowercase;

        private Builder(BpeTrainer trainer) {
            this.trainer = Objects.requireNonNull(trainer, "trainer");
        }

        /** How lines are normalized before counting, as a local corpus's {@code --normalize} (default none). */
        public Builder normalization(Normalization normalization) {
            this.normalization = Objects.requireNonNull(normalization, "normalization");
            return this;
        }

        /** Whether lines are lowercased before counting (default no). */
        public Builder lowercase(boolean lowercase) {
            this.lowercase = lowercase;
            return this;
        }

        /** The trainer. */
        public SparkBpeTrainer build() {
            return new SparkBpeTrainer(this);
        }
    }
}
