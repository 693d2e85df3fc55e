package dev.notebench.enrich.cascade;

import java.util.Objects;
import java.util.Set;

/**
 * One row of the labelled sample, answered by both stages of a cascade.
 *
 * @param confidence the cheap stage's confidence in its answer, 0..1 (NaN where it gave none:
 *     such a row always goes to the expensive stage)
 * @param cheapRight whether the cheap stage's answer equals the gold label
 * @param expensiveRight whether the expensive stage's answer equals the gold label
 * @param cheapLabels the labels the cheap stage gave the row (none for a failed answer), for precision and recall targets
 * @param expensiveLabels the labels the expensive stage gave it (none for a failed answer)
 * @param goldLabels the row's gold labels
 */
public record SampleRow(double confidence, boolean cheapRight, boolean expensiveRight, Set<String> cheapLabels,
                        Set<String> expensiveLabels, Set<String> goldLabels) {
    /** Copies the label sets. */
    public SampleRow {
        cheapLabels = Set.copyOf(Objects.requireNonNull(cheapLabels, "cheapLabels"));
        expensiveLabels = Set.copyOf(Objects.requireNonNull(expensiveLabels, "expensiveLabels"));
        goldLabels = Set.copyOf(Objects.requireNonNull(goldLabels, "goldLabels"));
    }

    /**
     * A row known only as right or wrong per stage (no labels: enough for an accuracy target).
     *
     * @param confidence the cheap stage's confidence (NaN: none)
     * @param cheapRight whether the cheap stage's answer is right
     * @param expensiveRight whether the expensive stage's answer is right
     */
    public SampleRow(double confidence, boolean cheapRight, boolean expensiveRight) {
        this(confidence, cheapRight, expensiveRight, Set.of(), Set.of(), Set.of());
    }

    /**
     * A row with the labels of both stages and the gold ones; each stage is right when its labels equal the gold ones.
     *
     * @param confidence the cheap stage's confidence (NaN: none)
     * @param cheapLabels the cheap stage's labels, null for a failed answer (wrong, no label)
     * @param expensiveLabels the expensive stage's labels, null for a failed answer
     * @param goldLabels the gold labels
     */
    public static SampleRow of(double confidence, Set<String> cheapLabels, Set<String> expensiveLabels, Set<String> goldLabels) {
        return new SampleRow(confidence, goldLabels.equals(cheapLabels), goldLabels.equals(expensiveLabels),
                cheapLabels == null ? Set.of() : cheapLabels, expensiveLabels == null ? Set.of() : expensiveLabels, goldLabels);
    }

    /** Whether the row keeps the cheap answer at a threshold (NaN confidence: never). */
    public boolean keepsCheap(double threshold) {
        return confidence >= threshold;
    }

    /** The cascade's labels for the row at a threshold: the cheap stage's when it keeps the cheap answer, else the expensive stage's. */
    public Set<String> labels(double threshold) {
        return keepsCheap(threshold) ? cheapLabels : expensiveLabels;
    }
}
