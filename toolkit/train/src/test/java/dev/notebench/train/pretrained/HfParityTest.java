package dev.notebench.train.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.notebench.train.model.Gpt2Weights;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.NoGrad;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny random checkpoints made by transformers, with unusual but legal configurations, give
 * transformers' logits (within 1e-4 in fp32) on prompts of several lengths, and greedy generation
 * with our key/value cache gives transformers' {@code generate(do_sample=False)} tokens, 32 of them.
 */
class HfParityTest {
    private static final int NEW_TOKENS = 32;
    private static final int VOCAB = 97;
    private static final List<long[]> PROMPTS = List.of(new long[] {3}, new long[] {5, 9, 2, 44, 7},
            new long[] {11, 90, 23, 23, 64, 1, 0, 77, 31, 8, 52, 19, 4, 60, 33, 96, 2});
    @TempDir
    static Path out;

    @BeforeAll
    static void makeCheckpoints() throws Exception {
        List<HfCausalLm.Case> cases = new ArrayList<>();
        cases.add(llamaLike("llama-gqa-headdim-llama3-untied", "llama", 1, "num_key_value_heads", 2, "head_dim", 12,
                "tie_word_embeddings", false, "attention_bias", true, "mlp_bias", true, "rope_theta", 500000.0,
                "rope_scaling", Map.of("rope_type", "llama3", "factor", 8.0, "low_freq_factor", 1.0, "high_freq_factor", 4.0,
                        "original_max_position_embeddings", 16)));
        cases.add(llamaLike("llama-mha-tied", "llama", 2, "hidden_size", 24, "num_attention_heads", 3, "num_key_value_heads", 3,
                "tie_word_embeddings", true));
        cases.add(llamaLike("mistral-one-kv-head-window-8", "mistral", 3, "num_key_value_heads", 1, "sliding_window", 8));
        cases.add(llamaLike("qwen2-gqa-tied", "qwen2", 4, "num_key_value_heads", 2, "tie_word_embeddings", true));
        cases.add(llamaLike("qwen3-gqa-headdim-linear-rope", "qwen3", 5, "num_key_value_heads", 2, "head_dim", 16,
                "tie_word_embeddings", false, "rope_theta", 1000000.0, "rope_scaling", Map.of("rope_type", "linear", "factor", 2.0)));
        cases.add(new HfCausalLm.Case("gpt2", "gpt2", Map.of("vocab_size", VOCAB, "n_embd", 32, "n_layer", 2, "n_head", 4,
                "n_positions", 64, "initializer_range", 0.1), 6, PROMPTS));
        HfCausalLm.make(out, NEW_TOKENS, cases);
    }

    /** A tiny LLaMA-family case: hidden 32, 4 heads, 2 layers, MLP 48, init N(0, 0.1), and the overrides. */
    private static HfCausalLm.Case llamaLike(String name, String type, long seed, Object... overrides) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("vocab_size", VOCAB);
        c.put("hidden_size", 32);
        c.put("intermediate_size", 48);
        c.put("num_hidden_layers", 2);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 4);
        c.put("max_position_embeddings", 128);
        c.put("initializer_range", 0.1);
        for (int i = 0; i < overrides.length; i += 2) {
            c.put((String) overrides[i], overrides[i + 1]);
        }
        return new HfCausalLm.Case(name, type, c, seed, PROMPTS);
    }

    @Test
    void llamaWithGroupedQueriesAWideHeadLlama3RopeScalingBiasesAndAnUntiedHeadMatchesTransformers() throws Exception {
        assertLlamaMatches("llama-gqa-headdim-llama3-untied");
    }

    @Test
    void llamaWithOneKeyValueHeadPerQueryHeadAndTiedEmbeddingsMatchesTransformers() throws Exception {
        assertLlamaMatches("llama-mha-tied");
    }

    @Test
    void mistralWithOneKeyValueHeadAndASlidingWindowShorterThanTheSequenceMatchesTransformers() throws Exception {
        assertLlamaMatches("mistral-one-kv-head-window-8");
    }

    @Test
    void qwen2WithQkvBiasesGroupedQueriesAndTiedEmbeddingsMatchesTransformers() throws Exception {
        assertLlamaMatches("qwen2-gqa-tied");
    }

    @Test
    void qwen3WithPerHeadQkNormAWideHeadAndLinearRopeScalingMatchesTransformers() throws Exception {
        assertLlamaMatches("qwen3-gqa-headdim-linear-rope");
    }

    @Test
    void gpt2WeightsWithTheirConv1dLayoutAndTanhGeluMatchTransformers() throws Exception {
        Path dir = out.resolve("gpt2");
        assertEquals("gelu_new", Gpt2Weights.fromHuggingFace(HfCausalLm.json(dir.resolve("config.json"))).values().get("activation"));
        assertMatches(dir, "gpt");
    }

    private static void assertLlamaMatches(String name) throws Exception {
        assertMatches(out.resolve(name), "llama");
    }

    private static void assertMatches(Path dir, String family) throws Exception {
        try (NDManager m = NDManager.newBaseManager(); LanguageModel model = HfCheckpoints.loadModel(dir, m)) {
            assertEquals(family, model.family());
            @SuppressWarnings("unchecked")
            List<List<Double>> generated = (List<List<Double>>) HfCausalLm.json(dir.resolve("reference.json")).get("generated");
            for (int i = 0; i < PROMPTS.size(); i++) {
                long[] prompt = PROMPTS.get(i);
                int prompted = i;
                float[] want = HfCausalLm.tensor(dir.resolve("reference.safetensors"), "logits." + i);
                float[] got = NoGrad.run(() -> model.forward(m.create(prompt, new Shape(1, prompt.length)), false).toFloatArray());
                assertEquals(want.length, got.length);
                float worst = 0;
                for (int j = 0; j < want.length; j++) {
                    worst = Math.max(worst, Math.abs(want[j] - got[j]));
                }
                assertTrue(worst <= 1e-4, "prompt " + i + ": largest logit difference " + worst);
                long[] wantTokens = generated.get(i).stream().mapToLong(Double::longValue).toArray();
                assertArrayEquals(wantTokens, NoGrad.run(() -> greedy(model, PROMPTS.get(prompted), m)), "prompt " + i);
            }
        }
    }

    /** Greedy decoding with the model's key/value cache: the prompt, then one token a step. */
    private static long[] greedy(LanguageModel model, long[] prompt, NDManager m) {
        long[] out = new long[NEW_TOKENS];
        try (NDManager own = m.newSubManager(); LanguageModel.Decoder d = model.decoder(1)) {
            NDArray logits = d.next(own.create(prompt, new Shape(1, prompt.length)));
            for (int i = 0; i < NEW_TOKENS; i++) {
                out[i] = logits.argMax(-1).toLongArray()[0];
                logits = d.next(own.create(new long[] {out[i]}, new Shape(1, 1)));
            }
        }
        return out;
    }
}
