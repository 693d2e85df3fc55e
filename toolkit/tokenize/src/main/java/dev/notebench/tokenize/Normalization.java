package dev.notebench.tokenize;

import java.text.Normalizer;
import java.util.Locale;

/** How corpus text is normalized before it is split into words. */
public enum Normalization {
    /** As it is. */
    NONE,
    /** Unicode canonical composition. */
    NFC,
    /** Unicode compatibility composition (folds ligatures, full-width forms, ...). */
    NFKC;

    /**
     * Applies this normalization, then lowercases if asked.
     *
     * @param s the text
     * @param lowercase whether to lowercase (locale-independent)
     * @return the normalized text
     */
    public String apply(String s, boolean lowercase) {
        String out = switch (this) {
            case NONE -> s;
            case NFC -> Normalizer.normalize(s, Normalizer.Form.NFC);
            case NFKC -> Normalizer.normalize(s, Normalizer.Form.NFKC);
        };
        return lowercase ? out.toLowerCase(Locale.ROOT) : out;
    }
}
