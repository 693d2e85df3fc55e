package dev.notebench.tokenize.shards;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A directory of token shards read as one sequence: every shard memory-mapped, token {@code i}
 * of the concatenation (in the manifest's order) found by its global index. Closing it unmaps
 * nothing early but releases the files.
 *
 * <pre>{@code
 * try (TokenShards data = TokenShards.open(Path.of("build/sotu-ids"))) {
 *     long[] window = new long[1024];
 *     data.copy(0, window.length, window, 0);
 * }
 * }</pre>
 */
public final class TokenShards implements AutoCloseable {
    private static final long SEGMENT = 1L << 30;

    private final Path dir;
    private final ShardManifest manifest;
    private final int bytesPerToken;
    private final long[] starts; // global index of each shard's first token, and the total at the end
    private final MappedByteBuffer[][] segments;
    private final List<FileChannel> channels = new ArrayList<>();

    private TokenShards(Path dir, ShardManifest manifest) throws IOException {
        this.dir = dir;
        this.manifest = manifest;
        this.bytesPerToken = manifest.dtype().bytes();
        List<ShardManifest.Shard> shards = manifest.shards();
        this.starts = new long[shards.size() + 1];
        this.segments = new MappedByteBuffer[shards.size()][];
        try {
            for (int s = 0; s < shards.size(); s++) {
                ShardManifest.Shard shard = shards.get(s);
                starts[s + 1] = starts[s] + shard.tokens();
                Path file = dir.resolve(shard.file());
                FileChannel ch;
                try {
                    ch = FileChannel.open(file, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is missing though " + ShardManifest.FILE
                            + " lists it; delete " + dir + " and write the shards again");
                }
                channels.add(ch);
                long size = ch.size();
                if (size != shard.tokens() * bytesPerToken) {
                    throw new NotebenchException(ErrorCode.DATA_INVALID, file + " has " + size + " bytes, " + ShardManifest.FILE
                            + " says " + shard.tokens() * bytesPerToken + "; delete " + dir + " and write the shards again");
                }
                List<MappedByteBuffer> segs = new ArrayList<>();
                for (long off = 0; off < size; off += SEGMENT) {
                    MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, off, Math.min(SEGMENT, size - off));
                    b.order(ByteOrder.LITTLE_ENDIAN);
                    segs.add(b);
                }
                segments[s] = segs.toArray(new MappedByteBuffer[0]);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens a directory of shards written by {@link CorpusEncoder} or a Spark job.
     *
     * @param dir the directory holding {@value ShardManifest#FILE}
     * @return the shards; close them
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when there is no manifest,
     *     {@link ErrorCode#DATA_INVALID} when a shard is missing or not the size its manifest says
     */
    public static TokenShards open(Path dir) {
        ShardManifest m = ShardManifest.read(dir);
        try {
            return new TokenShards(dir, m);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot read the token shards in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Returns the directory. */
    public Path directory() {
        return dir;
    }

    /** Returns the manifest. */
    public ShardManifest manifest() {
        return manifest;
    }

    /** Returns the number of tokens of all shards together. */
    public long tokens() {
        return starts[starts.length - 1];
    }

    /** Returns the vocabulary size of the tokenizer that wrote them. */
    public int vocabSize() {
        return manifest.vocabSize();
    }

    /** Returns the SHA-256 of the tokenizer's file that wrote them. */
    public String tokenizerSha256() {
        return manifest.tokenizer();
    }

    /**
     * Returns token {@code i} of the concatenation.
     *
     * @param i 0 ≤ i &lt; {@link #tokens()}
     */
    public int get(long i) {
        if (i < 0 || i >= tokens()) {
            throw new IndexOutOfBoundsException("token " + i + " of " + tokens());
        }
        int s = shardOf(i);
        return read(s, i - starts[s]);
    }

    /**
     * Copies tokens {@code [from, from + n)} of the concatenation into {@code out} as longs, at
     * {@code outOffset}, across shard boundaries.
     *
     * @param from the first token
     * @param n how many
     * @param out the destination
     * @param outOffset where in it
     */
    public void copy(long from, int n, long[] out, int outOffset) {
        if (n == 0) {
            return;
        }
        if (from < 0 || n < 0 || from + n > tokens()) {
            throw new IndexOutOfBoundsException("tokens [" + from + ", " + (from + n) + ") of " + tokens());
        }
        int s = shardOf(from);
        long at = from - starts[s];
        for (int k = 0; k < n; k++) {
            while (at >= starts[s + 1] - starts[s]) {
                s++;
                at = 0;
            }
            out[outOffset + k] = read(s, at++);
        }
    }

    private int shardOf(long i) {
        int k = Arrays.binarySearch(starts, i);
        int s = k >= 0 ? k : -k - 2;
        while (starts[s + 1] == starts[s]) {
            s++; // an empty shard starts where the next one does
        }
        return s;
    }

    private int read(int shard, long index) {
        long byteOff = index * bytesPerToken;
        MappedByteBuffer seg = segments[shard][(int) (byteOff / SEGMENT)];
        int at = (int) (byteOff % SEGMENT);
        return bytesPerToken == 2 ? Short.toUnsignedInt(seg.getShort(at)) : seg.getInt(at);
    }

    @Override
    public void close() {
        IOException first = null;
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        channels.clear();
        if (first != null) {
            throw new UncheckedIOException("cannot close the token shards in " + dir, first);
        }
    }
}
