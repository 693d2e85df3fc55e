package dev.notebench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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
     * The loss of a batch ({@link dev.notebench.train.data.Batches}): the mean cross-entropy of
     * the targets, or, when the batch has a mask, of the targets it keeps (TRL's completion-only
     * loss: the mean over the tokens whose label is not -100).
     *
     * @param logits (batch, time, vocab)
     * @param batch inputs, targets (batch, time) int64 and optionally the mask (batch, time) float32
     * @return a scalar
     */
    public static NDArray loss(NDArray logits, NDList batch) {
        if (batch.size() < 3) {
            return crossEntropy(logits, batch.get(1));
        }
        NDArray mask = batch.get(2);
        return tokenLosses(logits, batch.get(1)).mul(mask).sum().div(mask.sum());
    }

    /**
     * The cross-entropy of each position: -log p(target).
     *
     * @param logits (batch, time, vocab)
     * @param targets (batch, time) int64
     * @return (batch, time)
     */
    public static NDArray tokenLosses(NDArray logits, NDArray targets) {
        NDArray logp = fp32(logits).logSoftmax(-1);
        return logp.gather(targets.expandDims(-1), -1).squeeze(-1).neg();
    }

    /**
     * The logits in fp32, still on the autograd graph: the softmax and the loss of an fp16 model
     * are computed in fp32, as PyTorch's autocast does. DJL's casts leave the graph, so this widens
     * through {@code where}, whose result takes the wider type of its two operands.
     */
    static NDArray fp32(NDArray logits) {
        if (logits.getDataType() == DataType.FLOAT32) {
            return logits;
        }
        NDManager m = logits.getManager();
        return NDArrays.where(m.ones(logits.getShape(), DataType.BOOLEAN), logits,
                m.zeros(new Shape(1), DataType.FLOAT32, logits.getDevice()));
    }
}
