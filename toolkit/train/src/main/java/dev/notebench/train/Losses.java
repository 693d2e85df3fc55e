package dev.notebench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.notebench.train.data.Batches;
import dev.notebench.train.model.LanguageModel;

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
     * The loss over the first rows of a data set's validation split, batch by batch without
     * gradients: the sum of the loss of every target that counts over their number (all targets of
     * windows, the completion targets of fine-tuning examples), so that it does not depend on how
     * the rows are batched, and on one batch it is {@link #loss(NDArray, NDList)} of that batch.
     *
     * @param model the model
     * @param data the data set
     * @param rows how many validation rows, from the first
     * @param batchSize rows per forward pass
     * @param manager where each batch's arrays go (in a sub-manager closed after it)
     * @return the mean loss per counted target, in nats
     */
    public static double validationLoss(LanguageModel model, Batches data, long rows, int batchSize, NDManager manager) {
        double sum = 0;
        double count = 0;
        for (long first = 0; first < rows; first += batchSize) {
            int n = (int) Math.min(batchSize, rows - first);
            try (NDManager em = manager.newSubManager()) {
                NDList xy = data.validation(em, first, n);
                NDArray each = tokenLosses(model.forward(xy.get(0), false), xy.get(1));
                if (xy.size() < 3) {
                    sum += each.sum().getFloat();
                    count += each.size();
                } else {
                    sum += each.mul(xy.get(2)).sum().getFloat();
                    count += xy.get(2).sum().getFloat();
                }
            }
        }
        return sum / count;
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
