package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import java.util.List;

/**
 * One decoder's use of a compiled decode step ({@link DecodeScripts}): the arguments that stay the
 * same from step to step (weights, key/value caches, settings) made into IValues once, and each
 * step one call with the new tokens, their first position and any per-step tensors before them.
 * The module belongs to the model; the fixed arguments belong to this object.
 */
final class ScriptedStep implements AutoCloseable {
    private final TorchScriptModule module;
    private final String method;
    private IValue[] fixed = new IValue[0];

    /**
     * @param module the compiled steps ({@link DecodeScripts#SOURCE}), which the caller keeps open while this is used
     * @param method the method of this model's family
     */
    ScriptedStep(TorchScriptModule module, String method) {
        this.module = module;
        this.method = method;
    }

    /**
     * Sets the arguments after the per-step ones, closing those set before (when a cache grows,
     * for instance).
     *
     * @param arguments they now belong to this object
     */
    void fix(IValue... arguments) {
        close();
        fixed = arguments.clone();
    }

    /**
     * Runs one step.
     *
     * @param out the manager of the logits
     * @param tokens (B, t) int64 ids
     * @param offset the position of the first
     * @param perStep tensors passed between the offset and the fixed arguments
     * @return the logits after the last token, (B, vocab), in {@code out}
     */
    NDArray next(NDManager out, NDArray tokens, int offset, NDArray... perStep) {
        int own = 2 + perStep.length;
        IValue[] in = new IValue[own + fixed.length];
        try {
            in[0] = IValue.from((PtNDArray) tokens);
            in[1] = IValue.from((long) offset);
            for (int i = 0; i < perStep.length; i++) {
                in[2 + i] = IValue.from((PtNDArray) perStep[i]);
            }
            System.arraycopy(fixed, 0, in, own, fixed.length);
            return module.call(method, (PtNDManager) out, in);
        } finally {
            for (int i = 0; i < own; i++) {
                if (in[i] != null) {
                    in[i].close();
                }
            }
        }
    }

    /**
     * A TorchScript {@code List[Tensor]} of arrays, sharing their memory (what the module writes
     * into one of them, the array holds).
     *
     * @param arrays PyTorch arrays
     * @return the list, the caller's to close (or to {@link #fix})
     */
    static IValue tensors(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(PtNDArray.class::cast).toArray(PtNDArray[]::new));
    }

    @Override
    public void close() {
        for (IValue v : fixed) {
            v.close();
        }
        fixed = new IValue[0];
    }
}
