package dev.notebench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.notebench.train.model.GptFamily;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test family: {@code gpt} whose model interrupts the training thread during its N-th training
 * forward pass ({@code interrupt_at}, counted from 1 for each model object), as the kernel's
 * interrupt does when it lands in the middle of a step.
 */
public final class InterruptingGptFamily implements ModelFamily {
    private final GptFamily gpt = new GptFamily();

    /** For {@link java.util.ServiceLoader}. */
    public InterruptingGptFamily() {
    }

    @Override
    public String name() {
        return "gpt-interrupting";
    }

    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>(gpt.defaults());
        d.put("interrupt_at", 0);
        return d;
    }

    @Override
    public void validate(ModelConfig config) {
        gpt.validate(withoutInterrupt(config));
    }

    @Override
    public int windowLength(ModelConfig config) {
        return gpt.windowLength(withoutInterrupt(config));
    }

    @Override
    public LanguageModel create(ModelConfig config, int vocabSize, NDManager manager) {
        int at = ((Number) config.withDefaults(defaults()).values().get("interrupt_at")).intValue();
        LanguageModel model = gpt.create(withoutInterrupt(config), vocabSize, manager);
        return new Interrupting(model, config, at);
    }

    private static ModelConfig withoutInterrupt(ModelConfig config) {
        Map<String, Object> values = new LinkedHashMap<>(config.values());
        values.remove("interrupt_at");
        return new ModelConfig("gpt", values);
    }

    /** Delegates to a GPT model; interrupts the calling thread inside one training forward pass. */
    private static final class Interrupting implements LanguageModel {
        private final LanguageModel model;
        private final ModelConfig config;
        private final int at;
        private int forwards;

        Interrupting(LanguageModel model, ModelConfig config, int at) {
            this.model = model;
            this.config = config;
            this.at = at;
        }

        @Override
        public String family() {
            return "gpt-interrupting";
        }

        @Override
        public ModelConfig config() {
            return config;
        }

        @Override
        public int vocabSize() {
            return model.vocabSize();
        }

        @Override
        public int contextLength() {
            return model.contextLength();
        }

        @Override
        public NDArray forward(NDArray tokens, boolean training) {
            NDArray out = model.forward(tokens, training);
            if (training && ++forwards == at) {
                Thread.currentThread().interrupt();
            }
            return out;
        }

        @Override
        public List<Parameter> parameters() {
            return model.parameters();
        }

        @Override
        public boolean decays(Parameter p) {
            return model.decays(p);
        }

        @Override
        public Decoder decoder(int batch) {
            return model.decoder(batch);
        }

        @Override
        public void workingCopies(Map<Parameter, NDArray> copies) {
            model.workingCopies(copies);
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
