package dev.notebench.train.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.SplittableRandom;

/**
 * Contiguous windows of {@code seqLen + 1} tokens: inputs are the first {@code seqLen}, targets
 * the last. Training windows start at random offsets in the training split, drawn from a seed
 * and the (step, micro-batch) they are for, so a resumed run draws exactly what an uninterrupted
 * run would have. Validation windows are the first non-overlapping windows of the validation
 * split, the same every time.
 */
public final class Windows implements Batches {
    private final TokenData data;
    private final int seqLen;
    private final int batch;
    private final long seed;

    /**
     * Creates the sampler.
     *
     * @param data the tokens
     * @param seqLen the window length
     * @param batch windows per batch
     * @param seed the seed
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} when a split is shorter than one window
     */
    public Windows(TokenData data, int seqLen, int batch, long seed) {
        this.data = data;
        this.seqLen = seqLen;
        this.batch = batch;
        this.seed = seed;
        if (data.trainTokens() < seqLen + 1L) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the training split has " + data.trainTokens()
                    + " tokens, fewer than one window of " + (seqLen + 1) + "; use a longer corpus or a shorter seq_len");
        }
        if (data.valTokens() < seqLen + 1L) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the validation split has " + data.valTokens()
                    + " tokens, fewer than one window of " + (seqLen + 1) + "; raise val_fraction, use a longer corpus"
                    + " or a shorter seq_len");
        }
    }

    /** Returns the number of validation windows available. */
    @Override
    public long validationWindows() {
        return (data.valTokens() - 1) / seqLen;
    }

    /**
     * The training batch for a step and micro-batch: (inputs, targets), each (batch, seqLen) int64.
     *
     * @param manager where the arrays go
     * @param step the optimizer step
     * @param micro the micro-batch within the step
     */
    @Override
    public NDList train(NDManager manager, long step, int micro) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 1_000_003L + micro);
        long span = data.trainTokens() - seqLen - 1;
        long[] ids = new long[batch * (seqLen + 1)];
        for (int b = 0; b < batch; b++) {
            long start = span == 0 ? 0 : r.nextLong(span + 1);
            data.copy(start, seqLen + 1, ids, b * (seqLen + 1));
        }
        return split(manager, ids, batch);
    }

    /**
     * A validation batch: windows {@code [first, first + n)} of the validation split.
     *
     * @param manager where the arrays go
     * @param first the first window
     * @param n how many windows
     */
    @Override
    public NDList validation(NDManager manager, long first, int n) {
        long[] ids = new long[n * (seqLen + 1)];
        for (int b = 0; b < n; b++) {
            data.copy(data.trainTokens() + (first + b) * seqLen, seqLen + 1, ids, b * (seqLen + 1));
        }
        return split(manager, ids, n);
    }

    private NDList split(NDManager manager, long[] ids, int rows) {
        NDArray all = manager.create(ids, new Shape(rows, seqLen + 1));
        return new NDList(all.get(new NDIndex(":, :{}", seqLen)), all.get(new NDIndex(":, 1:")));
    }
}
