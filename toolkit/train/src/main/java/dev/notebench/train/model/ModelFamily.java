package dev.notebench.train.model;

import ai.djl.ndarray.NDManager;
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
     * Builds a model whose parameters are allocated but hold no values yet, for a caller that
     * writes every parameter itself (a checkpoint's loader): no time goes into drawing values that
     * would be overwritten, and no memory page is touched before the copy. A family that cannot
     * skip initialization builds as {@link #create} does.
     *
     * @param config the hyperparameters (unset ones take the defaults)
     * @param vocabSize the vocabulary size
     * @param manager the manager that owns the parameters
     * @return the model; its parameters' values are undefined until written
     */
    default LanguageModel allocate(ModelConfig config, int vocabSize, NDManager manager) {
        return create(config, vocabSize, manager);
    }
}
