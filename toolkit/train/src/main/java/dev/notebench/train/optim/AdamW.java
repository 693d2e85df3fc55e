package dev.notebench.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import dev.notebench.train.model.Tensors;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov &amp; Hutter) with decoupled weight decay applied only to the parameters a
 * predicate selects (DJL's own AdamW decays everything) and global-norm gradient clipping; each
 * step also zeroes the gradients. Owns its moment arrays, which are saved and restored with
 * checkpoints so a resumed run continues exactly.
 *
 * <p>fp32 parameters in CPU memory are updated in Java, directly in the tensors' memory, one pass
 * over each parameter where PyTorch's default CPU AdamW makes eight ({@link CpuAdamKernel});
 * parameters on a GPU and fp16 training use DJL's fused per-parameter update, with the same
 * arithmetic. The system property
 * {@code notebench.train.javaAdamW=false} selects DJL's update on the CPU too (for comparisons).
 *
 * <pre>{@code
 * AdamW opt = new AdamW(model.parameters(), model::decays, 0.9, 0.95, 1e-8, 0.1, manager);
 * float norm = opt.step(lr, 1.0f);   // clip to global norm 1.0, update, zero gradients
 * }</pre>
 */
public final class AdamW implements OptimizerState, AutoCloseable {
    private final List<Parameter> params;
    private final boolean[] decay;
    private final NDArray[] mean;
    private final NDArray[] variance;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private long t;
    private final boolean inCpuMemory;
    private CpuAdamKernel kernel;

    /**
     * Creates the optimizer with zero moments.
     *
     * @param params the parameters to update
     * @param decays which of them get weight decay
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param eps the denominator's epsilon
     * @param weightDecay the decoupled weight decay
     * @param manager owns the moments
     */
    public AdamW(List<Parameter> params, Predicate<Parameter> decays, double beta1, double beta2, double eps,
                 double weightDecay, NDManager manager) {
        this.params = List.copyOf(params);
        this.decay = new boolean[params.size()];
        this.mean = new NDArray[params.size()];
        this.variance = new NDArray[params.size()];
        this.manager = manager.newSubManager();
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            decay[i] = decays.test(params.get(i));
            mean[i] = this.manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
            variance[i] = this.manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.inCpuMemory = inCpuMemory(this.params);
    }

    /** Returns how many updates were made. */
    @Override
    public long updates() {
        return t;
    }

    /**
     * Clips fp16 gradients of mixed-precision copies to a global norm (after dividing out the loss
     * scale) and updates the fp32 parameters with them, refreshing the copies and zeroing their
     * gradients; when a gradient overflowed it updates nothing and lowers the scale.
     *
     * @param lr the learning rate
     * @param clip the largest global gradient norm (0 or less: no clipping)
     * @param mp the copies and the loss scaler
     * @return the global gradient norm before clipping, or a non-finite value when the step was
     *     skipped because of an overflow
     */
    public float step(double lr, double clip, MixedPrecision mp) {
        try (NDManager m = manager.newSubManager()) {
            NDArray[] grads = new NDArray[params.size()];
            NDList norms = new NDList(params.size());
            for (int i = 0; i < params.size(); i++) {
                NDArray g16 = mp.copy(i).getGradient();
                g16.attach(m);
                grads[i] = g16.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                grads[i].attach(m);
                norms.add(grads[i].norm());
            }
            float norm = (float) (NDArrays.norm(norms) / mp.scale());
            if (!Float.isFinite(norm)) {
                mp.overflowed();
                for (int i = 0; i < params.size(); i++) {
                    ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) mp.copy(i));
                }
                return norm;
            }
            float rescale = (float) ((clip > 0 && norm > clip ? clip / (norm + 1e-6) : 1) / mp.scale());
            t++;
            double correction = correction(lr);
            for (int i = 0; i < params.size(); i++) {
                update(i, grads[i], mp.copy(i), lr, correction, rescale); // the fp32 master from the fp32 gradient
                mp.refresh(i);
            }
            mp.stepped();
            return norm;
        }
    }

    /**
     * Returns the global L2 norm of the gradients.
     */
    public float gradNorm() {
        if (inCpuMemory) {
            try (NDManager m = manager.newSubManager()) {
                return (float) kernel().norm(gradients(m));
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDList norms = new NDList(params.size());
            for (Parameter p : params) {
                NDArray g = p.getArray().getGradient();
                g.attach(m); // so that everything computed from it is freed with m
                norms.add(g.norm()); // one pass, no temporary (square().sum() makes a gradient-sized one)
            }
            return NDArrays.norm(norms);
        }
    }

    /**
     * Clips the gradients to a global norm, updates every parameter and zeroes the gradients.
     *
     * @param lr the learning rate
     * @param clip the largest global gradient norm (0 or less: no clipping)
     * @return the global gradient norm before clipping
     */
    public float step(double lr, double clip) {
        if (inCpuMemory) {
            return stepInJava(lr, clip);
        }
        float norm = gradNorm();
        float rescale = rescale(norm, clip);
        t++;
        double correction = correction(lr);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            try (NDArray g = w.getGradient()) {
                update(i, g, w, lr, correction, rescale);
            }
        }
        return norm;
    }

    /**
     * Whether every parameter, moment and gradient is an fp32 PyTorch tensor in CPU memory, whose
     * memory Java can update directly. Parameters are created contiguous, moments too, and
     * PyTorch keeps a leaf's gradient in its parameter's layout.
     */
    private static boolean inCpuMemory(List<Parameter> params) {
        boolean all = !params.isEmpty();
        for (Parameter p : params) {
            NDArray w = p.getArray();
            all &= Device.Type.CPU.equals(w.getDevice().getDeviceType()) && w.getDataType() == DataType.FLOAT32
                    && "PyTorch".equals(w.getManager().getEngine().getEngineName());
        }
        return all && !"false".equals(System.getProperty("notebench.train.javaAdamW"));
    }

    /**
     * {@link #step(double, double)} for parameters in CPU memory: the norm and then the update of
     * {@link #update} for all parameters at once, each in one pass (see {@link CpuAdamKernel}).
     */
    private float stepInJava(double lr, double clip) {
        CpuAdamKernel k = kernel();
        try (NDManager m = manager.newSubManager()) {
            List<FloatBuffer> grads = gradients(m);
            float norm = (float) k.norm(grads);
            float rescale = rescale(norm, clip);
            t++;
            double correction = correction(lr);
            List<CpuAdamKernel.Slot> slots = new ArrayList<>(params.size());
            for (int i = 0; i < params.size(); i++) {
                slots.add(new CpuAdamKernel.Slot(floats(params.get(i).getArray()), floats(mean[i]), floats(variance[i]),
                        grads.get(i), keep(i, lr)));
            }
            k.update(slots, new CpuAdamKernel.Constants(rescale, (float) beta1, (float) beta2, (float) correction,
                    (float) eps));
            return norm;
        }
    }

    /** The gradients' memory, their handles attached to m. */
    private List<FloatBuffer> gradients(NDManager m) {
        List<FloatBuffer> grads = new ArrayList<>(params.size());
        for (Parameter p : params) {
            NDArray g = p.getArray().getGradient();
            g.attach(m);
            grads.add(floats(g));
        }
        return grads;
    }

    /** The Java kernel, with as many threads as PyTorch's operators use. */
    private CpuAdamKernel kernel() {
        int threads = Math.max(1, JniUtils.getNumThreads());
        if (kernel == null || kernel.threads() != threads) {
            if (kernel != null) {
                kernel.close();
            }
            kernel = new CpuAdamKernel(threads);
        }
        return kernel;
    }

    /** The decoupled decay factor of parameter i: 1 - lr·wd, or 1 where it does not decay. */
    private float keep(int i, double lr) {
        return decay[i] && weightDecay > 0 ? (float) (1 - lr * weightDecay) : 1f;
    }

    private static float rescale(float norm, double clip) {
        return clip > 0 && norm > clip ? (float) (clip / (norm + 1e-6)) : 1f;
    }

    /** The learning rate times both bias corrections, for update t. */
    private double correction(double lr) {
        return lr * StrictMath.sqrt(1 - StrictMath.pow(beta2, t)) / (1 - StrictMath.pow(beta1, t));
    }

    /** The tensor's own memory (a direct buffer over it, not a copy). */
    private static FloatBuffer floats(NDArray a) {
        return a.toByteBuffer(true).asFloatBuffer();
    }

    /**
     * Updates parameter i from a gradient and zeroes the gradient of {@code owner}. The decoupled
     * decay is applied first, as {@code w *= 1 - lr * wd} like PyTorch's AdamW (one pass; DJL's
     * "adamw" mode computes it in three with two temporaries), then DJL's fused Adam step without
     * decay.
     */
    private void update(int i, NDArray grad, NDArray owner, double lr, double correction, float rescale) {
        NDArray w = params.get(i).getArray();
        float keep = keep(i, lr);
        if (keep != 1f) {
            w.muli(keep);
        }
        w.getNDArrayInternal().adamUpdate(new NDList(w, grad, mean[i], variance[i]), new NDList(owner),
                (float) lr, (float) correction, 0f, rescale, -1f, (float) beta1, (float) beta2, (float) eps, false, false);
    }

    /** Returns the moments, first all means then all variances, in parameter order (for checkpoints). */
    @Override
    public NDList state() {
        NDList s = new NDList();
        for (NDArray m : mean) {
            s.add(m);
        }
        for (NDArray v : variance) {
            s.add(v);
        }
        return s;
    }

    /**
     * Restores moments and the update count saved by {@link #state()}.
     *
     * @param saved the moments
     * @param updates the update count
     */
    @Override
    public void restore(NDList saved, long updates) {
        if (saved.size() != 2 * params.size()) {
            throw new IllegalArgumentException("optimizer state has " + saved.size() + " arrays, expected " + 2 * params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            Tensors.copyInto(mean[i], saved.get(i));
            Tensors.copyInto(variance[i], saved.get(params.size() + i));
        }
        this.t = updates;
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
        manager.close();
    }

    /** Small helpers over lists of arrays. */
    static final class NDArrays {
        private NDArrays() {
        }

        /** The L2 norm of the concatenation of arrays, given the L2 norm of each. */
        static float norm(NDList norms) {
            if (norms.isEmpty()) {
                return 0;
            }
            NDArray all = norms.size() == 1 ? norms.head() : ai.djl.ndarray.NDArrays.stack(norms);
            return all.norm().getFloat();
        }
    }
}
