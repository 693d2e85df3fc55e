package dev.notebench.tokenize.internal;

/**
 * Splits UTF-8 text into the words of GPT-2's pre-tokenizer, exactly as the regex
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+} does with
 * leftmost-first alternation (Hugging Face's ByteLevel pre-tokenizer), but scanning bytes once.
 * {@code \s} is Unicode White_Space, {@code \p{L}} any letter, {@code \p{N}} any number.
 *
 * <p>The input must be valid UTF-8 (see {@link Utf8}).
 */
public final class Gpt2Splitter {
    /** Receives each word as a byte range. */
    @FunctionalInterface
    public interface Sink {
        /**
         * One word.
         *
         * @param bytes the buffer
         * @param from first byte
         * @param to one past the last byte
         */
        void word(byte[] bytes, int from, int to);
    }

    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    static final byte SPACE = 3;
    static final byte OTHER = 4;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = classifySlow(c);
        }
    }

    private Gpt2Splitter() {
    }

    /**
     * Splits {@code bytes[from, to)} (one line, or any text) into words.
     *
     * @param bytes valid UTF-8
     * @param from first byte
     * @param to one past the last byte
     * @param sink receives the words in order; together they cover the range exactly
     */
    public static void split(byte[] bytes, int from, int to, Sink sink) {
        int p = from;
        while (p < to) {
            int b = bytes[p] & 0xFF;
            int end;
            if (b == '\'' && (end = contraction(bytes, p, to)) > 0) {
                sink.word(bytes, p, end);
                p = end;
                continue;
            }
            int cls = classAt(bytes, p);
            int start = p;
            int q = p;
            if (b == ' ' && p + 1 < to) {
                int next = classAt(bytes, p + 1);
                if (next != SPACE) {
                    cls = next;
                    q = p + 1;
                }
            }
            if (cls != SPACE) {
                q = run(bytes, q, to, cls);
                sink.word(bytes, start, q);
                p = q;
                continue;
            }
            // a whitespace run: \s+(?!\S) takes it all when it ends the text or is followed by more
            // whitespace; otherwise it gives back its last character (which then starts the next
            // word), unless it has only one, which \s+ then takes alone
            int last = p;
            q = p;
            while (q < to && classAt(bytes, q) == SPACE) {
                last = q;
                q += Utf8.length(bytes[q]);
            }
            if (q < to && last > p) {
                q = last;
            }
            sink.word(bytes, p, q);
            p = q;
        }
    }

    private static int contraction(byte[] bytes, int p, int to) {
        if (p + 1 >= to) {
            return -1;
        }
        int c1 = bytes[p + 1];
        if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') {
            return p + 2;
        }
        if (p + 2 < to) {
            int c2 = bytes[p + 2];
            if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
                return p + 3;
            }
        }
        return -1;
    }

    private static int run(byte[] bytes, int q, int to, int cls) {
        while (q < to && classAt(bytes, q) == cls) {
            q += Utf8.length(bytes[q]);
        }
        return q;
    }

    static int classAt(byte[] bytes, int p) {
        int b = bytes[p];
        if (b >= 0) {
            return ASCII[b];
        }
        return classify(Utf8.codePointAt(bytes, p));
    }

    /** Returns the class of a code point: letter, number, White_Space or other. */
    static byte classify(int cp) {
        return cp < 128 ? ASCII[cp] : classifySlow(cp);
    }

    private static byte classifySlow(int cp) {
        if (isWhiteSpace(cp)) {
            return SPACE;
        }
        if (Character.isLetter(cp)) {
            return LETTER;
        }
        switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> {
                return NUMBER;
            }
            default -> {
                return OTHER;
            }
        }
    }

    /** Unicode's White_Space property (what {@code \s} means in Rust's regex, unlike Java's default). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }
}
