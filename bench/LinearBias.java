import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * Two ways to compute a biased projection of a (B, T, in) activation with DJL, forward and
 * backward, over the four projections of a moby-char GPT block (batch 8, seq_len 256, d_model
 * 384): DJL's linear on the 3-D array (libtorch's C++ functional linear: a matrix product, then
 * the bias added in place) against the same on a (B·T, in) view (one addmm, as PyTorch's own
 * linear does for contiguous 3-D input). Rounds alternate the order; the first is warm-up.
 *
 * <pre>java -Dai.djl.offline=true -cp "cli/target/notebench-cli.jar:cli/target/lib/*" bench/LinearBias.java THREADS ROUNDS</pre>
 */
public final class LinearBias {
    private static final long[][] IN_OUT = {{384, 1152}, {384, 384}, {384, 1536}, {1536, 384}};

    public static void main(String[] args) {
        Engine engine = Engine.getInstance();
        JniUtils.setNumThreads(Integer.parseInt(args[0]));
        int rounds = Integer.parseInt(args[1]);
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray input = root.randomNormal(new Shape(8, 256, 1536));
            NDArray[] w = new NDArray[IN_OUT.length];
            NDArray[] b = new NDArray[IN_OUT.length];
            for (int i = 0; i < IN_OUT.length; i++) {
                w[i] = root.randomNormal(new Shape(IN_OUT[i][1], IN_OUT[i][0]));
                b[i] = root.randomNormal(new Shape(IN_OUT[i][1]));
                w[i].setRequiresGradient(true);
                b[i].setRequiresGradient(true);
            }
            double[] ms = new double[2];
            for (int r = 0; r < rounds; r++) {
                for (int flat : r % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                    long t0 = System.nanoTime();
                    for (int rep = 0; rep < 6; rep++) {
                        try (NDManager step = root.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                            NDArray loss = null;
                            for (int i = 0; i < IN_OUT.length; i++) {
                                NDArray x = input.get(":, :, :" + IN_OUT[i][0]);
                                x.attach(step);
                                x = x.duplicate();
                                x.setRequiresGradient(true);
                                NDArray y;
                                if (flat == 0) {
                                    y = x.getNDArrayInternal().linear(x, w[i], b[i]).singletonOrThrow();
                                } else {
                                    NDArray f = x.reshape(8 * 256, IN_OUT[i][0]);
                                    y = f.getNDArrayInternal().linear(f, w[i], b[i]).singletonOrThrow()
                                            .reshape(8, 256, IN_OUT[i][1]);
                                }
                                NDArray s = y.mul(y).sum();
                                loss = loss == null ? s : loss.add(s);
                            }
                            gc.backward(loss);
                        }
                    }
                    if (r > 0) {
                        ms[flat] += (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            System.out.printf("{\"threads\": %s, \"linear_3d_ms\": %.1f, \"addmm_flat_ms\": %.1f, \"ratio\": %.3f}%n",
                    args[0], ms[0], ms[1], ms[1] / ms[0]);
        }
    }
}
