package dev.notebench.enrich.local;

import java.util.regex.Pattern;

/**
 * Features of a short text's shape that sentence embeddings do not see: a reply or forward
 * prefix, a {@code [list]} tag, the share of capitals, shouting, exclamation and currency marks,
 * digits, percent signs, emptiness, length, and non-ASCII or MIME-encoded text. Each in [0, 1];
 * they hold nothing about any one task's vocabulary.
 */
final class TextShape {
    static final int SIZE = 11;
    private static final Pattern TAG = Pattern.compile("\\[[^\\]]+\\]");
    private static final Pattern REPLY = Pattern.compile("^(re|fw|fwd|aw)\\s*(\\[\\d+\\])?\\s*:.*", Pattern.DOTALL);

    private TextShape() {
    }

    static double[] of(String text) {
        String t = text.strip();
        String low = t.toLowerCase(java.util.Locale.ROOT);
        double[] f = new double[SIZE];
        f[0] = REPLY.matcher(TAG.matcher(low).replaceAll("").strip()).matches() || REPLY.matcher(low).matches() ? 1 : 0;
        f[1] = TAG.matcher(t).find() ? 1 : 0;
        int letters = 0;
        int upper = 0;
        boolean digit = false;
        boolean nonAscii = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
            digit |= Character.isDigit(c);
            nonAscii |= c >= 0x80;
        }
        f[2] = letters == 0 ? 0 : (double) upper / letters;
        f[3] = f[2] > 0.6 && letters >= 4 ? 1 : 0;
        f[4] = t.indexOf('!') >= 0 ? 1 : 0;
        f[5] = t.indexOf('$') >= 0 ? 1 : 0;
        f[6] = digit ? 1 : 0;
        f[7] = t.indexOf('%') >= 0 ? 1 : 0;
        f[8] = t.isEmpty() ? 1 : 0;
        f[9] = Math.min(t.length(), 100) / 100.0;
        f[10] = nonAscii || t.contains("=?") ? 1 : 0;
        return f;
    }
}
