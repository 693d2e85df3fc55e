package dev.notebench.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.training.GradientCollector;
import dev.notebench.train.Losses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusedAttentionTest {
    private static final ModelConfig TINY = ModelConfig.of("gpt", "n_layer", 2, "n_head", 2, "d_model", 32, "seq_len", 16);

    @Test
    void theGptGivesTheSameLossAndGradientsWithFusedAndExplicitAttention() {
        Result fused = lossAndGradients(null);
        Result explicit = lossAndGradients("explicit");
        assertEquals(explicit.loss(), fused.loss(), 1e-6);
        assertEquals(explicit.gradients().size(), fused.gradients().size());
        float worst = 0;
        float largest = 0;
        for (int i = 0; i < fused.gradients().size(); i++) {
            float[] a = fused.gradients().get(i);
            float[] b = explicit.gradients().get(i);
            for (int j = 0; j < a.length; j++) {
                worst = Math.max(worst, Math.abs(a[j] - b[j]));
                largest = Math.max(largest, Math.abs(b[j]));
            }
        }
        assertTrue(largest > 1e-3, "the gradients are not all zero: " + largest);
        assertTrue(worst < 1e-6, "largest gradient difference " + worst + " (largest gradient " + largest + ")");
    }

    @Test
    void fusedAttentionMatchesTheExplicitFormOnAShorterSequenceWhereEachQuerySeesOnlyItsPast() {
        try (NDManager m = NDManager.newBaseManager(); FusedAttention f = FusedAttention.load((PtNDManager) m)) {
            Engine.getInstance().setRandomSeed(3);
            NDArray q = m.randomNormal(new Shape(1, 2, 5, 4));
            NDArray k = m.randomNormal(new Shape(1, 2, 5, 4));
            NDArray v = m.randomNormal(new Shape(1, 2, 5, 4));
            float[] got = f.apply(q, k, v, 0f).toFloatArray();
            float[] qs = q.toFloatArray();
            float[] ks = k.toFloatArray();
            float[] vs = v.toFloatArray();
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 5; i++) { // softmax over keys 0..i of q·k / sqrt(4), times v
                    double[] w = new double[i + 1];
                    double sum = 0;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int d = 0; d < 4; d++) {
                            dot += qs[(h * 5 + i) * 4 + d] * ks[(h * 5 + j) * 4 + d];
                        }
                        w[j] = Math.exp(dot / 2);
                        sum += w[j];
                    }
                    for (int d = 0; d < 4; d++) {
                        double y = 0;
                        for (int j = 0; j <= i; j++) {
                            y += w[j] / sum * vs[(h * 5 + j) * 4 + d];
                        }
                        assertEquals(y, got[(h * 5 + i) * 4 + d], 1e-5, "head " + h + ", query " + i + ", dim " + d);
                    }
                }
            }
        }
    }

    private record Result(float loss, List<float[]> gradients) {
    }

    private static Result lossAndGradients(String attention) {
        String key = "notebench.train.attention";
        if (attention != null) {
            System.setProperty(key, attention);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            try (LanguageModel model = ModelFamilies.get("gpt").create(TINY, 50, m);
                 NDManager step = m.newSubManager()) {
                assertEquals(attention == null, ((GptModel) model).usesFusedAttention());
                long[] x = new long[3 * 16];
                long[] y = new long[3 * 16];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (i * 7 + 3) % 50;
                    y[i] = (i * 11 + 5) % 50;
                }
                float loss;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = Losses.crossEntropy(model.forward(step.create(x, new Shape(3, 16)), true),
                            step.create(y, new Shape(3, 16)));
                    loss = l.getFloat();
                    gc.backward(l);
                }
                List<float[]> grads = new ArrayList<>();
                for (Parameter p : model.parameters()) {
                    try (NDArray g = p.getArray().getGradient()) {
                        grads.add(g.toFloatArray());
                    }
                }
                return new Result(loss, grads);
            }
        } finally {
            System.clearProperty(key);
        }
    }
}
