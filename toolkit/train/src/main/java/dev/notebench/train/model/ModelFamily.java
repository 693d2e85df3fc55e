package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * A kind of language model that the trainer can build, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.notebench.train.model.ModelFamily}), so that new families plug in
 * without changes to the trainer.
 */
public interface ModelFamily {

    /** Returns the name configurations use, e.g. {@code gpt}. */
    String name();

    /** Returns every hyperparameter with its default. */
    Map<String, Object> defaults();

    /**
     * Checks hyperparameters without building anything, so that a bad setting is an error before
     * a run directory exists. The default accepts the names of {@link #defaults()} only.
     *
     * @param config the hyperparameters (unset ones take the defaults)
     * @throws dev.notebench.NotebenchException with {@link dev.notebench.ErrorCode#CONFIG_INVALID}
     *     naming the setting and what it may be
     */
    default void validate(ModelConfig config) {
        complete(config);
    }

    /**
     * Returns the hyperparameters with the defaults filled in, refusing a name the family does
     * not have.
     *
     * @param config the hyperparameters as given
     * @return every hyperparameter of {@link #defaults()}, set or defaulted
     * @throws dev.notebench.NotebenchException with {@link dev.notebench.ErrorCode#CONFIG_INVALID}
     *     naming an unknown setting
     */
    default ModelConfig complete(ModelConfig config) {
        Map<String, Object> defaults = defaults();
        ModelConfig c = config.withDefaults(defaults);
        c.requireOnly(defaults.keySet());
        return c;
    }

    /**
     * Returns the length of the token windows a model of this family trains and is evaluated on
     * (for a transformer, its context length).
     *
     * @param config the hyperparameters (unset ones take the defaults)
     * @return the window length, in tokens
     */
    int windowLength(ModelConfig config);

    /**
     * Builds a model with freshly initialized parameters (from the engine's seeded RNG).
     *
     * @param config the hyperparameters (unset ones take the defaults)
     * @param vocabSize the vocabulary size
     * @param manager the manager that owns the parameters
     * @return the model
     */
    LanguageModel create(ModelConfig config, int vocabSize, NDManager manager);

    /**
     * Builds a model from stored weights: each parameter is the array the source hands over for
     * it (a checkpoint's tensor mapped from its file, say) or, where it hands over nothing, zeros
     * for the caller to fill in; nothing is drawn at random. The default builds as {@link #create}
     * does and copies the source's arrays in.
     *
     * @param config the hyperparameters (unset ones take the defaults)
     * @param vocabSize the vocabulary size
     * @param manager the manager that owns the parameters
     * @param source the parameters' arrays
     * @return the model
     */
    default LanguageModel load(ModelConfig config, int vocabSize, NDManager manager, ParameterSource source) {
        LanguageModel model = create(config, vocabSize, manager);
        NoGrad.run(() -> {
            for (Parameter p : model.parameters()) {
                NDArray target = p.getArray();
                NDArray given = source.array(p.getName(), target.getShape(), manager);
                if (given == null) {
                    target.set(new NDIndex(":"), 0);
                } else {
                    try (given) {
                        Tensors.copyInto(target, given);
                    }
                }
            }
            return null;
        });
        return model;
    }
}
