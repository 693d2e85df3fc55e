package dev.notebench.train.model;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code char-lstm} family: {@link CharLstmModel}. Hyperparameters: {@code embed},
 * {@code hidden}, {@code n_layer}, {@code seq_len} (the training window), {@code dropout}.
 */
public final class CharLstmFamily implements ModelFamily {
    /** Creates the family (for {@link java.util.ServiceLoader}). */
    public CharLstmFamily() {
    }

    @Override
    public String name() {
        return "char-lstm";
    }

    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("embed", 64);
        d.put("hidden", 256);
        d.put("n_layer", 2);
        d.put("seq_len", 128);
        d.put("dropout", 0.0);
        return d;
    }

    @Override
    public void validate(ModelConfig config) {
        CharLstmModel.check(complete(config));
    }

    @Override
    public int windowLength(ModelConfig config) {
        return complete(config).intValue("seq_len", 1);
    }

    @Override
    public LanguageModel create(ModelConfig config, int vocabSize, NDManager manager) {
        return new CharLstmModel(complete(config), vocabSize, manager);
    }
}
