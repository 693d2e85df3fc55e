package dev.notebench.tokenize.internal;

import java.text.Normalizer;
import java.util.List;

/**
 * The normalizers of a {@code tokenizer.json} that Java computes as Hugging Face does: Unicode
 * normal forms and {@code Lowercase} (each character's full lowercase mapping on its own, with no
 * final-sigma rule, as Rust's {@code char::to_lowercase}). Immutable.
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
                case NFC -> Normalizer.normalize(s, Normalizer.Form.NFC);
                case NFD -> Normalizer.normalize(s, Normalizer.Form.NFD);
                case NFKC -> Normalizer.normalize(s, Normalizer.Form.NFKC);
                case NFKD -> Normalizer.normalize(s, Normalizer.Form.NFKD);
                case LOWERCASE -> lowercase(s);
            };
        }
        return s;
    }

    private static String lowercase(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int lower = Character.toLowerCase(cp);
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
