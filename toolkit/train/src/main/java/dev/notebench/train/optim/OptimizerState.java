package dev.notebench.train.optim;

import ai.djl.ndarray.NDList;

/**
 * What a checkpoint saves of an optimizer and gives back on resume: its state arrays and how many
 * updates it made. {@link AdamW} is one; {@link dev.notebench.train.Checkpoint} knows no other
 * optimizer type.
 */
public interface OptimizerState {
    /** Returns the state arrays, in an order {@link #restore} takes back. */
    NDList state();

    /** Returns how many updates the optimizer made. */
    long updates();

    /**
     * Restores the arrays and the update count saved from {@link #state()} and {@link #updates()}.
     *
     * @param saved the arrays
     * @param updates the update count
     */
    void restore(NDList saved, long updates);
}
