package dev.notebench.train.model;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code gpt} family: {@link GptModel}. Hyperparameters: {@code n_layer}, {@code n_head},
 * {@code d_model}, {@code seq_len}, {@code dropout}, {@code bias}, {@code activation} ({@code gelu}, the
 * exact erf form, or {@code gelu_new}, the tanh approximation GPT-2 checkpoints were trained with).
 */
public final class GptFamily implements ModelFamily {
    /** Creates the family (for {@link java.util.ServiceLoader}). */
    public GptFamily() {
    }

    @Override
    public String name() {
        return "gpt";
    }

    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("n_layer", 4);
        d.put("n_head", 4);
        d.put("d_model", 128);
        d.put("seq_len", 128);
        d.put("dropout", 0.0);
        d.put("bias", true);
        d.put("activation", "gelu");
        return d;
    }

    @Override
    public void validate(ModelConfig config) {
        GptModel.check(complete(config));
    }

    @Override
    public int windowLength(ModelConfig config) {
        return complete(config).intValue("seq_len", 1);
    }

    @Override
    public LanguageModel create(ModelConfig config, int vocabSize, NDManager manager) {
        return new GptModel(complete(config), vocabSize, manager, null);
    }

    @Override
    public LanguageModel load(ModelConfig config, int vocabSize, NDManager manager, ParameterSource source) {
        return new GptModel(complete(config), vocabSize, manager, source);
    }
}
