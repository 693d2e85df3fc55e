package dev.notebench.train;

/**
 * Writes a run's checkpoints as it trains: the weights of each new best validation loss
 * ({@code checkpoints/best}), a step checkpoint every {@code every} steps, and one whenever it is
 * asked for ({@link TrainRun#requestCheckpoint()}, {@link RunDirectory#requestCheckpoint()}). The
 * last step's checkpoint is the run's end's, not this listener's.
 */
public final class Checkpointing implements RunListener {
    private final int every;

    /**
     * Checkpoints every {@code every} steps.
     *
     * @param every steps between periodic checkpoints, at least 1
     */
    public Checkpointing(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoints are written every 1 or more steps, got " + every);
        }
        this.every = every;
    }

    @Override
    public void stepEnded(Training t) {
        if (t.evaluation().map(Eval::best).orElse(false)) {
            t.saveBest();
        }
        boolean asked = t.takeCheckpointRequest(); // asked for now, or met by this step's periodic one
        if (!t.lastStep() && (asked || (t.step() + 1) % every == 0)) {
            t.checkpoint();
        }
    }
}
