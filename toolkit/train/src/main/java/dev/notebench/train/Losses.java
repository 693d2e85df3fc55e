package dev.notebench.train;

import ai.djl.ndarray.NDArray;

/** Losses of next-token models. */
public final class Losses {
    private Losses() {
    }

    /**
     * The mean cross-entropy of logits against target ids.
     *
     * @param logits (batch, time, vocab)
     * @param targets (batch, time) int64
     * @return a scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return tokenLosses(logits, targets).mean();
    }

    /**
     * The cross-entropy of each position: -log p(target).
     *
     * @param logits (batch, time, vocab)
     * @param targets (batch, time) int64
     * @return (batch, time)
     */
    public static NDArray tokenLosses(NDArray logits, NDArray targets) {
        NDArray logp = logits.logSoftmax(-1);
        return logp.gather(targets.expandDims(-1), -1).squeeze(-1).neg();
    }
}
