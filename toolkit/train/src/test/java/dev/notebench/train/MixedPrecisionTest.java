package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.notebench.NotebenchException;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.optim.AdamW;
import dev.notebench.train.optim.MixedPrecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fp16 mixed precision, run on the CPU (slowly, but with the same arithmetic rules as a GPU). */
class MixedPrecisionTest {
    @TempDir
    Path tmp;

    private static final ModelConfig TINY = ModelConfig.of("gpt", "n_layer", 1, "n_head", 2, "d_model", 32, "seq_len", 16);

    private static NDList batch(NDManager m) {
        long[] x = new long[4 * 16];
        long[] y = new long[4 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7 + 3) % 50;
            y[i] = (i * 7 + 10) % 50;
        }
        return new NDList(m.create(x, new Shape(4, 16)), m.create(y, new Shape(4, 16)));
    }

    private static float[] grads(LanguageModel model, MixedPrecision mp, NDManager m) {
        NDList xy = batch(m);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = Losses.crossEntropy(model.forward(xy.get(0), true), xy.get(1));
            assertEquals(DataType.FLOAT32, l.getDataType(), "the loss is computed in fp32");
            gc.backward(mp == null ? l : mp.scaleLoss(l));
        }
        List<Float> all = new ArrayList<>();
        for (int i = 0; i < model.parameters().size(); i++) {
            Parameter p = model.parameters().get(i);
            NDArray g = (mp == null ? p.getArray() : copyOf(mp, model, i)).getGradient().toType(DataType.FLOAT32, false);
            if (mp != null) {
                g = g.div((float) mp.scale());
            }
            for (float f : g.toFloatArray()) {
                all.add(f);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    private static NDArray copyOf(MixedPrecision mp, LanguageModel model, int i) {
        return mp.copies().get(i);
    }

    @Test
    void fp16GradientsMatchFp32AndAnOverflowSkipsTheStepAndHalvesTheScale() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            LanguageModel model = ModelFamilies.get("gpt").create(TINY, 50, m);
            float[] exact = grads(model, null, m);
            for (Parameter p : model.parameters()) {
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p.getArray());
            }
            float[] before = model.parameters().get(2).getArray().toFloatArray();
            try (AdamW opt = new AdamW(model.parameters(), model::decays, 0.9, 0.95, 1e-8, 0.1, m);
                 MixedPrecision mp = new MixedPrecision(model, m)) {
                assertEquals(DataType.FLOAT16, mp.copies().get(0).getDataType());
                float[] half = grads(model, mp, m);
                double dot = 0;
                double a = 0;
                double b = 0;
                for (int i = 0; i < exact.length; i++) {
                    dot += exact[i] * half[i];
                    a += exact[i] * exact[i];
                    b += half[i] * half[i];
                }
                assertTrue(dot / Math.sqrt(a * b) > 0.999, "fp16 gradients point where fp32's do: cosine " + dot / Math.sqrt(a * b));
                assertEquals(Math.sqrt(a), Math.sqrt(b), Math.sqrt(a) * 0.01, "and have the same norm");

                // a scale so large that fp16 gradients overflow: the step is skipped, the scale halves
                for (int i = 0; i < mp.copies().size(); i++) {
                    ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) mp.copies().get(i));
                }
                mp.restore(Math.pow(2, 40), 5);
                grads(model, mp, m);
                float norm = opt.step(1e-3, 1.0, mp);
                assertFalse(Float.isFinite(norm));
                assertEquals(Math.pow(2, 39), mp.scale());
                assertEquals(0, mp.goodSteps());
                assertEquals(1, mp.overflows());
                assertEquals(0, opt.updates());
                assertArrayEquals(before, model.parameters().get(2).getArray().toFloatArray(), "nothing was updated");
                assertEquals(0f, mp.copies().get(2).getGradient().abs().sum().toType(DataType.FLOAT32, false).getFloat(),
                        "and the gradients were zeroed");

                // a sane scale: the fp32 master moves, the fp16 copy follows it
                mp.restore(MixedPrecision.INITIAL_SCALE, 0);
                grads(model, mp, m);
                norm = opt.step(1e-3, 1.0, mp);
                assertEquals(Math.sqrt(a), norm, Math.sqrt(a) * 0.01);
                assertEquals(1, mp.goodSteps());
                assertEquals(1, opt.updates());
                NDArray master = model.parameters().get(2).getArray();
                assertEquals(DataType.FLOAT32, master.getDataType());
                assertFalse(java.util.Arrays.equals(before, master.toFloatArray()));
                assertArrayEquals(master.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray(),
                        mp.copies().get(2).toType(DataType.FLOAT32, false).toFloatArray());
            }
            model.close();
        }
    }

    @Test
    void anFp16RunLearnsSavesFp32WeightsAndItsScaleAndResumesExactly() throws Exception {
        TrainRunTest.Losses whole = new TrainRunTest.Losses();
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "half").precision(Precision.FP16).steps(40).build()).listener(whole);
        assertEquals(RunState.COMPLETED, run.run().status());
        double first = whole.loss.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = whole.loss.subList(35, 40).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < first - 0.5, "loss fell from " + first + " to " + last);
        JsonObject state = RunDirectory.readJson(run.directory().resolve("checkpoints/step-00000039/state.json"), "state");
        assertEquals(MixedPrecision.INITIAL_SCALE, state.get("loss_scale").getAsDouble());
        assertEquals(40, state.get("loss_scale_good_steps").getAsInt());

        TrainRunTest.Losses first20 = new TrainRunTest.Losses();
        TrainRun part = TrainRun.create(TinyRuns.gpt(tmp, "half-parts").precision(Precision.FP16).steps(40).build());
        part.listener(first20).listener(new RunListener() {
            @Override
            public void step(Step s) {
                if (s.step() == 19) {
                    part.cancel();
                }
            }
        }).run();
        TrainRunTest.Losses rest = new TrainRunTest.Losses();
        TrainRun.open(part.directory()).listener(rest).run();
        List<Double> joined = new ArrayList<>(first20.loss);
        joined.addAll(rest.loss);
        assertEquals(whole.loss, joined, "bit for bit the same losses");
    }

    @Test
    void charLstmRefusesFp16WithOneClearError() throws Exception {
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> TrainRun.create(TinyRuns.lstm(tmp, "lstm16").precision(Precision.FP16).build()).run());
        assertEquals("char-lstm models train in fp32 only; fp16 mixed precision is implemented for gpt; use --precision fp32",
                e.getMessage());
    }
}
