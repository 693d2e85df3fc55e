package dev.notebench.train.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * What the models here share: the configuration they were built with, the vocabulary size, the
 * manager that owns their parameters, and the parameters themselves, created through
 * {@link Params} in a fixed order.
 */
abstract class ParameterizedModel implements LanguageModel {
    /** The hyperparameters, defaults filled in. */
    final ModelConfig config;
    /** The vocabulary size. */
    final int vocab;
    /** Owns the parameters (and caches made from them). */
    final NDManager manager;
    /** The parameters, in creation order. */
    final Params params;

    ParameterizedModel(ModelConfig config, int vocab, NDManager manager) {
        this.config = config;
        this.vocab = vocab;
        this.manager = manager;
        this.params = new Params(manager);
    }

    @Override
    public final ModelConfig config() {
        return config;
    }

    @Override
    public final int vocabSize() {
        return vocab;
    }

    @Override
    public final List<Parameter> parameters() {
        return params.all();
    }

    @Override
    public final boolean decays(Parameter p) {
        return params.decays(p);
    }

    /** Releases the parameters; a model with more native state releases it, then calls this. */
    @Override
    public void close() {
        for (Parameter p : params.all()) {
            p.close();
        }
    }
}
