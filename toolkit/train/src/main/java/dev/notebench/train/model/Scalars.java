package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalars for arithmetic on the autograd graph.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code add}, ... with a number) wraps the
 * number in a tensor over a Java direct buffer that torch does not own, and closes it as soon as
 * the operation returns. Autograd keeps that tensor for the backward pass (the gradient of
 * {@code x * s} needs {@code s}), so when a garbage collection frees the buffer before
 * {@code backward()}, the gradient is computed from freed memory: measured here as a 0.3% change of
 * the gradient norm at a random step and runs that differ from process to process. A scalar made
 * by torch itself ({@code full}) is kept alive by the graph.
 */
public final class Scalars {
    private Scalars() {
    }

    /**
     * A 0-dimensional array with {@code like}'s type, device and manager, in memory torch owns.
     *
     * @param like the array it will be combined with
     * @param value the value
     * @return the scalar, closed with {@code like}'s manager
     */
    public static NDArray like(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType(), like.getDevice());
    }
}
