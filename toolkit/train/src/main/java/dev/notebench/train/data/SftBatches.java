package dev.notebench.train.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches of supervised fine-tuning examples ({@link SftExamples}), one example a row, padded
 * after its end to the batch's longest (as TRL's default, {@code packing=False}, and its collator
 * do): with causal attention a token never sees the padding after it, and examples never see each
 * other, which packing several into one window would need an attention mask per example for. The
 * mask keeps the targets that are completion tokens (TRL's labels other than -100). Training rows
 * are drawn from the seed and (step, micro-batch); the last {@code valFraction} of the examples
 * (at least one) are the validation split.
 */
public final class SftBatches implements Batches {
    private final List<SftExamples.Example> examples;
    private final int trainExamples;
    private final int batch;
    private final long seed;

    /**
     * Splits the examples.
     *
     * @param examples the examples, in the file's order
     * @param valFraction the share, at the end, kept for validation (at least one example)
     * @param batch examples per batch
     * @param seed the seed
     * @throws NotebenchException (DATA_INVALID) when fewer than two examples leave none to train on
     */
    public SftBatches(List<SftExamples.Example> examples, double valFraction, int batch, long seed) {
        this(examples, examples.size() - Math.max(1, (int) Math.floor(examples.size() * valFraction)), batch, seed);
        if (trainExamples < 1) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the fine-tuning data has " + examples.size()
                    + " rows: too few to keep " + (examples.size() - trainExamples) + " for validation and train on the rest");
        }
    }

    private SftBatches(List<SftExamples.Example> examples, int trainExamples, int batch, long seed) {
        this.examples = List.copyOf(examples);
        this.trainExamples = trainExamples;
        this.batch = batch;
        this.seed = seed;
    }

    /**
     * Every example as a validation row, none to train on: what {@code eval --file rows.jsonl} scores.
     *
     * @param examples the examples, in the file's order
     */
    public static SftBatches evaluation(List<SftExamples.Example> examples) {
        return new SftBatches(examples, 0, 1, 0);
    }

    /** Returns the validation examples, in the file's order. */
    public List<SftExamples.Example> validationExamples() {
        return examples.subList(trainExamples, examples.size());
    }

    /** Returns the number of training examples (the first ones). */
    public int trainExamples() {
        return trainExamples;
    }

    @Override
    public NDList train(NDManager manager, long step, int micro) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 1_000_003L + micro);
        int[] rows = new int[batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = r.nextInt(trainExamples);
        }
        return arrays(manager, rows);
    }

    @Override
    public long validationWindows() {
        return examples.size() - trainExamples;
    }

    @Override
    public NDList validation(NDManager manager, long first, int n) {
        int[] rows = new int[n];
        for (int b = 0; b < n; b++) {
            rows[b] = (int) (trainExamples + first + b);
        }
        return arrays(manager, rows);
    }

    private NDList arrays(NDManager manager, int[] rows) {
        int time = 1;
        for (int row : rows) {
            time = Math.max(time, examples.get(row).ids().length - 1);
        }
        long[] x = new long[rows.length * time];
        long[] y = new long[rows.length * time];
        float[] mask = new float[rows.length * time];
        for (int b = 0; b < rows.length; b++) {
            SftExamples.Example e = examples.get(rows[b]);
            for (int t = 0; t + 1 < e.ids().length; t++) {
                x[b * time + t] = e.ids()[t];
                y[b * time + t] = e.ids()[t + 1];
                mask[b * time + t] = e.trained()[t + 1] ? 1 : 0;
            }
        }
        Shape shape = new Shape(rows.length, time);
        return new NDList(manager.create(x, shape), manager.create(y, shape), manager.create(mask, shape));
    }
}
