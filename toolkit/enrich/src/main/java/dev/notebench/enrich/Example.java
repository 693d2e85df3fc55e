package dev.notebench.enrich;

import java.util.List;
import java.util.Objects;

/**
 * A labelled example for a label schema: a text and the labels that apply to it (exactly one for a
 * single-label schema). The chat annotator shows examples in its prompt; the embedded labeler
 * learns from them.
 *
 * @param text the example's text
 * @param labels the labels that apply
 */
public record Example(String text, List<String> labels) {
    /** Checks the example. */
    public Example {
        Objects.requireNonNull(text, "text");
        labels = List.copyOf(labels);
    }
}
