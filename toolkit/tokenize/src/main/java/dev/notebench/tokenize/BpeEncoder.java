package dev.notebench.tokenize;

import com.google.gson.JsonObject;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.internal.ByteLevel;
import dev.notebench.tokenize.internal.ByteLevelBpe;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A byte-level BPE {@code tokenizer.json} encoded in Java, with ids identical to Hugging Face
 * tokenizers': Notebench's own files, GPT-2's and the LLaMA-3 / Qwen2 kind (a {@code Split}
 * pre-tokenizer with their regex, then ByteLevel), with added and special tokens, Unicode and
 * lowercase normalizers and the post-processor's BOS/EOS. A file with a component it does not
 * compute exactly is left to {@link HfTokenizer}: {@link #load(Path, boolean)} chooses and warns why.
 *
 * <p>Tables are immutable and each thread keeps its own bounded cache of pieces, so one encoder
 * serves concurrent callers; {@link #encodeBatch} spreads a batch over the threads of the
 * fork-join pool it runs in (the common pool, or the caller's: {@code pool.submit(() ->
 * encoder.encodeBatch(texts)).get()} uses that pool's threads).
 *
 * <pre>{@code
 * try (Tokenizer t = BpeEncoder.load(Path.of("runs/tok-32k/tokenizer.json"), false)) {
 *     int[] ids = t.encode("Hello, world");
 *     int[][] many = t.encodeBatch(lines);
 * }
 * }</pre>
 */
public final class BpeEncoder implements Tokenizer {
    private static final Logger LOG = LoggerFactory.getLogger(BpeEncoder.class);
    /** Batches smaller than this are encoded on the calling thread. */
    private static final int PARALLEL_MIN = 64;

    private final ByteLevelBpe pipeline;
    private final String[] tokens;
    private final byte[][] tokenBytes;
    private final BitSet special;
    private final OptionalInt unk;
    private final boolean addSpecialTokens;

    BpeEncoder(ByteLevelBpe pipeline, String[] tokens, BitSet special, Integer unk, boolean addSpecialTokens) {
        this.pipeline = pipeline;
        this.tokens = tokens;
        this.special = special;
        this.unk = unk == null ? OptionalInt.empty() : OptionalInt.of(unk);
        this.addSpecialTokens = addSpecialTokens;
        this.tokenBytes = new byte[tokens.length][];
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null) {
                byte[] b = ByteLevel.decode(tokens[id]); // HF's ByteLevel decoder: mapped when every char maps
                tokenBytes[id] = b != null ? b : tokens[id].getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** What {@link #probe} found: the encoder, or why a file is left to Hugging Face's. */
    public static final class Probe {
        private final BpeEncoder encoder;
        private final String unsupported;

        private Probe(BpeEncoder encoder, String unsupported) {
            this.encoder = encoder;
            this.unsupported = unsupported;
        }

        /** Returns the encoder, when every component of the file is supported. */
        public Optional<BpeEncoder> encoder() {
            return Optional.ofNullable(encoder);
        }

        /** Returns the component not supported (empty when {@link #encoder()} is present). */
        public String unsupported() {
            return unsupported == null ? "" : unsupported;
        }
    }

    /**
     * Reads a {@code tokenizer.json} into a Java encoder if all its components are supported.
     *
     * @param file the file
     * @param addSpecialTokens whether encoding adds the post-processor's tokens (a pretrained
     *     model's BOS), as transformers does by default
     * @return the encoder, or the reason there is none
     * @throws NotebenchException when the file is missing or not a tokenizer.json
     */
    public static Probe probe(Path file, boolean addSpecialTokens) {
        JsonObject json = HfTokenizer.readJson(file);
        try {
            return new Probe(BpeEncoderReader.read(json, addSpecialTokens), null);
        } catch (BpeEncoderReader.Unsupported e) {
            return new Probe(null, e.getMessage());
        } catch (RuntimeException e) { // a field of an unexpected JSON type: HF's loader gives the precise error
            return new Probe(null, "a component could not be read (" + e.getMessage() + ")");
        }
    }

    /**
     * Loads a {@code tokenizer.json}: the Java encoder when it supports every component, else
     * DJL's {@link HfTokenizer} (which needs HF tokenizers' natives), with a warning that says why.
     *
     * @param file the file
     * @param addSpecialTokens whether encoding adds the post-processor's tokens
     * @return the tokenizer; close it
     */
    public static Tokenizer load(Path file, boolean addSpecialTokens) {
        Probe p = probe(file, addSpecialTokens);
        if (p.encoder != null) {
            return p.encoder;
        }
        LOG.warn("{} is encoded by Hugging Face tokenizers (DJL), not by Notebench's faster encoder: {}", file, p.unsupported);
        return HfTokenizer.load(file, addSpecialTokens);
    }

    /** Whether encoding adds the special tokens of the file's post-processor. */
    public boolean addsSpecialTokens() {
        return addSpecialTokens;
    }

    @Override
    public String kind() {
        return "bpe";
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public int[] encode(String text) {
        return pipeline.encode(Objects.requireNonNull(text, "text"));
    }

    /**
     * Encodes many texts, in parallel on the fork-join pool this is called from.
     *
     * @param texts the texts
     * @return their ids, in order
     */
    @Override
    public int[][] encodeBatch(List<String> texts) {
        int[][] out = new int[texts.size()][];
        IntStream range = IntStream.range(0, texts.size());
        (texts.size() < PARALLEL_MIN ? range : range.parallel()).forEach(i -> out[i] = encode(texts.get(i)));
        return out;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id >= 0 && id < tokenBytes.length && tokenBytes[id] != null) {
                out.writeBytes(tokenBytes[id]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String tokenText(int id) {
        String t = tokens[id];
        if (t == null) {
            return t;
        }
        byte[] bytes = ByteLevel.decode(t);
        return bytes == null ? t : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean isSpecial(int id) {
        return special.get(id);
    }

    @Override
    public OptionalInt unkId() {
        return unk;
    }
}
