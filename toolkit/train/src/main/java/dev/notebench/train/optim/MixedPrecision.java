package dev.notebench.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.notebench.train.model.LanguageModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * fp16 mixed precision with fp32 master weights and dynamic loss scaling (Micikevicius et al.,
 * "Mixed Precision Training"). The model computes its forward and backward pass on fp16 copies of
 * its parameters; the parameters themselves stay fp32 and are what {@link AdamW} updates, what
 * checkpoints hold and what generation loads. The loss is multiplied by a scale before the
 * backward pass so that small gradients survive in fp16; {@link AdamW#step(double, double,
 * MixedPrecision)} divides it out, skips the update and halves the scale when a gradient
 * overflowed, and the scale doubles after {@value #GROWTH_INTERVAL} steps without overflow.
 *
 * <p>DJL casts arrays outside the autograd graph, so the copies are leaves of their own: their
 * gradients are read, converted to fp32 and applied to the masters, and the copies are refreshed
 * from the masters after each update.
 */
public final class MixedPrecision implements AutoCloseable {
    /** Steps without overflow before the scale doubles (as PyTorch's GradScaler). */
    public static final int GROWTH_INTERVAL = 2000;
    /** The first scale: 2^16. */
    public static final double INITIAL_SCALE = 65536;

    private final LanguageModel model;
    private final NDManager manager;
    private final List<Parameter> params;
    private final List<NDArray> copies = new ArrayList<>();
    private double scale = INITIAL_SCALE;
    private int goodSteps;
    private long overflows;

    /**
     * Makes fp16 copies of a model's parameters and has the model compute on them.
     *
     * @param model the model, whose parameters are fp32
     * @param parent the manager the copies' own manager hangs from
     */
    public MixedPrecision(LanguageModel model, NDManager parent) {
        this.model = model;
        this.manager = parent.newSubManager();
        this.params = List.copyOf(model.parameters());
        Map<Parameter, NDArray> map = new IdentityHashMap<>();
        for (Parameter p : params) {
            NDArray c = p.getArray().toType(DataType.FLOAT16, true);
            c.attach(manager);
            c.setRequiresGradient(true);
            copies.add(c);
            map.put(p, c);
        }
        try {
            model.workingCopies(map);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Returns the fp16 copies, in the order of the model's parameters. */
    public List<NDArray> copies() {
        return java.util.Collections.unmodifiableList(copies);
    }

    /** Returns the current loss scale. */
    public double scale() {
        return scale;
    }

    /** Returns how many steps in a row have had no overflow since the scale last changed. */
    public int goodSteps() {
        return goodSteps;
    }

    /** Returns how many steps were skipped because a gradient overflowed. */
    public long overflows() {
        return overflows;
    }

    /**
     * Restores the scaler's state from a checkpoint, so a resumed run scales as the uninterrupted one.
     *
     * @param scale the loss scale
     * @param goodSteps steps without overflow since it last changed
     */
    public void restore(double scale, int goodSteps) {
        this.scale = scale;
        this.goodSteps = goodSteps;
    }

    /**
     * Multiplies a loss by the scale, for the backward pass.
     *
     * @param loss the loss
     * @return the scaled loss
     */
    public NDArray scaleLoss(NDArray loss) {
        return loss.mul(dev.notebench.train.model.Scalars.like(loss, scale));
    }

    /** Refreshes every fp16 copy from its fp32 master, e.g. after a checkpoint was loaded. */
    public void refresh() {
        for (int i = 0; i < params.size(); i++) {
            refresh(i);
        }
    }

    NDArray copy(int i) {
        return copies.get(i);
    }

    void refresh(int i) {
        try (NDArray half = params.get(i).getArray().toType(DataType.FLOAT16, false)) {
            copies.get(i).set(new NDIndex(":"), half);
        }
    }

    void overflowed() {
        overflows++;
        goodSteps = 0;
        scale = Math.max(1, scale / 2);
    }

    void stepped() {
        if (++goodSteps >= GROWTH_INTERVAL) {
            goodSteps = 0;
            scale = Math.min(scale * 2, 1 << 24);
        }
    }

    /** Puts the model back on its own fp32 parameters and frees the copies. */
    @Override
    public void close() {
        model.workingCopies(Map.of());
        manager.close();
    }
}
