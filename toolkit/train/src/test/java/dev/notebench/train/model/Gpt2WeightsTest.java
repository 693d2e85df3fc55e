package dev.notebench.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.NotebenchException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A GPT-2 checkpoint's names, layouts and config map onto the gpt family. */
class Gpt2WeightsTest {
    @Test
    void conv1dWeightsAreTransposedAndTheOriginalFilesUnprefixedNamesMapToo() {
        assertEquals(Optional.of(new Gpt2Weights.Target("transformer.h.0.attn.c_attn.weight", true)),
                Gpt2Weights.target("h.0.attn.c_attn.weight"));
        assertEquals(Optional.of(new Gpt2Weights.Target("transformer.h.11.mlp.c_proj.weight", true)),
                Gpt2Weights.target("transformer.h.11.mlp.c_proj.weight"));
        assertEquals(Optional.of(new Gpt2Weights.Target("transformer.h.3.attn.c_attn.bias", false)),
                Gpt2Weights.target("transformer.h.3.attn.c_attn.bias"));
        assertEquals(Optional.of(new Gpt2Weights.Target("transformer.wte.weight", false)), Gpt2Weights.target("wte.weight"));
        assertEquals(Optional.empty(), Gpt2Weights.target("h.0.attn.bias"), "the causal-mask buffer");
        assertEquals(Optional.empty(), Gpt2Weights.target("transformer.h.0.attn.masked_bias"));
        assertEquals(Optional.empty(), Gpt2Weights.target("lm_head.weight"), "tied to wte");
    }

    @Test
    void gpt2sConfigBecomesTheGptFamilysAndWhatGptModelDoesNotComputeIsRefused() {
        ModelConfig c = Gpt2Weights.fromHuggingFace(Map.of("n_embd", 768.0, "n_layer", 12.0, "n_head", 12.0, "n_positions", 1024.0,
                "activation_function", "gelu_new", "layer_norm_epsilon", 1e-5));
        assertEquals(ModelConfig.of("gpt", "d_model", 768, "n_layer", 12, "n_head", 12, "seq_len", 1024, "dropout", 0.0,
                "bias", true, "activation", "gelu_new"), c);
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> Gpt2Weights.fromHuggingFace(Map.of("n_embd", 64.0, "n_inner", 100.0)));
        assertEquals("this GPT-2 checkpoint has n_inner 100.0 (the MLP is 4·n_embd = 256 wide), which the gpt model does not compute",
                e.getMessage());
        e = assertThrows(NotebenchException.class, () -> Gpt2Weights.fromHuggingFace(Map.of("activation_function", "relu")));
        assertEquals("this GPT-2 checkpoint has activation_function relu (gelu_new and gelu are implemented), which the gpt model"
                + " does not compute", e.getMessage());
    }

    @Test
    void anActivationOtherThanTheTwoGelusIsRefused() {
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> new GptFamily().validate(ModelConfig.of("gpt", "activation", "relu")));
        assertEquals("gpt model: activation must be gelu (exact) or gelu_new (tanh approximation), got relu", e.getMessage());
    }
}
