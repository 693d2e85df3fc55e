package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where a model's parameters come from when it is built from stored weights instead of being
 * initialized ({@link ModelFamily#load}): asked once per parameter, by name and shape, while the
 * model is built, it hands over the array the parameter will be, or nothing, in which case the
 * parameter starts as zeros for the caller to fill in afterwards.
 *
 * <pre>{@code
 * ParameterSource mapped = (name, shape, manager) -> name.equals("model.norm.weight") ? manager.ones(shape) : null;
 * LanguageModel model = ModelFamilies.get("llama").load(config, vocab, manager, mapped);
 * }</pre>
 */
@FunctionalInterface
public interface ParameterSource {
    /**
     * Returns the array a parameter is to be.
     *
     * @param name the parameter's name (Hugging Face's state-dict name)
     * @param shape its shape
     * @param manager the manager that must own the array
     * @return an FP32 array of that shape owned by {@code manager}, or null for zeros
     */
    NDArray array(String name, Shape shape, NDManager manager);
}
