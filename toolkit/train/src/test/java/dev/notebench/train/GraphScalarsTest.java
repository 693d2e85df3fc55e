package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Constants multiplied into the autograd graph stay valid until the backward pass even when a
 * garbage collection frees Java direct memory in between (DJL's number operands live there).
 */
class GraphScalarsTest {
    private static final ModelConfig TINY = ModelConfig.of("gpt", "n_layer", 2, "n_head", 2, "d_model", 32, "seq_len", 16);

    @Test
    void gradientsAreTheSameWhenGarbageIsCollectedBetweenForwardAndBackward() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            try (LanguageModel model = ModelFamilies.get("gpt").create(TINY, 50, m)) {
                float[] quiet = gradients(model, m, false);
                float[] collected = gradients(model, m, true);
                assertTrue(norm(quiet) > 0, "the gradients are not all zero");
                assertArrayEquals(quiet, collected);
            }
        }
    }

    private static float[] gradients(LanguageModel model, NDManager m, boolean collectGarbage) throws InterruptedException {
        List<ByteBuffer> junk = List.of();
        try (NDManager step = m.newSubManager()) {
            long[] x = new long[4 * 16];
            long[] y = new long[4 * 16];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i * 7 + 3) % 50;
                y[i] = (i * 11 + 5) % 50;
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = Losses.crossEntropy(model.forward(step.create(x, new Shape(4, 16)), true),
                        step.create(y, new Shape(4, 16)));
                if (collectGarbage) {
                    junk = scribble();
                }
                gc.backward(l);
            }
            List<Float> all = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                try (NDArray g = p.getArray().getGradient()) {
                    for (float f : g.toFloatArray()) {
                        all.add(f);
                    }
                }
                JniUtils.zeroGrad((PtNDArray) p.getArray()); // as the optimizer does after its update
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            java.lang.ref.Reference.reachabilityFence(junk); // the scribbles stay until the gradients are read
            return out;
        }
    }

    /**
     * Collects garbage, waits for the cleaner to free unreachable direct buffers, and fills the
     * freed memory with new buffers of 0x7f bytes (3.4e38 as floats), as a busy JVM would reuse it.
     */
    private static List<ByteBuffer> scribble() throws InterruptedException {
        List<ByteBuffer> junk = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 4000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 16) * 4);
                while (b.hasRemaining()) {
                    b.put((byte) 0x7f);
                }
                junk.add(b);
            }
        }
        return junk;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f * f;
        }
        return Math.sqrt(s);
    }
}
