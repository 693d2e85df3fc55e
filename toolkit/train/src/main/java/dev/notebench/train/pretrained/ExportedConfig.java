package dev.notebench.train.pretrained;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code config.json} a model is exported with: transformers' keys for what the model
 * computes. A {@code gpt} model becomes a {@code GPT2LMHeadModel} ({@code n_embd}, {@code n_layer},
 * {@code n_head}, {@code n_positions}, its GELU as {@code activation_function}, tied embeddings);
 * a {@code llama} model keeps its keys, which are already transformers', with the flattened
 * {@code rope_scaling.*} put back into one {@code rope_scaling} object ({@code null} for the
 * default rotation) and a mistral's sliding window of 0 written as {@code null}.
 */
final class ExportedConfig {
    /** The families that have a Hugging Face architecture. */
    static final List<String> FAMILIES = List.of("gpt", "llama");
    private static final String ROPE = "rope_scaling.";

    private ExportedConfig() {
    }

    /**
     * The {@code config.json} of a model.
     *
     * @param model the model
     * @param bos the id that begins a text, or -1
     * @param eos the ids that end one (the first is {@code config.json}'s), or none
     * @throws NotebenchException CONFIG_INVALID for a family without a Hugging Face architecture
     */
    static Map<String, Object> of(LanguageModel model, int bos, int[] eos) {
        Map<String, Object> c = switch (model.family()) {
            case "gpt" -> gpt2(model.config());
            case "llama" -> llama(model.config());
            default -> throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a " + model.family() + " model has no Hugging Face"
                    + " architecture to export as; " + String.join(" and ", FAMILIES) + " models export");
        };
        c.put("vocab_size", model.vocabSize());
        if (bos >= 0) {
            c.put("bos_token_id", bos);
        }
        if (eos.length > 0) {
            c.put("eos_token_id", eos[0]);
        }
        c.put("torch_dtype", "float32");
        return c;
    }

    private static Map<String, Object> gpt2(ModelConfig config) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("GPT2LMHeadModel"));
        c.put("model_type", "gpt2");
        c.put("n_embd", config.intValue("d_model", 1));
        c.put("n_layer", config.intValue("n_layer", 1));
        c.put("n_head", config.intValue("n_head", 1));
        c.put("n_positions", config.intValue("seq_len", 1));
        c.put("n_inner", null);
        c.put("activation_function", String.valueOf(config.values().get("activation")));
        double dropout = config.doubleValue("dropout", 0, 1);
        c.put("attn_pdrop", dropout);
        c.put("embd_pdrop", dropout);
        c.put("resid_pdrop", dropout);
        c.put("layer_norm_epsilon", 1e-5);
        c.put("initializer_range", 0.02);
        c.put("scale_attn_weights", true);
        c.put("scale_attn_by_inverse_layer_idx", false);
        c.put("reorder_and_upcast_attn", false);
        c.put("tie_word_embeddings", true);
        return c;
    }

    private static Map<String, Object> llama(ModelConfig config) {
        Map<String, Object> c = new LinkedHashMap<>();
        String type = String.valueOf(config.values().get("model_type"));
        c.put("architectures", List.of(switch (type) {
            case "mistral" -> "MistralForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            case "qwen3" -> "Qwen3ForCausalLM";
            default -> "LlamaForCausalLM";
        }));
        Map<String, Object> rope = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.values().entrySet()) {
            if (e.getKey().startsWith(ROPE)) {
                rope.put(e.getKey().substring(ROPE.length()), json(e.getValue()));
            } else {
                c.put(e.getKey(), json(e.getValue()));
            }
        }
        c.put("rope_scaling", ropeScaling(rope));
        if (type.equals("mistral") && Integer.valueOf(0).equals(c.get("sliding_window"))) {
            c.put("sliding_window", null);
        }
        return c;
    }

    /** The rope_scaling object transformers reads: only the keys its rope type uses, none for the default. */
    private static Map<String, Object> ropeScaling(Map<String, Object> flat) {
        String type = String.valueOf(flat.get("rope_type"));
        List<String> keys = switch (type) {
            case "default" -> List.of();
            case "linear" -> List.of("rope_type", "factor");
            default -> List.of("rope_type", "factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings");
        };
        if (keys.isEmpty()) {
            return null;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        for (String k : keys) {
            r.put(k, k.equals("factor") || k.endsWith("_freq_factor") ? ((Number) flat.get(k)).doubleValue() : flat.get(k));
        }
        return r;
    }

    /**
     * A value as JSON should carry it: a whole number read back from a checkpoint's state as a
     * double is written as an integer (transformers needs {@code hidden_size} 32, not 32.0).
     */
    private static Object json(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return (int) Math.min(Integer.MAX_VALUE, d.longValue()) == d.longValue() ? (Object) (int) d.longValue() : (Object) d.longValue();
        }
        if (v instanceof Long l && l == (int) (long) l) {
            return (int) (long) l;
        }
        return v;
    }
}
