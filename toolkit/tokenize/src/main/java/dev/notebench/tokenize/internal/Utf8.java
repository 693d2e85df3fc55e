package dev.notebench.tokenize.internal;

/** UTF-8 decoding and validation on byte arrays. */
public final class Utf8 {
    private Utf8() {
    }

    /** Returns the length of the sequence a valid UTF-8 lead byte starts. */
    public static int length(byte lead) {
        int b = lead & 0xFF;
        return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }

    /** Returns the code point of the valid UTF-8 sequence at {@code p}. */
    public static int codePointAt(byte[] s, int p) {
        int b = s[p] & 0xFF;
        if (b < 0x80) {
            return b;
        }
        if (b < 0xE0) {
            return ((b & 0x1F) << 6) | (s[p + 1] & 0x3F);
        }
        if (b < 0xF0) {
            return ((b & 0x0F) << 12) | ((s[p + 1] & 0x3F) << 6) | (s[p + 2] & 0x3F);
        }
        return ((b & 0x07) << 18) | ((s[p + 1] & 0x3F) << 12) | ((s[p + 2] & 0x3F) << 6) | (s[p + 3] & 0x3F);
    }

    /**
     * Returns the offset of the first byte in {@code s[from, to)} that is not part of well-formed
     * UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), or -1 when all is valid.
     */
    public static int firstInvalid(byte[] s, int from, int to) {
        int p = from;
        while (p < to) {
            int b = s[p];
            if (b >= 0) {
                p++;
                continue;
            }
            int b0 = b & 0xFF;
            int n;
            int min;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                n = 2;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                n = 3;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                n = 4;
                min = 0x10000;
            } else {
                return p;
            }
            if (p + n > to) {
                return p;
            }
            for (int k = 1; k < n; k++) {
                if ((s[p + k] & 0xC0) != 0x80) {
                    return p;
                }
            }
            int cp = codePointAt(s, p);
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return p;
            }
            p += n;
        }
        return -1;
    }
}
