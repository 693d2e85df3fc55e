package dev.notebench.tokenize.internal;

/**
 * GPT-2's byte-to-unicode table: every byte becomes one printable character, so a byte-level
 * token is a string of these characters (printable ASCII and Latin-1 map to themselves; the other
 * 68 bytes map to U+0100 and up, in order).
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[324];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** Returns the character byte {@code b} (0..255) stands for. */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** Returns the byte a byte-level character stands for, or -1 if it is not one. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Returns the byte-level string of {@code bytes[from, to)}. */
    public static String encode(byte[] bytes, int from, int to) {
        char[] out = new char[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** Returns the bytes of a byte-level string, or {@code null} if it has another character. */
    public static byte[] decode(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            int b = byteOf(s.charAt(i));
            if (b < 0) {
                return null;
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** Returns the 256 byte-level characters sorted by code point (the order of their ids). */
    public static char[] alphabetByCodePoint() {
        char[] a = BYTE_TO_CHAR.clone();
        java.util.Arrays.sort(a);
        return a;
    }
}
