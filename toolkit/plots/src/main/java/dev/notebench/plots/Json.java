package dev.notebench.plots;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The little JSON that plotly figures need, written so that it is also safe inside an HTML script. */
final class Json {
    private Json() {
    }

    /**
     * A JSON string; {@code <}, {@code >} and {@code &} are escaped too, so that no value can end
     * the script element it is written into.
     */
    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A finite number as JSON: whole numbers without a fraction, others as Java prints them. */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(d + " has no JSON form");
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** A fraction rounded to 4 decimals, without trailing zeros: 0.5, 0.3125, 1. */
    static String fraction(double d) {
        return BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** The values {@code v[from..to)} as a JSON array of numbers. */
    static String numbers(double[] v, int from, int to) {
        StringBuilder b = new StringBuilder((to - from) * 8 + 2).append('[');
        for (int i = from; i < to; i++) {
            if (i > from) {
                b.append(',');
            }
            b.append(number(v[i]));
        }
        return b.append(']').toString();
    }
}
