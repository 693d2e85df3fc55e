package dev.notebench.train.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;

/** Creates and holds a model's parameters, in creation order. */
final class Params {
    private final NDManager manager;
    private final List<Parameter> all = new ArrayList<>();
    private final List<Parameter> decayed = new ArrayList<>();

    Params(NDManager manager) {
        this.manager = manager;
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
        Parameter p = Parameter.builder().setName(name).setType(type).optShape(new Shape(shape)).optInitializer(init).build();
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
