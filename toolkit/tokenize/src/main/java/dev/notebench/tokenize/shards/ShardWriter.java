package dev.notebench.tokenize.shards;

import dev.notebench.files.AtomicFiles;
import dev.notebench.tokenize.HfTokenizer;
import dev.notebench.tokenize.Tokenizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes one shard file whole or not at all: the ids go to a temporary file of their own in the
 * same directory, which is moved over the shard's name only when complete ({@link AtomicFiles}).
 * Two writers of the same shard (a retried Spark task, a rerun after a kill) each write their own
 * temporary file; the last move wins and no reader sees half a shard.
 *
 * <pre>{@code
 * long tokens = ShardWriter.write(dir.resolve("shard-00000.bin"), TokenDtype.UINT16, w -> {
 *     for (String line : lines) {
 *         w.add(tokenizer.encode(line));
 *     }
 * });
 * }</pre>
 */
public final class ShardWriter {
    /** What adds the shard's ids. */
    @FunctionalInterface
    public interface Body {
        /**
         * Adds the ids, in order.
         *
         * @param writer where to add them
         * @throws IOException when writing fails
         */
        void write(ShardWriter writer) throws IOException;
    }

    private final OutputStream out;
    private final TokenDtype dtype;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long tokens;

    private ShardWriter(OutputStream out, TokenDtype dtype) {
        this.out = out;
        this.dtype = dtype;
    }

    /**
     * Writes a shard file.
     *
     * @param file the shard's path
     * @param dtype how ids are stored
     * @param body what adds the ids
     * @return how many tokens were written
     * @throws dev.notebench.NotebenchException naming the cause when the file cannot be written
     */
    public static long write(Path file, TokenDtype dtype, Body body) {
        Objects.requireNonNull(dtype, "dtype");
        long[] written = new long[1];
        AtomicFiles.write(file, out -> {
            ShardWriter w = new ShardWriter(out, dtype);
            body.write(w);
            w.flush();
            written[0] = w.tokens;
        });
        return written[0];
    }

    /**
     * Adds the ids of lines, in order, encoded on the calling thread: shards are what callers
     * run in parallel. {@link HfTokenizer} encodes the batch in one native call; a Java encoder
     * line by line (its own {@link Tokenizer#encodeBatch} would spread one batch over the
     * fork-join pool besides).
     *
     * @param tokenizer the tokenizer
     * @param lines the lines
     * @throws IOException when writing fails
     */
    public void addLines(Tokenizer tokenizer, List<String> lines) throws IOException {
        if (tokenizer instanceof HfTokenizer hf) {
            for (int[] ids : hf.encodeBatch(lines)) {
                add(ids);
            }
        } else {
            for (String line : lines) {
                add(tokenizer.encode(line));
            }
        }
    }

    /**
     * Adds ids.
     *
     * @param ids token ids, each below the vocabulary size
     * @throws IOException when writing fails
     */
    public void add(int[] ids) throws IOException {
        for (int id : ids) {
            if (buf.remaining() < 4) {
                flush();
            }
            if (dtype == TokenDtype.UINT16) {
                buf.putShort((short) id);
            } else {
                buf.putInt(id);
            }
        }
        tokens += ids.length;
    }

    /** Returns how many tokens were added so far. */
    public long tokens() {
        return tokens;
    }

    private void flush() throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
