package dev.notebench.spark.tokenize;

import static org.apache.spark.sql.functions.col;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.FileErrors;
import dev.notebench.internal.Sha256;
import dev.notebench.spark.internal.Columns;
import dev.notebench.spark.internal.PerExecutor;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.shards.ShardManifest;
import dev.notebench.tokenize.shards.ShardWriter;
import dev.notebench.tokenize.shards.TokenDtype;
import dev.notebench.tokenize.shards.TokenShards;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Encodes a corpus that lives on a cluster into token shards: each partition of a DataFrame's
 * lines is encoded, in order, by the tokenizer loaded once per executor JVM, into one shard file
 * ({@code shard-NNNNN.bin}, N the partition), which is written to a temporary file of the task
 * attempt's own and moved into place whole, so a retried or speculative task leaves one shard, not
 * two. The driver writes {@code shards.json} last, listing the shards in partition order: the
 * format of {@link dev.notebench.tokenize.shards}, read by {@link TokenShards}, by
 * {@code train --tokens DIR}, or by numpy. The ids are those of the local
 * {@link dev.notebench.tokenize.shards.CorpusEncoder} on a file of the same lines in the same
 * order, each ending with a newline.
 *
 * <p>The tokenizer and the output directory must be paths every executor can read and write (a
 * shared file system, or {@code local[*]}). Partitions without text get no shard.
 *
 * <pre>{@code
 * ShardManifest m = SparkCorpusEncoder.builder(Path.of("/shared/tok")).build()
 *         .encode(spark.read().text("hdfs:///corpus/*.txt"), "value", Path.of("/shared/ids"));
 * }</pre>
 */
public final class SparkCorpusEncoder {
    private static final int BATCH_LINES = 4096;

    private final Path tokenizer;

    /** What identifies the tokenizer in an executor JVM: its file and that file's SHA-256. */
    private record TokenizerKey(String file, String sha256) implements Serializable {
    }

    /** What one partition wrote. */
    private record Written(int partition, long tokens, long lines) implements Serializable {
    }

    private SparkCorpusEncoder(Builder b) {
        this.tokenizer = b.tokenizer;
    }

    /**
     * Starts describing an encoding job.
     *
     * @param tokenizer a tokenizer directory or file, at a path every executor can read
     */
    public static Builder builder(Path tokenizer) {
        return new Builder(tokenizer);
    }

    /**
     * Encodes the lines of a DataFrame, one line a row (each encoded with a {@code \n} after it, as
     * a corpus file's line), one shard per partition; rows whose line is null are skipped.
     *
     * @param data the DataFrame, e.g. {@code spark.read().text(...)} (column {@code value})
     * @param column its string column of lines
     * @param out the directory to write: new or empty, at a path every executor can write
     * @return the manifest written
     * @throws NotebenchException DATA_INVALID, before any task runs, when the column is missing or
     *     not strings; CONFIG_INVALID when {@code out} is not empty; DATA_INVALID when there is no text
     */
    public ShardManifest encode(Dataset<Row> data, String column, Path out) {
        Columns.string(data.schema(), column, "the corpus's lines");
        Path file = TokenizerArtifact.file(tokenizer);
        String sha;
        int vocab;
        try (Tokenizer t = TokenizerArtifact.load(file)) {
            sha = Sha256.hex(file);
            vocab = t.vocabSize();
        } catch (IOException e) {
            throw FileErrors.of("read the tokenizer " + file, file, e);
        }
        refuseIfOccupied(out);
        TokenDtype dtype = TokenDtype.forVocab(vocab);
        TokenizerKey key = new TokenizerKey(file.toAbsolutePath().toString(), sha);
        String dir = out.toAbsolutePath().toString();
        JavaRDD<Written> written = data.select(col(column)).javaRDD().mapPartitionsWithIndex(
                (partition, rows) -> List.of(encodePartition(key, dtype, dir, partition, rows)).iterator(), true);
        List<Written> parts = new ArrayList<>(written.collect());
        parts.sort(Comparator.comparingInt(Written::partition));
        List<ShardManifest.Shard> shards = new ArrayList<>();
        for (Written w : parts) {
            if (w.tokens() > 0) {
                shards.add(new ShardManifest.Shard(name(w.partition()), w.tokens(), "partition " + w.partition(), 1, w.lines()));
            }
        }
        if (shards.isEmpty()) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the column '" + column + "' holds no text to encode; give it"
                    + " some lines");
        }
        ShardManifest manifest = new ShardManifest(sha, vocab, dtype, 0, List.of(), shards);
        manifest.write(out);
        return manifest;
    }

    private static Written encodePartition(TokenizerKey key, TokenDtype dtype, String dir, int partition, Iterator<Row> rows) {
        Tokenizer t = PerExecutor.get(key, () -> TokenizerArtifact.load(Path.of(key.file())));
        Path file = Path.of(dir, name(partition));
        long[] lines = new long[1];
        long tokens = ShardWriter.write(file, dtype, w -> {
            List<String> batch = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                if (r.isNullAt(0)) {
                    continue;
                }
                batch.add(r.getString(0) + "\n");
                lines[0]++;
                if (batch.size() == BATCH_LINES) {
                    flush(t, batch, w);
                }
            }
            flush(t, batch, w);
        });
        if (tokens == 0) {
            try {
                Files.deleteIfExists(file); // nothing to read: numpy cannot even map an empty file
            } catch (IOException e) {
                throw FileErrors.of("delete the empty shard " + file, file, e);
            }
        }
        return new Written(partition, tokens, lines[0]);
    }

    private static void flush(Tokenizer t, List<String> batch, ShardWriter w) throws IOException {
        w.addLines(t, batch);
        batch.clear();
    }

    private static void refuseIfOccupied(Path out) {
        try {
            Files.createDirectories(out);
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, out + " is not empty; give a new or empty directory"
                            + " for the token shards");
                }
            }
        } catch (IOException e) {
            throw FileErrors.of("create the shard directory " + out, out, e);
        }
    }

    private static String name(int partition) {
        return String.format(Locale.ROOT, "shard-%05d.bin", partition);
    }

    /** Describes an encoding job. */
    public static final class Builder {
        private final Path tokenizer;

        private Builder(Path tokenizer) {
            this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        }

        /** Returns the encoder. */
        public SparkCorpusEncoder build() {
            return new SparkCorpusEncoder(this);
        }
    }
}
