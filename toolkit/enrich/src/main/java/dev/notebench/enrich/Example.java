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

    /**
     * Which rows to take as examples: the rows in an order shuffled by {@code java.util.Random(seed)},
     * each taken while its label (one of {@code labels}) has fewer than {@code perLabel} rows taken.
     *
     * @param labelOfRow each row's label (rows whose label is not one of {@code labels} are never taken)
     * @param labels the labels
     * @param perLabel the most rows taken per label
     * @param seed the shuffle's seed
     * @return the rows taken, in the order taken
     */
    public static java.util.List<Integer> drawPerLabel(java.util.List<String> labelOfRow, java.util.Collection<String> labels,
                                                       int perLabel, long seed) {
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int r = 0; r < labelOfRow.size(); r++) {
            order.add(r);
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        java.util.Map<String, Integer> taken = new java.util.HashMap<>();
        java.util.List<Integer> rows = new java.util.ArrayList<>();
        for (int r : order) {
            String label = labelOfRow.get(r);
            if (labels.contains(label) && taken.getOrDefault(label, 0) < perLabel) {
                taken.merge(label, 1, Integer::sum);
                rows.add(r);
            }
        }
        return rows;
    }
}
