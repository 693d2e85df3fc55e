package dev.notebench.train;

/**
 * Stops a run, with a checkpoint, when its validation loss has not improved for {@code patience}
 * evaluations in a row ({@link RunState#STOPPED_EARLY}). Counting survives a resume: the count
 * is saved with each checkpoint.
 */
public final class EarlyStopping implements RunListener {
    private final int patience;

    /**
     * Stops after {@code patience} evaluations without improvement.
     *
     * @param patience evaluations without improvement before stopping; 0 never stops
     */
    public EarlyStopping(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be 0 (never stop early) or more, got " + patience);
        }
        this.patience = patience;
    }

    @Override
    public void stepEnded(Training t) {
        if (patience > 0 && t.evalsSinceBest() >= patience) {
            t.stop(RunState.STOPPED_EARLY, null);
        }
    }
}
