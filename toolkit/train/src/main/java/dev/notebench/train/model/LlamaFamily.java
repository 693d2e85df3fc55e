package dev.notebench.train.model;

import ai.djl.ndarray.NDManager;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code llama} family: {@link LlamaModel}, one class for Hugging Face's {@code llama},
 * {@code mistral}, {@code qwen2} and {@code qwen3} decoders, chosen by the hyperparameter
 * {@code model_type}. Hyperparameters are transformers' config keys, with its defaults for the
 * model type: {@code hidden_size}, {@code intermediate_size}, {@code num_hidden_layers},
 * {@code num_attention_heads}, {@code num_key_value_heads} (unset: as many as the attention heads;
 * mistral 8, qwen 32), {@code head_dim} (unset: hidden_size / num_attention_heads; qwen3 128),
 * {@code hidden_act} ({@code silu}), {@code max_position_embeddings}, {@code initializer_range},
 * {@code rms_norm_eps}, {@code rope_theta}, the rope scaling flattened as
 * {@code rope_scaling.rope_type} ({@code default}, {@code linear}, {@code llama3}),
 * {@code rope_scaling.factor}, {@code rope_scaling.low_freq_factor},
 * {@code rope_scaling.high_freq_factor}, {@code rope_scaling.original_max_position_embeddings},
 * {@code tie_word_embeddings}, {@code attention_dropout}; llama also {@code attention_bias} and
 * {@code mlp_bias}; mistral {@code sliding_window} (0 for none); qwen2 and qwen3
 * {@code use_sliding_window}, {@code sliding_window}, {@code max_window_layers}; qwen3
 * {@code attention_bias}. qwen2 always has biases on q/k/v; qwen3 normalizes each head of q and k.
 *
 * <p>{@link #fromHuggingFace(Map)} turns a checkpoint's {@code config.json} into this family's
 * configuration.
 */
public final class LlamaFamily implements ModelFamily {
    /** The model types one {@link LlamaModel} serves. */
    public static final List<String> MODEL_TYPES = List.of("llama", "mistral", "qwen2", "qwen3");
    private static final String ROPE = "rope_scaling.";

    /** Creates the family (for {@link java.util.ServiceLoader}). */
    public LlamaFamily() {
    }

    @Override
    public String name() {
        return "llama";
    }

    /** Returns the defaults of {@code model_type=llama}: a small model to train from scratch (see {@link #defaults(String)}). */
    @Override
    public Map<String, Object> defaults() {
        return defaults("llama");
    }

    /**
     * Returns the hyperparameters of a model type with their defaults: the sizes of a small model
     * to train from scratch on one machine (hidden 256, 4 layers, 4 heads of which 2 key/value
     * heads, MLP 688, context 256), everything else as transformers' config class has it. A
     * checkpoint's {@code config.json} is read with transformers' own sizes where it leaves one out
     * ({@link #fromHuggingFace}). {@code head_dim} is left out: it is hidden/heads unless set.
     *
     * @param modelType one of {@link #MODEL_TYPES}
     * @throws NotebenchException (CONFIG_INVALID) for another type
     */
    public static Map<String, Object> defaults(String modelType) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model_type", modelType);
        d.put("hidden_size", 256);
        d.put("intermediate_size", 688);
        d.put("num_hidden_layers", 4);
        d.put("num_attention_heads", 4);
        d.put("num_key_value_heads", 2);
        d.put("max_position_embeddings", 256);
        d.put("hidden_act", "silu");
        d.put("initializer_range", 0.02);
        d.put("rms_norm_eps", 1e-6);
        d.put("rope_theta", 10000.0);
        d.put(ROPE + "rope_type", "default");
        d.put(ROPE + "factor", 8.0);
        d.put(ROPE + "low_freq_factor", 1.0);
        d.put(ROPE + "high_freq_factor", 4.0);
        d.put(ROPE + "original_max_position_embeddings", 8192);
        d.put("tie_word_embeddings", false);
        d.put("attention_dropout", 0.0);
        switch (modelType) {
            case "llama" -> {
                d.put("attention_bias", false);
                d.put("mlp_bias", false);
            }
            case "mistral" -> d.put("sliding_window", 4096);
            case "qwen2", "qwen3" -> {
                d.put("use_sliding_window", false);
                d.put("sliding_window", 4096);
                d.put("max_window_layers", 28);
                if (modelType.equals("qwen3")) {
                    d.put("attention_bias", false);
                }
            }
            default -> throw new NotebenchException(ErrorCode.CONFIG_INVALID, "llama model: model_type must be one of "
                    + String.join(", ", MODEL_TYPES) + ", got " + modelType);
        }
        return d;
    }

    /**
     * Transformers' sizes for a model type (its config class's defaults), for a {@code config.json}
     * that leaves one out; {@code num_key_value_heads} is then the number of heads for llama, as
     * transformers derives it.
     */
    private static Map<String, Object> transformersSizes(String modelType, Map<String, ?> hfConfig) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("hidden_size", 4096);
        d.put("num_hidden_layers", 32);
        d.put("num_attention_heads", 32);
        switch (modelType) {
            case "llama" -> {
                d.put("intermediate_size", 11008);
                d.put("max_position_embeddings", 2048);
                Object heads = hfConfig.get("num_attention_heads");
                d.put("num_key_value_heads", heads != null ? heads : 32);
            }
            case "mistral" -> {
                d.put("intermediate_size", 14336);
                d.put("num_key_value_heads", 8);
                d.put("max_position_embeddings", 4096 * 32);
            }
            default -> { // qwen2, qwen3
                d.put("intermediate_size", 22016);
                d.put("num_key_value_heads", 32);
                d.put("max_position_embeddings", 32768);
                if (modelType.equals("qwen3")) {
                    d.put("head_dim", 128);
                }
            }
        }
        return d;
    }

    /**
     * Fills in the defaults of the configuration's {@code model_type} (llama when unset), then the
     * values transformers derives: {@code num_key_value_heads} = {@code num_attention_heads} and
     * {@code head_dim} = {@code hidden_size / num_attention_heads} where the type has no default.
     */
    @Override
    public ModelConfig complete(ModelConfig config) {
        Object type = config.values().getOrDefault("model_type", "llama");
        Map<String, Object> d = defaults(String.valueOf(type));
        ModelConfig c = config.withDefaults(d);
        List<String> derived = List.of("num_key_value_heads", "head_dim");
        java.util.Set<String> known = new java.util.HashSet<>(d.keySet());
        known.addAll(derived);
        c.requireOnly(known);
        if (!c.values().containsKey("num_key_value_heads")) {
            c = c.with("num_key_value_heads", c.intValue("num_attention_heads", 1));
        }
        if (!c.values().containsKey("head_dim")) {
            c = c.with("head_dim", c.intValue("hidden_size", 1) / c.intValue("num_attention_heads", 1));
        }
        return c;
    }

    @Override
    public void validate(ModelConfig config) {
        LlamaModel.Settings.of(complete(config));
    }

    /** The window is {@code max_position_embeddings}, capped by a sliding window where there is one. */
    @Override
    public int windowLength(ModelConfig config) {
        LlamaModel.Settings s = LlamaModel.Settings.of(complete(config));
        return s.slidingWindow() > 0 ? Math.min(s.maxPositions(), s.slidingWindow()) : s.maxPositions();
    }

    @Override
    public LanguageModel create(ModelConfig config, int vocabSize, NDManager manager) {
        return new LlamaModel(complete(config), vocabSize, manager, null);
    }

    @Override
    public LanguageModel load(ModelConfig config, int vocabSize, NDManager manager, ParameterSource source) {
        return new LlamaModel(complete(config), vocabSize, manager, source);
    }

    /**
     * The configuration of a Hugging Face checkpoint's {@code config.json} (parsed into maps,
     * lists, numbers, strings, booleans and nulls): the keys this family reads, with
     * {@code rope_scaling} (or transformers 5's {@code rope_parameters}, which also holds
     * {@code rope_theta}) flattened; nulls are unset (derived or defaulted), a null
     * {@code sliding_window} is 0 (none). Keys the family does not read (vocab_size, token ids,
     * dtype, architectures, ...) are left out; the vocabulary size is the model's own argument.
     *
     * @param hfConfig the parsed {@code config.json}
     * @return the configuration, completed
     * @throws NotebenchException (CONFIG_INVALID) when the model type is not served or the values do
     *     not make a model
     */
    public static ModelConfig fromHuggingFace(Map<String, ?> hfConfig) {
        Object type = hfConfig.get("model_type");
        if (!(type instanceof String t) || !MODEL_TYPES.contains(t)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "config.json has model_type " + type
                    + "; the llama family serves " + String.join(", ", MODEL_TYPES));
        }
        Map<String, Object> d = defaults(t);
        Map<String, Object> values = new LinkedHashMap<>();
        transformersSizes(t, hfConfig).forEach((key, value) -> values.put(key, hfConfig.get(key) != null ? hfConfig.get(key) : value));
        if (hfConfig.get("head_dim") != null) {
            values.put("head_dim", hfConfig.get("head_dim"));
        }
        for (String key : d.keySet()) {
            if (!key.startsWith(ROPE) && hfConfig.get(key) != null) {
                values.put(key, hfConfig.get(key));
            }
        }
        if (d.containsKey("sliding_window") && hfConfig.containsKey("sliding_window") && hfConfig.get("sliding_window") == null) {
            values.put("sliding_window", 0);
        }
        Object rope = hfConfig.get("rope_parameters") != null ? hfConfig.get("rope_parameters") : hfConfig.get("rope_scaling");
        if (rope instanceof Map<?, ?> r) {
            for (Map.Entry<?, ?> e : r.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("type")) { // transformers before 4.45
                    key = "rope_type";
                }
                if (key.equals("rope_theta") && e.getValue() != null) {
                    values.put("rope_theta", e.getValue());
                } else if (d.containsKey(ROPE + key) && e.getValue() != null) {
                    values.put(ROPE + key, e.getValue());
                } else if (e.getValue() != null && !key.equals("rope_type")) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "config.json: rope scaling setting '" + key
                            + "' is not implemented; rope types implemented: " + String.join(", ", Rotary.Scaling.TYPES));
                }
            }
        }
        ModelConfig c = new LlamaFamily().complete(new ModelConfig("llama", values));
        LlamaModel.Settings.of(c);
        return c;
    }
}
