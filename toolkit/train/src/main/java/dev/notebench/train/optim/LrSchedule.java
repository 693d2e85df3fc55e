package dev.notebench.train.optim;

/**
 * Linear warmup from 0 to {@code maxLr} over {@code warmup} steps, then cosine decay to
 * {@code minLr} at {@code total} steps (and {@code minLr} after), as nanoGPT schedules it. A
 * function of the step alone, so a resumed run continues the same curve.
 *
 * @param maxLr the peak learning rate
 * @param minLr the final learning rate
 * @param warmup warmup steps
 * @param total the step at which decay ends
 */
public record LrSchedule(double maxLr, double minLr, int warmup, int total) {

    /**
     * Returns the learning rate of a step (0-based).
     *
     * @param step the optimizer step
     */
    public double at(long step) {
        if (step < warmup) {
            return maxLr * (step + 1) / warmup;
        }
        if (step >= total) {
            return minLr;
        }
        double progress = (double) (step - warmup) / Math.max(1, total - warmup);
        return minLr + 0.5 * (1 + StrictMath.cos(StrictMath.PI * progress)) * (maxLr - minLr);
    }
}
