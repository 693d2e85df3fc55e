package dev.notebench.tokenize.internal;

/**
 * LLaMA-3's pre-tokenizer regex as a scanner over UTF-8, with onig's leftmost-first alternation:
 * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}
 * (Qwen2's is the same with {@code \p{N}} alone: {@code maxDigits} 1).
 */
final class Llama3Splitter implements PieceSplitter {
    private static final int LONG_S = 0x17F; // ſ, which case-folds to s

    private final int maxDigits;

    Llama3Splitter(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    @Override
    public void split(byte[] bytes, int from, int to, Gpt2Splitter.Sink sink) {
        int p = from;
        while (p < to) {
            int end = next(bytes, p, to);
            sink.word(bytes, p, end);
            p = end;
        }
    }

    private int next(byte[] b, int p, int to) {
        int c = b[p] & 0xFF;
        if (c == '\'') {
            int e = contraction(b, p, to);
            if (e > 0) {
                return e;
            }
        }
        int cls = Gpt2Splitter.classAt(b, p);
        int q = p + Utf8.length(b[p]);
        if (cls == Gpt2Splitter.LETTER) {
            return run(b, q, to, Gpt2Splitter.LETTER);
        }
        if (cls == Gpt2Splitter.NUMBER) {
            for (int n = 1; n < maxDigits && q < to && Gpt2Splitter.classAt(b, q) == Gpt2Splitter.NUMBER; n++) {
                q += Utf8.length(b[q]);
            }
            return q;
        }
        boolean newline = c == '\r' || c == '\n';
        if (!newline && q < to && Gpt2Splitter.classAt(b, q) == Gpt2Splitter.LETTER) {
            return run(b, q, to, Gpt2Splitter.LETTER);
        }
        if (cls == Gpt2Splitter.OTHER) {
            return newlines(b, run(b, q, to, Gpt2Splitter.OTHER), to);
        }
        if (c == ' ' && q < to && Gpt2Splitter.classAt(b, q) == Gpt2Splitter.OTHER) {
            return newlines(b, run(b, q, to, Gpt2Splitter.OTHER), to);
        }
        // whitespace: \s*[\r\n]+ ends after the run's last CR or LF; else \s+(?!\S) takes the run when
        // it ends the text and leaves its last character to the next piece otherwise, unless that
        // leaves nothing, when \s+ takes the one character
        int last = p;
        int lastNewline = -1;
        q = p;
        while (q < to && Gpt2Splitter.classAt(b, q) == Gpt2Splitter.SPACE) {
            if (b[q] == '\r' || b[q] == '\n') {
                lastNewline = q;
            }
            last = q;
            q += Utf8.length(b[q]);
        }
        if (lastNewline >= 0) {
            return lastNewline + 1;
        }
        if (q < to && last > p) {
            return last;
        }
        return q;
    }

    private static int newlines(byte[] b, int q, int to) {
        while (q < to && (b[q] == '\r' || b[q] == '\n')) {
            q++;
        }
        return q;
    }

    private static int run(byte[] b, int q, int to, int cls) {
        while (q < to && Gpt2Splitter.classAt(b, q) == cls) {
            q += Utf8.length(b[q]);
        }
        return q;
    }

    /** The end of {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)} at {@code p}, or -1. */
    private static int contraction(byte[] b, int p, int to) {
        if (p + 1 >= to) {
            return -1;
        }
        int c1 = lower(b, p + 1, to);
        if (c1 == 's' || c1 == LONG_S || c1 == 't' || c1 == 'm' || c1 == 'd') {
            return p + 1 + Utf8.length(b[p + 1]);
        }
        int q = p + 1 + Utf8.length(b[p + 1]);
        if (q < to) {
            int c2 = lower(b, q, to);
            if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
                return q + 1;
            }
        }
        return -1;
    }

    /** The ASCII letter at {@code p} lowercased, ſ as itself, anything else -1. */
    private static int lower(byte[] b, int p, int to) {
        int c = b[p] & 0xFF;
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? c + 32 : c;
        }
        if (c == 0xC5 && p + 1 < to && (b[p + 1] & 0xFF) == 0xBF) {
            return LONG_S;
        }
        return -1;
    }
}
