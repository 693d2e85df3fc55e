package dev.notebench.train.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.notebench.NotebenchException;
import dev.notebench.train.pretrained.HfCausalLm;
import dev.notebench.train.pretrained.HfCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our adapters are PEFT's: tiny random checkpoints made by transformers, adapters with random B
 * saved by us and loaded by {@code PeftModel.from_pretrained} give our logits, and adapters PEFT
 * saved, loaded by us, give PEFT's logits, within 1e-4 (src/test/python/peft_lora.py).
 */
class PeftParityTest {
    private static final List<long[]> PROMPTS = List.of(new long[] {3}, new long[] {5, 9, 2, 44, 7, 60, 1, 88, 13});
    private static final Map<String, LoraConfig> LORA = new LinkedHashMap<>();
    private static final Map<String, List<float[]>> OURS = new LinkedHashMap<>();
    @TempDir
    static Path out;

    @BeforeAll
    static void makeModelsAndAdapters() throws Exception {
        LORA.put("llama-gqa-untied", LoraConfig.of(4, 8, 0.05, List.of("down_proj", "q_proj", "v_proj")));
        LORA.put("gpt2", LoraConfig.of(2, 16, 0, List.of("c_attn", "c_fc")));
        List<Map<String, Object>> spec = List.of(
                spec("llama-gqa-untied", "llama", 1, Map.of("vocab_size", 97, "hidden_size", 32, "intermediate_size", 48,
                        "num_hidden_layers", 2, "num_attention_heads", 4, "num_key_value_heads", 2, "max_position_embeddings", 64,
                        "initializer_range", 0.1, "tie_word_embeddings", false)),
                spec("gpt2", "gpt2", 2, Map.of("vocab_size", 97, "n_embd", 32, "n_layer", 2, "n_head", 4, "n_positions", 64,
                        "initializer_range", 0.1)));
        Path specFile = out.resolve("spec.json");
        Files.writeString(specFile, new Gson().toJson(spec));
        HfCausalLm.runScript("peft_lora.py", out.resolve("make.log"), "make", specFile.toString(), out.toString());
        long seed = 11;
        for (Map.Entry<String, LoraConfig> c : LORA.entrySet()) {
            Path dir = out.resolve(c.getKey());
            try (NDManager m = NDManager.newBaseManager();
                 LoraModel lora = LoraModel.attach(HfCheckpoints.loadModel(dir.resolve("base"), m), c.getValue(), m)) {
                LoraModelTest.randomB(lora, seed++);
                PeftAdapters.save(lora, dir.resolve("ours"), "tiny/" + c.getKey());
                OURS.put(c.getKey(), PROMPTS.stream().map(p -> logits(lora, m, p)).toList());
            }
        }
        HfCausalLm.runScript("peft_lora.py", out.resolve("check.log"), "check", specFile.toString(), out.toString());
    }

    private static Map<String, Object> spec(String name, String type, long seed, Map<String, Object> config) {
        LoraConfig l = LORA.get(name);
        return Map.of("name", name, "model_type", type, "config", config, "seed", seed, "prompts", PROMPTS,
                "lora", Map.of("r", l.rank(), "alpha", l.alpha(), "targets", l.targets()));
    }

    private static float[] logits(LoraModel model, NDManager m, long[] prompt) {
        return dev.notebench.train.model.NoGrad.run(() -> {
            try (NDManager step = m.newSubManager()) {
                return model.forward(step.create(prompt, new ai.djl.ndarray.types.Shape(1, prompt.length)), false).toFloatArray();
            }
        });
    }

    private static void assertClose(List<float[]> expected, List<float[]> actual, String what) {
        for (int i = 0; i < expected.size(); i++) {
            double d = LoraModelTest.maxDiff(expected.get(i), actual.get(i));
            assertTrue(d < 1e-4, what + ", prompt " + i + ": max |difference| " + d);
        }
    }

    private static List<float[]> reference(Path file) {
        return java.util.stream.IntStream.range(0, PROMPTS.size()).mapToObj(i -> HfCausalLm.tensor(file, "logits." + i)).toList();
    }

    @Test
    void peftLoadsOurLlamaAdaptersAndComputesOurLogits() {
        assertClose(reference(out.resolve("llama-gqa-untied/ours_logits.safetensors")), OURS.get("llama-gqa-untied"), "llama");
    }

    @Test
    void peftLoadsOurGpt2AdaptersOnItsConv1DLayersAndComputesOurLogits() {
        assertClose(reference(out.resolve("gpt2/ours_logits.safetensors")), OURS.get("gpt2"), "gpt2");
    }

    @Test
    void adaptersPeftSavedLoadHereAndComputePeftsLogits() {
        for (String name : LORA.keySet()) {
            Path dir = out.resolve(name);
            try (NDManager m = NDManager.newBaseManager();
                 LoraModel lora = PeftAdapters.load(HfCheckpoints.loadModel(dir.resolve("base"), m), dir.resolve("peft"), m)) {
                assertEquals(LORA.get(name).targets(), lora.lora().targets());
                assertEquals(LORA.get(name).rank(), lora.lora().rank());
                assertClose(reference(dir.resolve("peft_logits.safetensors")), PROMPTS.stream().map(p -> logits(lora, m, p)).toList(),
                        name + " with PEFT's adapters");
            }
        }
    }

    @Test
    void adapterConfigSaysWhatPeftReads() throws Exception {
        Map<String, Object> c = new Gson().fromJson(Files.readString(out.resolve("gpt2/ours/adapter_config.json")),
                new TypeToken<Map<String, Object>>() { }.getType());
        assertEquals("LORA", c.get("peft_type"));
        assertEquals("CAUSAL_LM", c.get("task_type"));
        assertEquals("tiny/gpt2", c.get("base_model_name_or_path"));
        assertEquals(2.0, c.get("r"));
        assertEquals(16.0, c.get("lora_alpha"));
        assertEquals(List.of("c_attn", "c_fc"), c.get("target_modules"));
        assertEquals(true, c.get("fan_in_fan_out"));
        assertEquals("none", c.get("bias"));
    }

    @Test
    void adaptersOfAnotherBaseAreOneErrorNamingWhatDoesNotFit() {
        try (NDManager m = NDManager.newBaseManager()) {
            NotebenchException e = org.junit.jupiter.api.Assertions.assertThrows(NotebenchException.class, () -> PeftAdapters.load(
                    HfCheckpoints.loadModel(out.resolve("gpt2/base"), m), out.resolve("llama-gqa-untied/peft"), m));
            assertEquals("LoRA targets down_proj,q_proj,v_proj match no linear layer of this gpt model; its layers are named like"
                    + " transformer.h.0.attn.c_attn, transformer.h.0.attn.c_proj, transformer.h.0.mlp.c_fc, transformer.h.0.mlp.c_proj,"
                    + " ... (use the last part, e.g. --lora-targets c_attn)", e.getMessage());
        }
    }
}
