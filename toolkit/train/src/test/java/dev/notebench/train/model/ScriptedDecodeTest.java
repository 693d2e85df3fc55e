package dev.notebench.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compiled decode step ({@link DecodeScripts}) gives the op-by-op decoder's logits (within
 * 1e-5 in fp32) at every step of a generation: a prompt, several tokens fed at once after cached
 * ones, single tokens, and refills of the cache when the context is full, for the gpt family and
 * each llama-family variant; LoRA-style adapters make the decoder go op by op.
 */
class ScriptedDecodeTest {
    private static final int VOCAB = 41;
    /** What is fed, step by step, to a model with a context of 16: refills at the 11th and at the 20th feed. */
    private static final List<long[]> FEEDS = feeds();

    private static List<long[]> feeds() {
        List<long[]> f = new ArrayList<>();
        f.add(new long[] {3, 17, 40, 0, 9});
        f.add(new long[] {22, 5, 31});
        for (int i = 0; i < 7; i++) {
            f.add(new long[] {(i * 13 + 7) % VOCAB});
        }
        f.add(new long[] {8, 1, 36}); // 15 cached + 3 > 16: a refill with these three at its end
        for (int i = 0; i < 10; i++) {
            f.add(new long[] {(i * 29 + 2) % VOCAB});
        }
        return List.copyOf(f);
    }

    @Test
    void gptWithBiasesAndTanhGeluDecodesAsOpByOp() {
        assertScriptedMatchesOpByOp(ModelConfig.of("gpt", "n_layer", 2, "n_head", 4, "d_model", 32, "seq_len", 16,
                "activation", "gelu_new"));
    }

    @Test
    void gptWithoutBiasesAndExactGeluDecodesAsOpByOp() {
        assertScriptedMatchesOpByOp(ModelConfig.of("gpt", "n_layer", 2, "n_head", 2, "d_model", 16, "seq_len", 16,
                "bias", false));
    }

    @Test
    void llamaWithGroupedQueriesAWideHeadBiasesLlama3RopeAndAnUntiedHeadDecodesAsOpByOp() {
        assertScriptedMatchesOpByOp(llama("llama", "num_key_value_heads", 2, "head_dim", 12, "attention_bias", true,
                "mlp_bias", true, "rope_theta", 500000.0, "rope_scaling.rope_type", "llama3", "rope_scaling.factor", 8.0,
                "rope_scaling.original_max_position_embeddings", 8));
    }

    @Test
    void llamaWithOneKeyValueHeadPerQueryHeadAndTiedEmbeddingsDecodesAsOpByOp() {
        assertScriptedMatchesOpByOp(llama("llama", "tie_word_embeddings", true));
    }

    @Test
    void mistralWithOneKeyValueHeadAndASlidingWindowOfFiveDecodesAsOpByOp() {
        assertScriptedMatchesOpByOp(llama("mistral", "num_key_value_heads", 1, "sliding_window", 5));
    }

    @Test
    void qwen2WithQkvBiasesAndASlidingWindowFromTheSecondLayerOnDecodesAsOpByOp() {
        assertScriptedMatchesOpByOp(llama("qwen2", "num_key_value_heads", 2, "tie_word_embeddings", true,
                "use_sliding_window", true, "sliding_window", 6, "max_window_layers", 1));
    }

    @Test
    void qwen3WithPerHeadQkNormAndAWideHeadDecodesAsOpByOp() {
        assertScriptedMatchesOpByOp(llama("qwen3", "num_key_value_heads", 2, "head_dim", 16, "rope_scaling.rope_type", "linear",
                "rope_scaling.factor", 2.0));
    }

    @Test
    void aLlamaWithAnAdapterDecodesOpByOpWithTheAdapter() {
        assertAdapterIsApplied(llama("qwen2", "num_key_value_heads", 2), "model.layers.1.self_attn.o_proj.weight");
    }

    /** A tiny llama-family model with a context of 16: hidden 32, 4 heads, 2 layers, MLP 48, and the overrides. */
    private static ModelConfig llama(String type, Object... overrides) {
        Object[] kv = {"model_type", type, "hidden_size", 32, "intermediate_size", 48, "num_hidden_layers", 2,
            "num_attention_heads", 4, "num_key_value_heads", 4, "max_position_embeddings", 16};
        Object[] all = java.util.Arrays.copyOf(kv, kv.length + overrides.length);
        System.arraycopy(overrides, 0, all, kv.length, overrides.length);
        return ModelConfig.of("llama", all);
    }

    @Test
    void aGptWithAnAdapterDecodesOpByOpWithTheAdapter() {
        assertAdapterIsApplied(ModelConfig.of("gpt", "n_layer", 2, "n_head", 4, "d_model", 32, "seq_len", 16),
                "transformer.h.1.attn.c_proj.weight");
    }

    /** An adapter that adds half the input of a square linear layer changes the logits, and they are op by op's. */
    private static void assertAdapterIsApplied(ModelConfig config, String square) {
        try (NDManager m = NDManager.newBaseManager(); LanguageModel model = randomModel(config, m)) {
            List<float[]> plain = decode(model, m, false);
            Parameter proj = model.parameters().stream().filter(p -> p.getName().equals(square)).findFirst().orElseThrow();
            model.adapters(Map.of(proj, (x, training) -> x.mul(Scalars.like(x, 0.5))));
            List<float[]> adapted = decode(model, m, false);
            assertClose(decode(model, m, true), adapted);
            assertTrue(Math.abs(adapted.get(0)[0] - plain.get(0)[0]) > 1e-3, "the adapter changes the logits");
        }
    }

    private static void assertScriptedMatchesOpByOp(ModelConfig config) {
        try (NDManager m = NDManager.newBaseManager(); LanguageModel model = randomModel(config, m)) {
            assertClose(decode(model, m, true), decode(model, m, false));
            assertTrue(((ParameterizedModel) model).hasCompiledDecodeStep());
        }
    }

    /** A model whose parameters are all drawn from N(0, 0.3²), so that logits are far from zero. */
    private static LanguageModel randomModel(ModelConfig config, NDManager m) {
        Engine.getInstance().setRandomSeed(7);
        ModelFamily family = ModelFamilies.get(config.family());
        return family.load(family.complete(config), VOCAB, m,
                (name, shape, manager) -> manager.randomNormal(0, 0.3f, shape, DataType.FLOAT32));
    }

    /** The logits after each feed, from a decoder going op by op or through the compiled step. */
    private static List<float[]> decode(LanguageModel model, NDManager m, boolean opByOp) {
        String key = ParameterizedModel.DECODE_PROPERTY;
        if (opByOp) {
            System.setProperty(key, "op-by-op");
        }
        try {
            return NoGrad.run(() -> {
                List<float[]> logits = new ArrayList<>();
                try (LanguageModel.Decoder d = model.decoder(1)) {
                    for (long[] feed : FEEDS) {
                        try (NDManager step = m.newSubManager()) {
                            NDArray l = d.next(step.create(feed, new Shape(1, feed.length)));
                            assertEquals(new Shape(1, VOCAB), l.getShape());
                            logits.add(l.toFloatArray());
                        }
                    }
                }
                return logits;
            });
        } finally {
            System.clearProperty(key);
        }
    }

    private static void assertClose(List<float[]> want, List<float[]> got) {
        float largest = 0;
        for (int s = 0; s < want.size(); s++) {
            float worst = 0;
            for (int j = 0; j < VOCAB; j++) {
                worst = Math.max(worst, Math.abs(want.get(s)[j] - got.get(s)[j]));
                largest = Math.max(largest, Math.abs(want.get(s)[j]));
            }
            assertTrue(worst <= 1e-5, "feed " + s + ": largest logit difference " + worst);
        }
        assertTrue(largest > 1, "the logits are not all near zero: " + largest);
    }
}
