package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * What the models here share: the configuration they were built with, the vocabulary size, the
 * manager that owns their parameters, and the parameters themselves, created through
 * {@link Params} in a fixed order; and how their linear layers compute, adapters included
 * ({@link #linear}).
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
    private volatile Map<Parameter, LinearAdapter> adapters = Map.of();

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

    @Override
    public final List<Parameter> linearWeights() {
        return params.all().stream().filter(params::decays).toList(); // decayed = linear layers' weights (LanguageModel#decays)
    }

    @Override
    public final void adapters(Map<Parameter, LinearAdapter> byWeight) {
        if (!linearWeights().containsAll(byWeight.keySet())) {
            throw new IllegalArgumentException("adapters must be keyed by weights of linear layers");
        }
        adapters = Map.copyOf(byWeight);
    }

    /**
     * A linear layer, {@code x Wᵀ + b}, plus its adapter's output when it has one.
     *
     * @param x the input, (..., in)
     * @param w the weight, (out, in)
     * @param b the bias, or null
     * @param training whether dropout is on (in the adapter)
     */
    final NDArray linear(NDArray x, Parameter w, Parameter b, boolean training) {
        NDArray y = x.getNDArrayInternal().linear(x, array(w), b == null ? null : array(b)).singletonOrThrow();
        LinearAdapter adapter = adapters.get(w);
        return adapter == null ? y : y.add(adapter.delta(x, training));
    }

    /** The array the forward pass computes with for a parameter: its own, unless a family keeps working copies. */
    NDArray array(Parameter p) {
        return p.getArray();
    }

    /** Releases the parameters; a model with more native state releases it, then calls this. */
    @Override
    public void close() {
        for (Parameter p : params.all()) {
            p.close();
        }
    }
}
