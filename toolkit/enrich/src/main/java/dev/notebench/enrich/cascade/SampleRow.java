package dev.notebench.enrich.cascade;

/**
 * One row of the labelled sample, answered by both stages of a cascade.
 *
 * @param confidence the cheap stage's confidence in its answer, 0..1 (NaN where it gave none:
 *     such a row always goes to the expensive stage)
 * @param cheapRight whether the cheap stage's answer equals the gold label
 * @param expensiveRight whether the expensive stage's answer equals the gold label
 */
public record SampleRow(double confidence, boolean cheapRight, boolean expensiveRight) {
}
