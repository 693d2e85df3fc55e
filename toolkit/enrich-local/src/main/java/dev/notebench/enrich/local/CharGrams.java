package dev.notebench.enrich.local;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Character 2- to 4-grams of a lowercased text, hashed (FNV-1a over UTF-8) into a fixed number of
 * buckets and scaled to unit length: spelling, affixes and punctuation runs that a sentence
 * embedding smooths away.
 */
final class CharGrams {
    static final int BUCKETS = 4096;

    private CharGrams() {
    }

    static double[] of(String text) {
        byte[] b = (" " + text.strip().toLowerCase(Locale.ROOT) + " ").getBytes(StandardCharsets.UTF_8);
        double[] v = new double[BUCKETS];
        for (int n = 2; n <= 4; n++) {
            for (int i = 0; i + n <= b.length; i++) {
                int h = 0x811C9DC5;
                for (int j = i; j < i + n; j++) {
                    h ^= b[j] & 0xFF;
                    h *= 0x01000193;
                }
                v[Integer.remainderUnsigned(h, BUCKETS)] += 1;
            }
        }
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        if (norm > 0) {
            double inv = 1 / Math.sqrt(norm);
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }
}
