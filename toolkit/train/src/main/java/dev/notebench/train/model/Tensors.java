package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Copying arrays into arrays that keep their own storage (weights and optimizer moments on resume). */
public final class Tensors {
    private Tensors() {
    }

    /**
     * Copies an array's values into another's own storage. ({@code NDArray.set(ByteBuffer)} would
     * instead point the target at Java direct memory, which torch did not allocate and does not
     * align as it aligns its own.)
     *
     * @param target receives the values, keeps its storage, device and type
     * @param source the values, of the same shape
     */
    public static void copyInto(NDArray target, NDArray source) {
        try (NDArray onDevice = source.toDevice(target.getDevice(), true)) {
            target.set(new NDIndex(":"), onDevice);
        }
    }
}
