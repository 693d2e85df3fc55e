package dev.notebench.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The llama family's hyperparameters: transformers' keys, small sizes from scratch and transformers' for a config.json, HF's names and shapes, one error for a bad one. */
class LlamaConfigTest {
    private static final LlamaFamily FAMILY = new LlamaFamily();

    private static String refused(ModelConfig c) {
        NotebenchException e = assertThrows(NotebenchException.class, () -> FAMILY.validate(c));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        return e.getMessage();
    }

    @Test
    void unsetSizesMakeASmallModelToTrainFromScratchAndTheRestDefaultsAsTransformers() {
        ModelConfig llama = FAMILY.complete(ModelConfig.of("llama", "hidden_size", 64));
        assertEquals(16, llama.intValue("head_dim", 1));
        assertEquals(4, llama.intValue("num_attention_heads", 1));
        assertEquals(2, llama.intValue("num_key_value_heads", 1));
        assertEquals(4, llama.intValue("num_hidden_layers", 1));
        assertEquals(256, llama.intValue("max_position_embeddings", 1));
        assertEquals(688, llama.intValue("intermediate_size", 1));
        assertEquals(1e-6, llama.doubleValue("rms_norm_eps", 0, 1));
        assertEquals("default", llama.values().get("rope_scaling.rope_type"));
        assertEquals(256, FAMILY.windowLength(llama));
        ModelConfig mistral = FAMILY.complete(ModelConfig.of("llama", "model_type", "mistral"));
        assertEquals(64, mistral.intValue("head_dim", 1));
        assertEquals(4096, mistral.intValue("sliding_window", 0));
        assertEquals(256, FAMILY.windowLength(mistral), "a window longer than the context changes nothing");
        ModelConfig qwen3 = FAMILY.complete(ModelConfig.of("llama", "model_type", "qwen3"));
        assertEquals(64, qwen3.intValue("head_dim", 1));
        assertEquals(false, qwen3.values().get("use_sliding_window"));
    }

    @Test
    void aConfigJsonWithoutSizesTakesTransformersSizes() {
        ModelConfig llama = LlamaFamily.fromHuggingFace(java.util.Map.of("model_type", "llama", "num_attention_heads", 8,
                "hidden_size", 64));
        assertEquals(8, llama.intValue("num_key_value_heads", 1), "transformers: as many as the heads");
        assertEquals(8, llama.intValue("head_dim", 1));
        assertEquals(2048, llama.intValue("max_position_embeddings", 1));
        assertEquals(11008, llama.intValue("intermediate_size", 1));
        assertEquals(32, llama.intValue("num_hidden_layers", 1));
        ModelConfig mistral = LlamaFamily.fromHuggingFace(java.util.Map.of("model_type", "mistral", "hidden_size", 64));
        assertEquals(8, mistral.intValue("num_key_value_heads", 1));
        assertEquals(2, mistral.intValue("head_dim", 1));
        assertEquals(4096, FAMILY.windowLength(mistral), "the sliding window");
        ModelConfig qwen3 = LlamaFamily.fromHuggingFace(java.util.Map.of("model_type", "qwen3"));
        assertEquals(128, qwen3.intValue("head_dim", 1));
        assertEquals(32, qwen3.intValue("num_key_value_heads", 1));
        assertEquals(32768, FAMILY.windowLength(LlamaFamily.fromHuggingFace(java.util.Map.of("model_type", "qwen2"))),
                "qwen2 slides only when asked");
    }

    @Test
    void aBadCombinationIsOneConfigurationError() {
        assertEquals("llama model: hidden_size 30 is not a multiple of num_attention_heads 4",
                refused(ModelConfig.of("llama", "hidden_size", 30, "num_attention_heads", 4)));
        assertEquals("llama model: num_attention_heads 4 is not a multiple of num_key_value_heads 3",
                refused(ModelConfig.of("llama", "hidden_size", 32, "num_attention_heads", 4, "num_key_value_heads", 3)));
        assertEquals("llama model: rope_scaling.rope_type yarn is not implemented; use one of default, linear, llama3",
                refused(ModelConfig.of("llama", "rope_scaling.rope_type", "yarn")));
        assertEquals("llama model: model_type must be one of llama, mistral, qwen2, qwen3, got gemma",
                refused(ModelConfig.of("llama", "model_type", "gemma")));
        assertEquals("llama model: head_dim 7 must be even for rotary embeddings",
                refused(ModelConfig.of("llama", "head_dim", 7)));
        assertEquals("llama model: hidden_act gelu is not implemented; use silu", refused(ModelConfig.of("llama", "hidden_act", "gelu")));
        assertEquals("llama model has no setting 'attention_bias'; it has attention_dropout, head_dim, hidden_act, hidden_size,"
                + " initializer_range, intermediate_size, max_position_embeddings, model_type, num_attention_heads,"
                + " num_hidden_layers, num_key_value_heads, rms_norm_eps, rope_scaling.factor, rope_scaling.high_freq_factor,"
                + " rope_scaling.low_freq_factor, rope_scaling.original_max_position_embeddings, rope_scaling.rope_type,"
                + " rope_theta, sliding_window, tie_word_embeddings",
                refused(ModelConfig.of("llama", "model_type", "mistral", "attention_bias", true)));
    }

    @Test
    void aHuggingFaceConfigMapsOntoTheFamilyWithItsRopeScalingFlattened() {
        Map<String, Object> hf = Map.of("model_type", "llama", "hidden_size", 32.0, "num_attention_heads", 4.0,
                "num_key_value_heads", 2.0, "vocab_size", 97.0, "architectures", List.of("LlamaForCausalLM"),
                "rope_theta", 500000.0, "rope_scaling", Map.of("type", "llama3", "factor", 32.0, "low_freq_factor", 1.0,
                        "high_freq_factor", 4.0, "original_max_position_embeddings", 8192.0));
        ModelConfig c = LlamaFamily.fromHuggingFace(hf);
        assertEquals("llama3", c.values().get("rope_scaling.rope_type"));
        assertEquals(32.0, c.doubleValue("rope_scaling.factor", 1, 100));
        assertEquals(500000.0, c.doubleValue("rope_theta", 1, 1e9));
        assertEquals(8, c.intValue("head_dim", 1));
        assertEquals(2, c.intValue("num_key_value_heads", 1));
        NotebenchException e = assertThrows(NotebenchException.class, () -> LlamaFamily.fromHuggingFace(Map.of("model_type", "gpt2")));
        assertEquals("config.json has model_type gpt2; the llama family serves llama, mistral, qwen2, qwen3", e.getMessage());
    }

    @Test
    void parametersAreNamedAndShapedAsTransformersStateDict() {
        ModelConfig c = FAMILY.complete(ModelConfig.of("llama", "model_type", "qwen3", "hidden_size", 16, "num_attention_heads", 4,
                "num_key_value_heads", 2, "head_dim", 6, "intermediate_size", 24, "num_hidden_layers", 1));
        try (NDManager m = NDManager.newBaseManager(); LanguageModel model = FAMILY.create(c, 50, m)) {
            StringBuilder got = new StringBuilder();
            for (Parameter p : model.parameters()) {
                got.append(p.getName()).append(' ').append(p.getArray().getShape()).append('\n');
            }
            assertEquals("""
                    model.embed_tokens.weight (50, 16)
                    model.layers.0.input_layernorm.weight (16)
                    model.layers.0.self_attn.q_proj.weight (24, 16)
                    model.layers.0.self_attn.k_proj.weight (12, 16)
                    model.layers.0.self_attn.v_proj.weight (12, 16)
                    model.layers.0.self_attn.o_proj.weight (16, 24)
                    model.layers.0.self_attn.q_norm.weight (6)
                    model.layers.0.self_attn.k_norm.weight (6)
                    model.layers.0.post_attention_layernorm.weight (16)
                    model.layers.0.mlp.gate_proj.weight (24, 16)
                    model.layers.0.mlp.up_proj.weight (24, 16)
                    model.layers.0.mlp.down_proj.weight (16, 24)
                    model.norm.weight (16)
                    lm_head.weight (50, 16)
                    """, got.toString());
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> model.workingCopies(Map.of(model.parameters().get(0), model.parameters().get(0).getArray())));
            assertEquals("llama models train in fp32 only; fp16 mixed precision is implemented for gpt; use --precision fp32",
                    e.getMessage());
        }
    }
}
