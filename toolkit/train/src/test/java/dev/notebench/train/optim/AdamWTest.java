package dev.notebench.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.notebench.train.Losses;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static final ModelConfig TINY = ModelConfig.of("gpt", "n_layer", 2, "n_head", 2, "d_model", 32, "seq_len", 16);
    private static final double LR = 1e-2;
    private static final double WD = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.95;
    private static final double EPS = 1e-8;

    @Test
    void onTheCpuEachParameterFollowsTheFormulaInItsOwnMemoryAndItsGradientIsZeroed() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            try (LanguageModel model = ModelFamilies.get("gpt").create(TINY, 50, m);
                 AdamW opt = new AdamW(model.parameters(), model::decays, B1, B2, EPS, WD, m)) {
                backward(model, m, 0);
                opt.step(LR, 1.0);
                backward(model, m, 1);
                List<Parameter> ps = model.parameters();
                int n = ps.size();
                float[][] w = new float[n][];
                float[][] g = new float[n][];
                float[][] mean = new float[n][];
                float[][] var = new float[n][];
                NDList state = opt.state();
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    w[i] = ps.get(i).getArray().toFloatArray();
                    try (NDArray grad = ps.get(i).getArray().getGradient()) {
                        g[i] = grad.toFloatArray();
                    }
                    mean[i] = state.get(i).toFloatArray();
                    var[i] = state.get(n + i).toFloatArray();
                    for (float x : g[i]) {
                        squares += (double) x * x;
                    }
                }
                double clip = 0.5;
                float norm = opt.step(LR, clip);

                assertEquals(Math.sqrt(squares), norm, 1e-6 * norm);
                assertTrue(norm > clip, "the test clips: norm " + norm);
                float rescale = (float) (clip / (norm + 1e-6));
                float corr = (float) (LR * Math.sqrt(1 - Math.pow(B2, 2)) / (1 - Math.pow(B1, 2)));
                float b1 = (float) B1;
                float b2 = (float) B2;
                for (int i = 0; i < n; i++) {
                    float keep = model.decays(ps.get(i)) ? (float) (1 - LR * WD) : 1f;
                    float[] ew = new float[w[i].length];
                    float[] em = new float[w[i].length];
                    float[] ev = new float[w[i].length];
                    for (int j = 0; j < ew.length; j++) {
                        float gj = g[i][j] * rescale;
                        em[j] = mean[i][j] * b1 + gj * (1 - b1);
                        ev[j] = var[i][j] * b2 + gj * gj * (1 - b2);
                        ew[j] = w[i][j] * keep - corr * em[j] / ((float) Math.sqrt(ev[j]) + (float) EPS);
                    }
                    String name = ps.get(i).getName();
                    assertArrayEquals(ew, ps.get(i).getArray().toFloatArray(), name);
                    assertArrayEquals(em, state.get(i).toFloatArray(), name + " mean");
                    assertArrayEquals(ev, state.get(n + i).toFloatArray(), name + " variance");
                    try (NDArray grad = ps.get(i).getArray().getGradient()) {
                        assertArrayEquals(new float[ew.length], grad.toFloatArray(), name + " gradient");
                    }
                }
            }
        }
    }

    @Test
    void javaAndDjlUpdatesAgreeOverSeveralSteps() {
        float[] java = train(true);
        float[] djl = train(false);
        float worst = 0;
        for (int i = 0; i < java.length; i++) {
            worst = Math.max(worst, Math.abs(java[i] - djl[i]));
        }
        // the two round differently (PyTorch's kernels fuse some multiply-adds), and Adam divides
        // by sqrt(v), so rounding can move a weight by a small fraction of one step of lr
        assertTrue(worst < 0.01 * LR, "largest difference " + worst);
    }

    @Test
    void theKernelsResultsDoNotDependOnTheThreadCount() {
        int n = 200_003; // several blocks, and a ragged last chunk
        float[][] one = randomArrays(n);
        float[][] three = randomArrays(n);
        CpuAdamKernel.Constants c = new CpuAdamKernel.Constants(0.7f, 0.9f, 0.95f, 3e-3f, 1e-8f);
        double normOne;
        double normThree;
        try (CpuAdamKernel k1 = new CpuAdamKernel(1); CpuAdamKernel k3 = new CpuAdamKernel(3)) {
            normOne = k1.norm(List.of(FloatBuffer.wrap(one[3]), FloatBuffer.wrap(one[0])));
            normThree = k3.norm(List.of(FloatBuffer.wrap(three[3]), FloatBuffer.wrap(three[0])));
            k1.update(slots(one), c);
            k3.update(slots(three), c);
        }
        assertEquals(normOne, normThree);
        for (int a = 0; a < 4; a++) {
            assertArrayEquals(one[a], three[a]);
        }
        assertArrayEquals(new float[n], one[3]);
    }

    private static List<CpuAdamKernel.Slot> slots(float[][] a) {
        return List.of(new CpuAdamKernel.Slot(FloatBuffer.wrap(a[0]), FloatBuffer.wrap(a[1]), FloatBuffer.wrap(a[2]),
                FloatBuffer.wrap(a[3]), 0.999f));
    }

    /** Weights, means, variances (non-negative) and gradients, the same for the same n. */
    private static float[][] randomArrays(int n) {
        SplittableRandom r = new SplittableRandom(42);
        float[][] a = new float[4][n];
        for (int i = 0; i < n; i++) {
            a[0][i] = (float) r.nextGaussian() * 0.02f;
            a[1][i] = (float) r.nextGaussian() * 1e-3f;
            a[2][i] = (float) Math.abs(r.nextGaussian()) * 1e-6f;
            a[3][i] = (float) r.nextGaussian() * 1e-2f;
        }
        return a;
    }

    /** The weights after three steps from the same start, with the Java update or DJL's. */
    private static float[] train(boolean java) {
        String key = "notebench.train.javaAdamW";
        System.setProperty(key, Boolean.toString(java));
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            try (LanguageModel model = ModelFamilies.get("gpt").create(TINY, 50, m);
                 AdamW opt = new AdamW(model.parameters(), model::decays, B1, B2, EPS, WD, m)) {
                for (int step = 0; step < 3; step++) {
                    backward(model, m, step);
                    opt.step(LR, 1.0);
                }
                List<Float> all = new ArrayList<>();
                for (Parameter p : model.parameters()) {
                    for (float f : p.getArray().toFloatArray()) {
                        all.add(f);
                    }
                }
                float[] out = new float[all.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = all.get(i);
                }
                return out;
            }
        } finally {
            System.clearProperty(key);
        }
    }

    private static void backward(LanguageModel model, NDManager m, int seed) {
        try (NDManager step = m.newSubManager()) {
            long[] x = new long[4 * 16];
            long[] y = new long[4 * 16];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i * 7 + 3 + seed) % 50;
                y[i] = (i * 11 + 5 + 3 * seed) % 50;
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Losses.crossEntropy(model.forward(step.create(x, new Shape(4, 16)), true),
                        step.create(y, new Shape(4, 16))));
            }
        }
    }
}
