package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and holds a model's parameters, in creation order: initialized as each kind asks, or,
 * for a model built from stored weights, taken from a {@link ParameterSource} (zeros where it has
 * nothing, for the caller to fill in).
 */
final class Params {
    private final NDManager manager;
    private final ParameterSource source;
    private final List<Parameter> all = new ArrayList<>();
    private final List<Parameter> decayed = new ArrayList<>();

    /**
     * @param manager owns the parameters
     * @param source where the parameters come from, or null to initialize them
     */
    Params(NDManager manager, ParameterSource source) {
        this.manager = manager;
        this.source = source;
    }

    /** A weight drawn from N(0, sigma²); {@code decay} says whether weight decay applies. */
    Parameter normal(String name, float sigma, boolean decay, long... shape) {
        return add(name, Parameter.Type.WEIGHT, new NormalInitializer(sigma), decay, shape);
    }

    /** A parameter drawn from U(-scale, scale). */
    Parameter uniform(String name, Parameter.Type type, float scale, boolean decay, long... shape) {
        return add(name, type, (m, s, t) -> m.randomUniform(-scale, scale, s, t), decay, shape);
    }

    /** A parameter filled with a constant (biases 0, norm gains 1); never decayed. */
    Parameter constant(String name, Parameter.Type type, float value, long... shape) {
        Initializer init = value == 0 ? Initializer.ZEROS : value == 1 ? Initializer.ONES
                : (m, s, t) -> m.full(s, value, t);
        return add(name, type, init, false, shape);
    }

    private Parameter add(String name, Parameter.Type type, Initializer init, boolean decay, long... shape) {
        Parameter p = Parameter.builder().setName(name).setType(type).optShape(new Shape(shape))
                .optInitializer(source == null ? init : (m, s, t) -> {
                    NDArray given = source.array(name, s, m);
                    return given != null ? given : m.zeros(s, t);
                }).build();
        p.initialize(manager, DataType.FLOAT32);
        all.add(p);
        if (decay) {
            decayed.add(p);
        }
        return p;
    }

    List<Parameter> all() {
        return List.copyOf(all);
    }

    boolean decays(Parameter p) {
        return decayed.contains(p);
    }
}
