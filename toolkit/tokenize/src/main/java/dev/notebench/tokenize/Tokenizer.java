package dev.notebench.tokenize;

import java.util.OptionalInt;

/**
 * Text to token ids and back. Implementations that hold native memory (a loaded
 * {@code tokenizer.json} or SentencePiece model) must be closed.
 *
 * <pre>{@code
 * try (Tokenizer t = TokenizerArtifact.load(Path.of("runs/tok-8k"))) {
 *     int[] ids = t.encode("Hello, world");
 *     String back = t.decode(ids);
 * }
 * }</pre>
 */
public interface Tokenizer extends AutoCloseable {

    /** Returns what kind of tokenizer this is: {@code bpe}, {@code char} or {@code sentencepiece}. */
    String kind();

    /** Returns the number of ids. */
    int vocabSize();

    /**
     * Encodes text (no special tokens added, no truncation).
     *
     * @param text any text
     * @return the ids
     */
    int[] encode(String text);

    /**
     * Encodes many texts, as {@link #encode} each; implementations may use several threads or
     * one native call.
     *
     * @param texts the texts
     * @return their ids, in order
     */
    default int[][] encodeBatch(java.util.List<String> texts) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(texts.get(i));
        }
        return out;
    }

    /**
     * Decodes ids back to text.
     *
     * @param ids ids from {@link #encode}
     * @return the text
     */
    String decode(int[] ids);

    /**
     * Returns the text one token stands for (for byte-level tokens, the decoded bytes; a token that
     * is part of a multi-byte character shows as U+FFFD).
     *
     * @param id a token id
     */
    String tokenText(int id);

    /**
     * Returns whether an id is a special token (such as {@code <|endoftext|>}), which stands for
     * no text.
     *
     * @param id a token id
     */
    default boolean isSpecial(int id) {
        return false;
    }

    /** Returns the id unknown text maps to, if this tokenizer has one. */
    OptionalInt unkId();

    /** Releases native resources; the default has none. */
    @Override
    default void close() {
    }
}
