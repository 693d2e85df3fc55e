package dev.notebench.train.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the models here share: the configuration they were built with, the vocabulary size, the
 * manager that owns their parameters, and the parameters themselves, created through
 * {@link Params} in a fixed order; and how their linear layers compute, adapters included
 * ({@link #linear}); and the compiled decode step their key/value-cached decoders run
 * ({@link #scriptedStep}).
 */
abstract class ParameterizedModel implements LanguageModel {
    /**
     * The system property that, set to {@code op-by-op}, makes new decoders run each operation
     * through DJL instead of the compiled decode step (for comparisons); both compute the same
     * function.
     */
    static final String DECODE_PROPERTY = "notebench.train.decode";
    private static final Logger LOG = LoggerFactory.getLogger(ParameterizedModel.class);
    /** The hyperparameters, defaults filled in. */
    final ModelConfig config;
    /** The vocabulary size. */
    final int vocab;
    /** Owns the parameters (and caches made from them). */
    final NDManager manager;
    /** The parameters, in creation order. */
    final Params params;
    private volatile Map<Parameter, LinearAdapter> adapters = Map.of();
    private TorchScriptModule decodeStep; // compiled on first use, guarded by this
    private boolean decodeStepRefused;

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

    /**
     * The compiled decode step a new decoder runs ({@link DecodeScripts}), compiled on the first
     * call, or null where the decoder must go op by op: the system property
     * {@value #DECODE_PROPERTY} is {@code op-by-op}; adapters are installed (the script computes
     * the plain linear layers: LoRA adapters not merged into the weights go op by op); a weight the
     * forward pass uses is not fp32 (working copies in fp16); the engine is not PyTorch; or
     * libtorch refused the script (logged once).
     *
     * @param method the family's method in {@link DecodeScripts#SOURCE}
     * @return a step for one decoder, its to close, or null
     */
    final ScriptedStep scriptedStep(String method) {
        if ("op-by-op".equals(System.getProperty(DECODE_PROPERTY)) || !adapters.isEmpty()
                || !(manager instanceof PtNDManager)
                || params.all().stream().anyMatch(p -> array(p).getDataType() != DataType.FLOAT32)) {
            return null;
        }
        synchronized (this) {
            if (decodeStep == null && !decodeStepRefused) {
                try {
                    decodeStep = TorchScriptModule.compile(DecodeScripts.CLASS, DecodeScripts.SOURCE, (PtNDManager) manager);
                } catch (EngineException e) {
                    decodeStepRefused = true;
                    LOG.warn("the compiled decode step could not be loaded, so decoding goes op by op: {}", e.toString());
                }
            }
            return decodeStep == null ? null : new ScriptedStep(decodeStep, method);
        }
    }

    /** Whether a decoder has compiled the decode step (for tests: that decoders do not all go op by op). */
    final synchronized boolean hasCompiledDecodeStep() {
        return decodeStep != null;
    }

    /** Releases the parameters; a model with more native state releases it, then calls this. */
    @Override
    public void close() {
        synchronized (this) {
            if (decodeStep != null) {
                decodeStep.close();
                decodeStep = null;
            }
        }
        for (Parameter p : params.all()) {
            p.close();
        }
    }
}
