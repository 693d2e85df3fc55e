package dev.notebench.tokenize.internal;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pre-tokenizer's split: valid UTF-8 text cut into the pieces a regex matches (Hugging Face's
 * {@code Split} with behaviour {@code Isolated}, or ByteLevel's GPT-2 regex), which together cover
 * the text exactly. The patterns of GPT-2, LLaMA-3 and Qwen2 have hand-written scanners; any other
 * pattern runs on {@code java.util.regex} with Unicode character classes, its {@code \p{L}} and
 * {@code \p{N}} widened to the letters and numbers onig knows and Java 17 does not.
 */
@FunctionalInterface
public interface PieceSplitter {
    /** GPT-2's pattern (ByteLevel's {@code use_regex}). */
    String GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    /** LLaMA-3's pattern (its {@code Split} pre-tokenizer). */
    String LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Qwen2's pattern: LLaMA-3's with single digits. */
    String QWEN2_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** GPT-2's split ({@link Gpt2Splitter}). */
    PieceSplitter GPT2 = Gpt2Splitter::split;

    /** No split: the text is one piece (ByteLevel without its regex). */
    PieceSplitter WHOLE = (bytes, from, to, sink) -> {
        if (from < to) {
            sink.word(bytes, from, to);
        }
    };

    /**
     * Splits {@code bytes[from, to)}.
     *
     * @param bytes valid UTF-8
     * @param from first byte
     * @param to one past the last byte
     * @param sink receives the pieces in order
     */
    void split(byte[] bytes, int from, int to, Gpt2Splitter.Sink sink);

    /**
     * The splitter of a regex: a scanner for a known pattern, else {@code java.util.regex}.
     *
     * @param regex the pattern as a {@code tokenizer.json} writes it
     * @return the splitter
     * @throws PatternSyntaxException when Java cannot compile an unknown pattern
     */
    static PieceSplitter of(String regex) {
        return switch (regex) {
            case GPT2_PATTERN -> GPT2;
            case LLAMA3_PATTERN -> new Llama3Splitter(3);
            case QWEN2_PATTERN -> new Llama3Splitter(1);
            default -> new RegexSplitter(Pattern.compile(RegexSplitter.withOnigLettersAndNumbers(regex),
                    Pattern.UNICODE_CHARACTER_CLASS));
        };
    }
}
