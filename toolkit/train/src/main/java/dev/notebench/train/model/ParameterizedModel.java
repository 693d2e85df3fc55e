package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

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

    /** A model whose parameters are initialized, or taken from {@code source} when it is not null. */
    ParameterizedModel(ModelConfig config, int vocab, NDManager manager, ParameterSource source) {
        this.config = config;
        this.vocab = vocab;
        this.manager = manager;
        this.params = new Params(manager, source);
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

    /**
     * Runs one layer with its temporaries in a manager of their own, closed once the layer's output
     * exists: the input and every intermediate array are released then, as PyTorch frees what
     * nothing references, instead of living until the whole step ends (for a 24-layer model over a
     * 128-token prompt that was half a gigabyte). What backpropagation needs stays alive: autograd
     * holds its own references to the tensors it saved.
     *
     * @param x the layer's input, released with the layer's temporaries
     * @param layer computes the layer's output from its input, creating arrays in the input's manager
     * @return the output, in the manager {@code x} had
     */
    static NDArray scoped(NDArray x, UnaryOperator<NDArray> layer) {
        NDManager outer = x.getManager();
        try (NDManager scope = outer.newSubManager()) {
            x.attach(scope);
            NDArray out = layer.apply(x);
            out.attach(outer);
            return out;
        }
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
