package dev.notebench.train.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and holds a model's parameters, in creation order: initialized as each kind asks, or
 * only allocated (torch's uninitialized storage, no page touched) when the caller fills every
 * parameter itself, as a checkpoint's loader does.
 */
final class Params {
    /**
     * Zeros, for a caller that copies every value in: no random draw, and the pages are touched
     * by one fast fill (a copy into torch's uninitialized storage measured 4x slower here, each
     * page faulting inside the indexed copy).
     */
    private static final Initializer ALLOCATE_ONLY = Initializer.ZEROS;
    private final NDManager manager;
    private final boolean initialize;
    private final List<Parameter> all = new ArrayList<>();
    private final List<Parameter> decayed = new ArrayList<>();

    /**
     * @param manager owns the parameters
     * @param initialize whether parameters take their initial values; false leaves them
     *     uninitialized for a caller that overwrites every one
     */
    Params(NDManager manager, boolean initialize) {
        this.manager = manager;
        this.initialize = initialize;
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
                .optInitializer(initialize ? init : ALLOCATE_ONLY).build();
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
