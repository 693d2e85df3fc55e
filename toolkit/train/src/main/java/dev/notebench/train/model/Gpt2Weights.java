package dev.notebench.train.model;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a Hugging Face GPT-2 checkpoint ({@code GPT2LMHeadModel}) maps onto a {@link GptModel}: its
 * {@code config.json} to the {@code gpt} family's hyperparameters, and each tensor of its state
 * dict to a parameter. The names are the same but for the optional {@code transformer.} prefix
 * (the original {@code gpt2} files have none); the attention and MLP weights are transformers'
 * {@code Conv1D}, stored (in, out), where {@link GptModel} keeps linear layers' (out, in), so
 * they are transposed; the causal-mask buffers {@code attn.bias}/{@code attn.masked_bias} and the
 * tied {@code lm_head.weight} are not parameters.
 */
public final class Gpt2Weights {
    private static final Pattern CONV1D = Pattern.compile("h\\.\\d+\\.(attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)\\.weight");
    private static final Pattern BUFFER = Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)");

    private Gpt2Weights() {
    }

    /**
     * Where a checkpoint tensor goes.
     *
     * @param name the {@link GptModel} parameter's name
     * @param transposed whether the tensor is stored (in, out) and must be transposed
     */
    public record Target(String name, boolean transposed) {
    }

    /**
     * The parameter a state-dict tensor loads into.
     *
     * @param hfName the tensor's name in the checkpoint, with or without {@code transformer.}
     * @return the target, or empty for tensors that are not parameters (mask buffers, the tied
     *     {@code lm_head.weight})
     */
    public static Optional<Target> target(String hfName) {
        if (hfName.equals("lm_head.weight")) {
            return Optional.empty();
        }
        String bare = hfName.startsWith("transformer.") ? hfName.substring("transformer.".length()) : hfName;
        if (BUFFER.matcher(bare).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Target("transformer." + bare, CONV1D.matcher(bare).matches()));
    }

    /**
     * The {@code gpt} configuration of a GPT-2 {@code config.json}: {@code n_embd} → d_model,
     * {@code n_layer}, {@code n_head}, {@code n_positions} → seq_len, {@code activation_function}
     * → activation (gelu_new; gelu), dropout 0, biases on. Refused: an MLP width other than
     * 4·n_embd, a LayerNorm epsilon other than 1e-5, attention scaled by the layer index, untied
     * output embeddings.
     *
     * @param hfConfig the parsed {@code config.json}
     * @return the configuration, defaults filled in
     * @throws NotebenchException (CONFIG_INVALID) naming what GptModel does not compute
     */
    public static ModelConfig fromHuggingFace(Map<String, ?> hfConfig) {
        int d = number(hfConfig, "n_embd", 768);
        Object inner = hfConfig.get("n_inner");
        if (inner != null && ((Number) inner).intValue() != 4 * d) {
            throw unsupported("n_inner " + inner + " (the MLP is 4·n_embd = " + 4 * d + " wide)");
        }
        Object eps = hfConfig.get("layer_norm_epsilon");
        if (eps != null && ((Number) eps).doubleValue() != 1e-5) {
            throw unsupported("layer_norm_epsilon " + eps + " (GptModel's LayerNorm uses 1e-5)");
        }
        if (Boolean.TRUE.equals(hfConfig.get("scale_attn_by_inverse_layer_idx"))) {
            throw unsupported("scale_attn_by_inverse_layer_idx true");
        }
        if (Boolean.FALSE.equals(hfConfig.get("tie_word_embeddings"))) {
            throw unsupported("tie_word_embeddings false (GptModel's output layer is the token embedding)");
        }
        Object act = hfConfig.get("activation_function");
        String activation = act == null ? "gelu_new" : String.valueOf(act);
        if (!activation.equals("gelu_new") && !activation.equals("gelu")) {
            throw unsupported("activation_function " + activation + " (gelu_new and gelu are implemented)");
        }
        ModelConfig c = ModelConfig.of("gpt", "d_model", d, "n_layer", number(hfConfig, "n_layer", 12),
                "n_head", number(hfConfig, "n_head", 12), "seq_len", number(hfConfig, "n_positions", 1024),
                "dropout", 0.0, "bias", true, "activation", activation);
        GptFamily family = new GptFamily();
        family.validate(c);
        return family.complete(c);
    }

    private static int number(Map<String, ?> config, String key, int otherwise) {
        Object v = config.get(key);
        return v == null ? otherwise : ((Number) v).intValue();
    }

    private static NotebenchException unsupported(String what) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, "this GPT-2 checkpoint has " + what
                + ", which the gpt model does not compute");
    }
}
