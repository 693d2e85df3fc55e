package dev.notebench.train.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * What a run trains and validates on, batch by batch: (inputs, targets), each (rows, time) int64,
 * and, where only some targets count ({@link SftBatches}: completion tokens), a third array, a
 * (rows, time) float32 mask of the targets that count. A training batch depends only on the seed
 * and its (step, micro-batch), so a resumed run draws what an uninterrupted one would have.
 */
public interface Batches {
    /**
     * The training batch of a step's micro-batch.
     *
     * @param manager where the arrays go
     * @param step the optimizer step
     * @param micro the micro-batch within the step
     */
    NDList train(NDManager manager, long step, int micro);

    /** Returns the number of validation rows (windows or examples). */
    long validationWindows();

    /**
     * A validation batch: rows {@code [first, first + n)} of the validation split.
     *
     * @param manager where the arrays go
     * @param first the first row
     * @param n how many rows
     */
    NDList validation(NDManager manager, long first, int n);
}
