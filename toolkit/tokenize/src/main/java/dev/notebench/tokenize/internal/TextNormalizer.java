package dev.notebench.tokenize.internal;

import java.text.Normalizer;
import java.util.List;

/**
 * The normalizers of a {@code tokenizer.json} that Java computes as Hugging Face does: Unicode
 * normal forms and {@code Lowercase} (each character's full lowercase mapping on its own, with no
 * final-sigma rule, as Rust's {@code char::to_lowercase}). Immutable.
 *
 * <p>Java 17 knows Unicode 13, HF tokenizers' normalizers an older Unicode and Rust's lowercase a
 * newer one: the 14 characters Java's normal forms change and HF's leave alone are left alone
 * here, and the 95 characters Rust lowercases and Java does not are lowercased from a table (both
 * found by comparing every code point with HF tokenizers 0.23.2).
 */
public final class TextNormalizer {
    /** One step. */
    public enum Step {
        /** Canonical composition. */
        NFC,
        /** Canonical decomposition. */
        NFD,
        /** Compatibility composition. */
        NFKC,
        /** Compatibility decomposition. */
        NFKD,
        /** Lowercase, character by character. */
        LOWERCASE
    }

    /** Code points Java's NFD/NFKC/NFKD change and HF's (older tables) do not. */
    private static final int[] KEPT = {0x32FF, 0xAB69, 0x11938, 0x1F16C, 0x1FBF0, 0x1FBF1, 0x1FBF2, 0x1FBF3, 0x1FBF4,
        0x1FBF5, 0x1FBF6, 0x1FBF7, 0x1FBF8, 0x1FBF9};
    /** Upper and lower case pairs Rust knows and Java 17 does not, sorted by the upper case. */
    private static final int[] NEWER_LOWER = {
        0x1C89, 0x1C8A, 0x2C2F, 0x2C5F, 0xA7C0, 0xA7C1, 0xA7CB, 0x264, 0xA7CC, 0xA7CD, 0xA7CE, 0xA7CF,
        0xA7D0, 0xA7D1, 0xA7D2, 0xA7D3, 0xA7D4, 0xA7D5, 0xA7D6, 0xA7D7, 0xA7D8, 0xA7D9, 0xA7DA, 0xA7DB,
        0xA7DC, 0x19B, 0x10570, 0x10597, 0x10571, 0x10598, 0x10572, 0x10599, 0x10573, 0x1059A, 0x10574, 0x1059B,
        0x10575, 0x1059C, 0x10576, 0x1059D, 0x10577, 0x1059E, 0x10578, 0x1059F, 0x10579, 0x105A0, 0x1057A, 0x105A1,
        0x1057C, 0x105A3, 0x1057D, 0x105A4, 0x1057E, 0x105A5, 0x1057F, 0x105A6, 0x10580, 0x105A7, 0x10581, 0x105A8,
        0x10582, 0x105A9, 0x10583, 0x105AA, 0x10584, 0x105AB, 0x10585, 0x105AC, 0x10586, 0x105AD, 0x10587, 0x105AE,
        0x10588, 0x105AF, 0x10589, 0x105B0, 0x1058A, 0x105B1, 0x1058C, 0x105B3, 0x1058D, 0x105B4, 0x1058E, 0x105B5,
        0x1058F, 0x105B6, 0x10590, 0x105B7, 0x10591, 0x105B8, 0x10592, 0x105B9, 0x10594, 0x105BB, 0x10595, 0x105BC,
        0x10D50, 0x10D70, 0x10D51, 0x10D71, 0x10D52, 0x10D72, 0x10D53, 0x10D73, 0x10D54, 0x10D74, 0x10D55, 0x10D75,
        0x10D56, 0x10D76, 0x10D57, 0x10D77, 0x10D58, 0x10D78, 0x10D59, 0x10D79, 0x10D5A, 0x10D7A, 0x10D5B, 0x10D7B,
        0x10D5C, 0x10D7C, 0x10D5D, 0x10D7D, 0x10D5E, 0x10D7E, 0x10D5F, 0x10D7F, 0x10D60, 0x10D80, 0x10D61, 0x10D81,
        0x10D62, 0x10D82, 0x10D63, 0x10D83, 0x10D64, 0x10D84, 0x10D65, 0x10D85, 0x16EA0, 0x16EBB, 0x16EA1, 0x16EBC,
        0x16EA2, 0x16EBD, 0x16EA3, 0x16EBE, 0x16EA4, 0x16EBF, 0x16EA5, 0x16EC0, 0x16EA6, 0x16EC1, 0x16EA7, 0x16EC2,
        0x16EA8, 0x16EC3, 0x16EA9, 0x16EC4, 0x16EAA, 0x16EC5, 0x16EAB, 0x16EC6, 0x16EAC, 0x16EC7, 0x16EAD, 0x16EC8,
        0x16EAE, 0x16EC9, 0x16EAF, 0x16ECA, 0x16EB0, 0x16ECB, 0x16EB1, 0x16ECC, 0x16EB2, 0x16ECD, 0x16EB3, 0x16ECE,
        0x16EB4, 0x16ECF, 0x16EB5, 0x16ED0, 0x16EB6, 0x16ED1, 0x16EB7, 0x16ED2, 0x16EB8, 0x16ED3,
    };

    private final List<Step> steps;

    /**
     * Steps applied in order.
     *
     * @param steps the steps
     */
    public TextNormalizer(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** Returns the normalized text. */
    public String apply(String s) {
        for (Step step : steps) {
            s = switch (step) {
                case NFC -> normalize(s, Normalizer.Form.NFC);
                case NFD -> normalize(s, Normalizer.Form.NFD);
                case NFKC -> normalize(s, Normalizer.Form.NFKC);
                case NFKD -> normalize(s, Normalizer.Form.NFKD);
                case LOWERCASE -> lowercase(s);
            };
        }
        return s;
    }

    private static String normalize(String s, Normalizer.Form form) {
        int kept = indexOfKept(s, 0);
        if (kept < 0) {
            return Normalizer.normalize(s, form);
        }
        StringBuilder b = new StringBuilder(s.length());
        int done = 0;
        while (kept >= 0) {
            b.append(Normalizer.normalize(s.substring(done, kept), form));
            int n = Character.charCount(s.codePointAt(kept));
            b.append(s, kept, kept + n);
            done = kept + n;
            kept = indexOfKept(s, done);
        }
        return b.append(Normalizer.normalize(s.substring(done), form)).toString();
    }

    private static int indexOfKept(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x32FF || c == 0xAB69 || (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && java.util.Arrays.binarySearch(KEPT, s.codePointAt(i)) >= 0)) {
                return i;
            }
        }
        return -1;
    }

    private static int toLowerCase(int cp) {
        int lower = Character.toLowerCase(cp);
        if (lower == cp && cp >= NEWER_LOWER[0]) {
            for (int i = 0; i < NEWER_LOWER.length; i += 2) { // 95 pairs, reached only by rare characters
                if (NEWER_LOWER[i] == cp) {
                    return NEWER_LOWER[i + 1];
                }
            }
        }
        return lower;
    }

    private static String lowercase(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int lower = toLowerCase(cp);
            if (lower != cp || cp == 0x130) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                if (cp == 0x130) { // İ: the one full mapping longer than the simple one
                    b.append("i\u0307");
                } else {
                    b.appendCodePoint(lower);
                }
            } else if (b != null) {
                b.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return b == null ? s : b.toString();
    }
}
