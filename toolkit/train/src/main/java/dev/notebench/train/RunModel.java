package dev.notebench.train;

import ai.djl.ndarray.NDManager;
import dev.notebench.train.lora.LoraModel;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.pretrained.HfCheckpoints;

/**
 * The model a run trains, as its configuration says: a new model of its family, or a pretrained
 * checkpoint ({@link TrainConfig#fineTune()}), with LoRA adapters when asked for. The trainer and
 * whoever loads the run's checkpoints build it alike, so that the checkpoints' parameters (the
 * adapters alone, for LoRA) find their places.
 */
public final class RunModel {
    private RunModel() {
    }

    /**
     * Builds the run's model, before any of its checkpoints is loaded; draws from the engine's
     * random generator (new weights, LoRA's A).
     *
     * @param config the run's configuration
     * @param tokenizerVocab the tokenizer's vocabulary size (a new model's; a checkpoint has its own)
     * @param manager owns the parameters
     * @return the model; close it
     */
    public static LanguageModel create(TrainConfig config, int tokenizerVocab, NDManager manager) {
        TrainConfig.FineTune f = config.fineTune();
        if (f == null) {
            return ModelFamilies.get(config.model().family()).create(config.model(), tokenizerVocab, manager);
        }
        LanguageModel base = HfCheckpoints.loadModel(f.dir(), manager);
        try {
            return f.lora() == null ? base : LoraModel.attach(base, f.lora(), manager);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }
}
