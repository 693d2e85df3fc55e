package dev.notebench.train.data;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Tokenizer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A corpus encoded with a tokenizer: {@code tokens.bin} (little-endian uint16 when the vocabulary
 * fits, else int32), memory-mapped, and {@code tokens.json} (the tokenizer and corpus
 * fingerprints, sizes and the split). The last {@code valFraction} of the tokens is the
 * validation split.
 *
 * <pre>{@code
 * try (TokenFile data = TokenFile.build(corpus, tokenizer, "tok-8k@sha", 0.1, dir)) {
 *     long n = data.trainTokens();
 * }
 * }</pre>
 */
public final class TokenFile implements TokenData {
    /** The token file's name in its directory. */
    public static final String BIN = "tokens.bin";
    /** The token file's manifest. */
    public static final String JSON = "tokens.json";
    private static final long SEGMENT = 1L << 30;

    private final Path dir;
    private final int bytesPerToken;
    private final long tokens;
    private final long trainTokens;
    private final int vocabSize;
    private final FileChannel channel;
    private final MappedByteBuffer[] segments;
    private final JsonObject manifest;

    private TokenFile(Path dir, JsonObject manifest) throws IOException {
        this.dir = dir;
        this.manifest = manifest;
        this.bytesPerToken = manifest.get("dtype").getAsString().equals("uint16") ? 2 : 4;
        this.tokens = manifest.get("tokens").getAsLong();
        this.trainTokens = manifest.get("train_tokens").getAsLong();
        this.vocabSize = manifest.get("vocab_size").getAsInt();
        this.channel = FileChannel.open(dir.resolve(BIN), StandardOpenOption.READ);
        long size = channel.size();
        if (size != tokens * bytesPerToken) {
            channel.close();
            throw new NotebenchException(ErrorCode.DATA_INVALID, dir.resolve(BIN) + " has " + size + " bytes, its manifest says "
                    + tokens * bytesPerToken + "; delete " + dir + " so it is built again");
        }
        List<MappedByteBuffer> segs = new ArrayList<>();
        for (long off = 0; off < size; off += SEGMENT) {
            MappedByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, off, Math.min(SEGMENT + 8, size - off));
            b.order(ByteOrder.LITTLE_ENDIAN);
            segs.add(b);
        }
        this.segments = segs.toArray(new MappedByteBuffer[0]);
    }

    /**
     * Opens a token file written by {@link #build}.
     *
     * @param dir its directory
     */
    public static TokenFile open(Path dir) {
        try {
            JsonObject m = JsonParser.parseString(Files.readString(dir.resolve(JSON), StandardCharsets.UTF_8)).getAsJsonObject();
            return new TokenFile(dir, m);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot open the token file in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Encodes a corpus into {@code dir}, or opens what an earlier call with the same inputs wrote.
     *
     * @param corpus the corpus (every line; its own holdout is ignored)
     * @param tokenizer the tokenizer
     * @param tokenizerId what identifies the tokenizer (its file's SHA-256)
     * @param valFraction the share of tokens, at the end, kept for validation
     * @param dir where to write
     * @return the token file; close it
     */
    public static TokenFile build(Corpus corpus, Tokenizer tokenizer, String tokenizerId, double valFraction, Path dir) {
        Path json = dir.resolve(JSON);
        if (Files.isRegularFile(json) && Files.isRegularFile(dir.resolve(BIN))) {
            return open(dir);
        }
        try {
            Files.createDirectories(dir);
            int bytes = tokenizer.vocabSize() <= 65536 ? 2 : 4;
            // runs of the same corpus started at once (other processes, other threads) each write a file of
            // their own and move it into place: the files are the same, the last move wins, no one reads half a file
            String mine = "." + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId() + ".tmp";
            Path tmp = dir.resolve(BIN + mine);
            long count = 0;
            List<String> lines = corpus.readLines();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                int chunk = 4096;
                for (int from = 0; from < lines.size(); from += chunk) {
                    List<String> part = lines.subList(from, Math.min(lines.size(), from + chunk));
                    int[][] ids = tokenizer.encodeBatch(part);
                    for (int[] line : ids) {
                        for (int id : line) {
                            if (buf.remaining() < 4) {
                                out.write(buf.array(), 0, buf.position());
                                buf.clear();
                            }
                            if (bytes == 2) {
                                buf.putShort((short) id);
                            } else {
                                buf.putInt(id);
                            }
                            count++;
                        }
                    }
                }
                out.write(buf.array(), 0, buf.position());
            }
            long val = (long) Math.floor(count * valFraction);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "notebench-tokens/1");
            m.put("tokenizer", tokenizerId);
            m.put("vocab_size", tokenizer.vocabSize());
            m.put("corpus", corpus.spec());
            m.put("dtype", bytes == 2 ? "uint16" : "int32");
            m.put("tokens", count);
            m.put("train_tokens", count - val);
            m.put("val_tokens", val);
            m.put("val_fraction", valFraction);
            Files.move(tmp, dir.resolve(BIN), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path jsonTmp = dir.resolve(JSON + mine);
            Files.writeString(jsonTmp, new GsonBuilder().setPrettyPrinting().create().toJson(m), StandardCharsets.UTF_8);
            Files.move(jsonTmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE); // last: the file is whole
            return open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token file in " + dir, e);
        }
    }

    /** Returns the directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public long tokens() {
        return tokens;
    }

    @Override
    public long trainTokens() {
        return trainTokens;
    }

    @Override
    public long valTokens() {
        return tokens - trainTokens;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public JsonObject manifest() {
        return manifest.deepCopy();
    }

    @Override
    public int get(long i) {
        long byteOff = i * bytesPerToken;
        MappedByteBuffer seg = segments[(int) (byteOff / SEGMENT)];
        int at = (int) (byteOff % SEGMENT);
        return bytesPerToken == 2 ? Short.toUnsignedInt(seg.getShort(at)) : seg.getInt(at);
    }

    @Override
    public void copy(long from, int n, long[] out, int outOffset) {
        for (int k = 0; k < n; k++) {
            out[outOffset + k] = get(from + k);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
