package dev.notebench.safetensors;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor to write: its shape and its values as floats, in row-major order. The buffer is read
 * when the file is written, not copied before.
 *
 * @param shape the dimensions; empty for a scalar
 * @param values exactly as many values as the shape has elements, from the buffer's position
 */
public record TensorData(long[] shape, FloatBuffer values) {
    /** Checks that the values fit the shape. */
    public TensorData {
        shape = shape.clone();
        Objects.requireNonNull(values, "values");
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != values.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n + " elements but "
                    + values.remaining() + " values were given");
        }
    }

    /**
     * A tensor from an array.
     *
     * @param values the values in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData of(float[] values, long... shape) {
        return new TensorData(shape, FloatBuffer.wrap(values));
    }

    /** Returns a copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Returns the number of elements. */
    public long elementCount() {
        return values.remaining();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && Arrays.equals(shape, t.shape) && values.equals(t.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + values.hashCode();
    }
}
