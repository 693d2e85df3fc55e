package dev.notebench.train.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.notebench.NotebenchException;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.model.ModelFamily;
import dev.notebench.train.model.NoGrad;
import dev.notebench.train.model.Tensors;
import dev.notebench.train.optim.AdamW;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LoRA on our own models: what trains, what stays, the merge, PEFT's initialization, and the errors. */
class LoraModelTest {
    private static final int VOCAB = 50;
    private static final long[] TOKENS = {1, 7, 3, 9, 22, 4, 0, 49};

    static LanguageModel model(String family, NDManager m) {
        ModelConfig c = family.equals("llama")
                ? ModelConfig.of("llama", "hidden_size", 32, "intermediate_size", 48, "num_hidden_layers", 2,
                        "num_attention_heads", 4, "num_key_value_heads", 2, "max_position_embeddings", 16,
                        "tie_word_embeddings", false)
                : ModelConfig.of("gpt", "d_model", 32, "n_layer", 2, "n_head", 4, "seq_len", 16, "dropout", 0.0);
        ModelFamily f = ModelFamilies.get(family);
        Engine.getInstance().setRandomSeed(7);
        return f.create(f.complete(c), VOCAB, m);
    }

    static float[] logits(LanguageModel model, NDManager m) {
        return NoGrad.run(() -> {
            try (NDManager step = m.newSubManager()) {
                return model.forward(step.create(TOKENS, new Shape(1, TOKENS.length)), false).toFloatArray();
            }
        });
    }

    /** Fills every B with N(0, 0.1), so that the adapters change the output. */
    static void randomB(LoraModel lora, long seed) {
        Random r = new Random(seed);
        NoGrad.run(() -> {
            for (String module : lora.modules()) {
                NDArray b = lora.b(module).getArray();
                float[] v = new float[(int) b.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.1);
                }
                try (NDManager s = b.getManager().newSubManager()) {
                    Tensors.copyInto(b, s.create(v, b.getShape()));
                }
            }
            return null;
        });
    }

    @Test
    void adaptersStartAsPeftDrawsThemSoTheAdaptedModelStartsAsTheBase() {
        try (NDManager m = NDManager.newBaseManager()) {
            LanguageModel base = model("llama", m);
            float[] before = logits(base, m);
            try (LoraModel lora = LoraModel.attach(base, LoraConfig.of(4, 8, 0, List.of("q_proj", "v_proj")), m)) {
                assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                        "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"), lora.modules());
                assertEquals(List.of("model.layers.0.self_attn.q_proj.lora_A.weight", "model.layers.0.self_attn.q_proj.lora_B.weight"),
                        lora.parameters().subList(0, 2).stream().map(Parameter::getName).toList());
                assertEquals(new Shape(4, 32), lora.a("model.layers.0.self_attn.v_proj").getArray().getShape());
                assertEquals(new Shape(16, 4), lora.b("model.layers.0.self_attn.v_proj").getArray().getShape()); // 2 kv heads of 8
                float[] a = lora.a("model.layers.0.self_attn.q_proj").getArray().toFloatArray();
                double bound = 1 / Math.sqrt(32);
                double max = 0;
                for (float x : a) {
                    max = Math.max(max, Math.abs(x));
                }
                assertTrue(max <= bound && max > 0.9 * bound, "A is U(-1/sqrt(in), 1/sqrt(in)): max |a| " + max);
                assertEquals(0f, lora.b("model.layers.0.self_attn.q_proj").getArray().abs().max().getFloat());
                assertArrayEquals(before, logits(lora, m), "B = 0: the base's logits, exactly");
                assertEquals(2 * (4 * 32 + 32 * 4 + 4 * 32 + 16 * 4), lora.parameterCount(), "two layers' q and v adapters");
            }
        }
    }

    @Test
    void trainingAdaptersChangesOnlyThemAndLeavesTheBaseBitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            LanguageModel base = model("gpt", m);
            Map<String, float[]> frozen = new LinkedHashMap<>();
            base.parameters().forEach(p -> frozen.put(p.getName(), p.getArray().toFloatArray()));
            try (LoraModel lora = LoraModel.attach(base, LoraConfig.of(2, 4, 0.1, List.of("c_attn", "c_fc")), m);
                 AdamW opt = new AdamW(lora.parameters(), lora::decays, 0.9, 0.95, 1e-8, 0.1, m)) {
                List<float[]> adapters = new ArrayList<>();
                lora.parameters().forEach(p -> adapters.add(p.getArray().toFloatArray()));
                for (int step = 0; step < 3; step++) {
                    try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = lora.forward(s.create(TOKENS, new Shape(1, TOKENS.length)), true);
                        gc.backward(logits.mean());
                    }
                    opt.step(1e-2, 1.0);
                }
                for (Parameter p : base.parameters()) {
                    assertArrayEquals(frozen.get(p.getName()), p.getArray().toFloatArray(), p.getName() + " unchanged");
                    assertFalse(requiresGrad(p.getArray()), p.getName() + " records no gradient");
                }
                for (int i = 0; i < adapters.size(); i++) {
                    assertFalse(java.util.Arrays.equals(adapters.get(i), lora.parameters().get(i).getArray().toFloatArray()),
                            lora.parameters().get(i).getName() + " trained");
                }
            }
        }
    }

    @Test
    void mergedWeightsComputeTheAdaptedModelsLogits() {
        for (String family : List.of("llama", "gpt")) {
            try (NDManager m = NDManager.newBaseManager()) {
                LanguageModel base = model(family, m);
                float[] plain = logits(base, m);
                LoraModel lora = LoraModel.attach(base, LoraConfig.of(4, 16, 0.05,
                        family.equals("gpt") ? List.of("c_attn", "c_proj") : List.of("q_proj", "o_proj", "down_proj", "lm_head")), m);
                randomB(lora, 3);
                float[] adapted = logits(lora, m);
                assertTrue(maxDiff(plain, adapted) > 1e-3, "the adapters change the logits");
                try (LanguageModel merged = lora.merge()) {
                    float[] folded = logits(merged, m);
                    assertTrue(maxDiff(adapted, folded) < 1e-5, family + ": merged = adapted, max diff " + maxDiff(adapted, folded));
                    assertTrue(requiresGrad(merged.parameters().get(0).getArray()), "the merged model trains in full");
                }
            }
        }
    }

    @Test
    void targetsThatMatchNoLayerAreOneErrorNamingTheLayers() {
        try (NDManager m = NDManager.newBaseManager()) {
            LanguageModel base = model("gpt", m);
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> LoraModel.attach(base, LoraConfig.of(4, 8, 0, List.of("q_proj", "v_proj")), m));
            assertEquals("LoRA targets q_proj,v_proj match no linear layer of this gpt model; its layers are named like"
                    + " transformer.h.0.attn.c_attn, transformer.h.0.attn.c_proj, transformer.h.0.mlp.c_fc, transformer.h.0.mlp.c_proj,"
                    + " ... (use the last part, e.g. --lora-targets c_attn)", e.getMessage());
            base.close();
        }
    }

    @Test
    void settingsOutsideTheirRangesAreRefused() {
        assertEquals("LoRA rank must be at least 1, got 0",
                assertThrows(NotebenchException.class, () -> LoraConfig.of(0, 8, 0, List.of("q_proj"))).getMessage());
        assertEquals("LoRA dropout must be in [0, 1), got 1.0",
                assertThrows(NotebenchException.class, () -> LoraConfig.of(8, 8, 1, List.of("q_proj"))).getMessage());
        assertEquals("LoRA targets must be module names such as q_proj,v_proj (llama) or c_attn (gpt), got [q_proj,  ]",
                assertThrows(NotebenchException.class, () -> LoraConfig.of(8, 8, 0, List.of("q_proj", " "))).getMessage());
        assertTrue(LoraConfig.of(8, 8, 0, List.of("q_proj")).targets("model.layers.3.self_attn.q_proj"));
        assertFalse(LoraConfig.of(8, 8, 0, List.of("proj")).targets("model.layers.3.self_attn.q_proj"));
        assertEquals(2.0, LoraConfig.of(8, 16, 0, List.of("q_proj")).scale());
    }

    private static boolean requiresGrad(NDArray a) {
        return ai.djl.pytorch.jni.JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) a);
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
