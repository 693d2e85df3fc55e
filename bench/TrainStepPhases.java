import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.notebench.train.Losses;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.optim.AdamW;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Milliseconds of forward, backward and optimizer per training step of Notebench's GPT, as
 * TrainRun makes a step (fresh step manager, cross-entropy, backward, AdamW with clipping 1.0),
 * on random tokens. Prints one JSON line: medians over the steps after the first three.
 *
 *   java -cp CLI_CLASSPATH bench/TrainStepPhases.java THREADS STEPS N_LAYER N_HEAD D_MODEL SEQ_LEN BATCH VOCAB [TRACE]
 *
 * With TRACE, libtorch's profiler records the last three steps into that Chrome trace file
 * (bench/op-profile.py compares it with pytorch_gpt.py --trace). The Java AdamW computes outside
 * libtorch, so its time shows only in the optimizer phase, not in the trace.
 *
 * -Dnotebench.train.javaAdamW=false selects DJL's adamUpdate instead of the Java update.
 */
public class TrainStepPhases {
    /** glibc's allocator, tuned as TrainRun tunes it (NativeHeap): blocks up to 32 MiB on the heap, no trimming. */
    interface LibC extends Library {
        int mallopt(int param, int value);
    }

    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]);
        int steps = Integer.parseInt(a[1]);
        int nLayer = Integer.parseInt(a[2]);
        int nHead = Integer.parseInt(a[3]);
        int dModel = Integer.parseInt(a[4]);
        int seqLen = Integer.parseInt(a[5]);
        int batch = Integer.parseInt(a[6]);
        int vocab = Integer.parseInt(a[7]);
        String trace = a.length > 8 ? a[8] : null;
        LibC libc = Native.load("c", LibC.class);
        libc.mallopt(-3, 32 << 20);
        libc.mallopt(-1, Integer.MAX_VALUE);
        Engine engine = Engine.getInstance();
        JniUtils.setNumThreads(threads);
        double[] fwd = new double[steps];
        double[] bwd = new double[steps];
        double[] opt = new double[steps];
        try (NDManager root = NDManager.newBaseManager()) {
            engine.setRandomSeed(1337);
            ModelConfig config = ModelConfig.of("gpt", "n_layer", nLayer, "n_head", nHead, "d_model", dModel,
                    "seq_len", seqLen, "dropout", 0.0);
            try (LanguageModel model = ModelFamilies.get("gpt").create(config, vocab, root);
                 AdamW adamw = new AdamW(model.parameters(), model::decays, 0.9, 0.95, 1e-8, 0.1, root)) {
                SplittableRandom r = new SplittableRandom(1);
                for (int s = 0; s < steps; s++) {
                    if (trace != null && s == Math.max(0, steps - 3)) {
                        JniUtils.startProfile(false, true, false);
                    }
                    long t0;
                    long t1;
                    try (NDManager sm = root.newSubManager()) {
                        long[] x = new long[batch * seqLen];
                        long[] y = new long[batch * seqLen];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = r.nextInt(vocab);
                            y[i] = r.nextInt(vocab);
                        }
                        NDArray xs = sm.create(x, new Shape(batch, seqLen));
                        NDArray ys = sm.create(y, new Shape(batch, seqLen));
                        t0 = System.nanoTime(); // the data are left out, as in pytorch_gpt.py --profile
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray loss = Losses.crossEntropy(model.forward(xs, true), ys);
                            t1 = System.nanoTime();
                            gc.backward(loss);
                            loss.getFloat();
                        }
                    }
                    long t3 = System.nanoTime(); // closing the step's arrays is part of the backward phase
                    adamw.step(1e-3, 1.0);
                    long t4 = System.nanoTime();
                    if (trace != null && s == steps - 1) {
                        JniUtils.stopProfile(trace);
                    }
                    fwd[s] = (t1 - t0) / 1e6;
                    bwd[s] = (t3 - t1) / 1e6;
                    opt[s] = (t4 - t3) / 1e6;
                }
            }
        }
        boolean java = !"false".equals(System.getProperty("notebench.train.javaAdamW"));
        System.out.printf("{\"impl\": \"%s\", \"threads\": %d, \"phase_ms\": {\"forward\": %.2f, \"backward\": %.2f, "
                        + "\"optimizer\": %.2f}}%n", java ? "notebench" : "notebench-djl-adamupdate", threads,
                median(fwd), median(bwd), median(opt));
    }

    private static double median(double[] v) {
        double[] kept = Arrays.copyOfRange(v, Math.min(3, v.length - 1), v.length);
        Arrays.sort(kept);
        return kept[kept.length / 2];
    }
}
