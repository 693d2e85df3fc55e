package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;

/**
 * What a linear layer adds to its output, {@code y = W x + b + adapter(x)}: how low-rank adapters
 * ({@link dev.notebench.train.lora.LoraModel}) plug into a model's linear layers without the model
 * knowing what they are. Installed with {@link LanguageModel#adapters}, by weight.
 */
@FunctionalInterface
public interface LinearAdapter {
    /**
     * Computes the addition to the layer's output.
     *
     * @param x the layer's input, (..., in)
     * @param training whether dropout is on
     * @return (..., out), in the input's manager
     */
    NDArray delta(NDArray x, boolean training);
}
