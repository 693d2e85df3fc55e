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

    /**
     * Letters and numbers of the Unicode that HF tokenizers' regex engine (onig) knows and Java 17's
     * (Unicode 13) does not: start, end (inclusive), class; found by comparing every code point.
     */
    private static final int[] NEWER = {
        0x870, 0x887, LETTER, 0x889, 0x88E, LETTER, 0x8B5, 0x8B5, LETTER, 0x8C8, 0x8C9, LETTER,
        0xC5D, 0xC5D, LETTER, 0xCDD, 0xCDD, LETTER, 0x170D, 0x170D, LETTER, 0x171F, 0x171F, LETTER,
        0x1B4C, 0x1B4C, LETTER, 0x1C89, 0x1C8A, LETTER, 0x2C2F, 0x2C2F, LETTER, 0x2C5F, 0x2C5F, LETTER,
        0x9FFD, 0x9FFF, LETTER, 0xA7C0, 0xA7C1, LETTER, 0xA7CB, 0xA7CD, LETTER, 0xA7D0, 0xA7D1, LETTER,
        0xA7D3, 0xA7D3, LETTER, 0xA7D5, 0xA7DC, LETTER, 0xA7F2, 0xA7F4, LETTER, 0x10570, 0x1057A, LETTER,
        0x1057C, 0x1058A, LETTER, 0x1058C, 0x10592, LETTER, 0x10594, 0x10595, LETTER, 0x10597, 0x105A1, LETTER,
        0x105A3, 0x105B1, LETTER, 0x105B3, 0x105B9, LETTER, 0x105BB, 0x105BC, LETTER, 0x105C0, 0x105F3, LETTER,
        0x10780, 0x10785, LETTER, 0x10787, 0x107B0, LETTER, 0x107B2, 0x107BA, LETTER, 0x10D40, 0x10D49, NUMBER,
        0x10D4A, 0x10D65, LETTER, 0x10D6F, 0x10D85, LETTER, 0x10EC2, 0x10EC4, LETTER, 0x10F70, 0x10F81, LETTER,
        0x11071, 0x11072, LETTER, 0x11075, 0x11075, LETTER, 0x1123F, 0x11240, LETTER, 0x11380, 0x11389, LETTER,
        0x1138B, 0x1138B, LETTER, 0x1138E, 0x1138E, LETTER, 0x11390, 0x113B5, LETTER, 0x113B7, 0x113B7, LETTER,
        0x113D1, 0x113D1, LETTER, 0x113D3, 0x113D3, LETTER, 0x116D0, 0x116E3, NUMBER, 0x11740, 0x11746, LETTER,
        0x11AB0, 0x11ABF, LETTER, 0x11BC0, 0x11BE0, LETTER, 0x11BF0, 0x11BF9, NUMBER, 0x11F02, 0x11F02, LETTER,
        0x11F04, 0x11F10, LETTER, 0x11F12, 0x11F33, LETTER, 0x11F50, 0x11F59, NUMBER, 0x12F90, 0x12FF0, LETTER,
        0x1342F, 0x1342F, LETTER, 0x13441, 0x13446, LETTER, 0x13460, 0x143FA, LETTER, 0x16100, 0x1611D, LETTER,
        0x16130, 0x16139, NUMBER, 0x16A70, 0x16ABE, LETTER, 0x16AC0, 0x16AC9, NUMBER, 0x16D40, 0x16D6C, LETTER,
        0x16D70, 0x16D79, NUMBER, 0x18CFF, 0x18CFF, LETTER, 0x1AFF0, 0x1AFF3, LETTER, 0x1AFF5, 0x1AFFB, LETTER,
        0x1AFFD, 0x1AFFE, LETTER, 0x1B11F, 0x1B122, LETTER, 0x1B132, 0x1B132, LETTER, 0x1B155, 0x1B155, LETTER,
        0x1CCF0, 0x1CCF9, NUMBER, 0x1D2C0, 0x1D2D3, NUMBER, 0x1DF00, 0x1DF1E, LETTER, 0x1DF25, 0x1DF2A, LETTER,
        0x1E030, 0x1E06D, LETTER, 0x1E290, 0x1E2AD, LETTER, 0x1E4D0, 0x1E4EB, LETTER, 0x1E4F0, 0x1E4F9, NUMBER,
        0x1E5D0, 0x1E5ED, LETTER, 0x1E5F0, 0x1E5F0, LETTER, 0x1E5F1, 0x1E5FA, NUMBER, 0x1E7E0, 0x1E7E6, LETTER,
        0x1E7E8, 0x1E7EB, LETTER, 0x1E7ED, 0x1E7EE, LETTER, 0x1E7F0, 0x1E7FE, LETTER, 0x2A6DE, 0x2A6DF, LETTER,
        0x2B735, 0x2B739, LETTER, 0x2EBF0, 0x2EE5D, LETTER, 0x31350, 0x323AF, LETTER,
    };

    private static final byte[] ASCII = new byte[128];
    /** The class of every BMP code point (64 KiB). */
    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP[c] = classifySlow(c);
        }
        System.arraycopy(BMP, 0, ASCII, 0, 128);
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
        return cp < 0x10000 ? BMP[cp] : classifySlow(cp);
    }

    private static byte classifySlow(int cp) {
        if (isWhiteSpace(cp)) {
            return SPACE;
        }
        int lo = 0;
        int hi = NEWER.length / 3 - 1;
        while (lo <= hi) { // the last range starting at or before cp
            int mid = (lo + hi) >>> 1;
            if (NEWER[3 * mid] <= cp) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi >= 0 && cp <= NEWER[3 * hi + 1]) {
            return (byte) NEWER[3 * hi + 2];
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

    /**
     * Returns the code points onig counts as letters ({@link #LETTER}) or numbers ({@link #NUMBER})
     * and Java 17 does not, as ranges for a regex character class ({@code \x{870}-\x{887}...}).
     */
    static String newerRanges(byte cls) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < NEWER.length; i += 3) {
            if (NEWER[i + 2] == cls) {
                b.append(String.format("\\x{%X}-\\x{%X}", NEWER[i], NEWER[i + 1]));
            }
        }
        return b.toString();
    }

    /** Unicode's White_Space property (what {@code \s} means in Rust's regex, unlike Java's default). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }
}
