package dev.notebench.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header: its name, element type, shape and where its bytes
 * lie, relative to the end of the header.
 *
 * @param name the tensor's name, e.g. {@code "model.layers.0.self_attn.q_proj.weight"}
 * @param dtype the element type
 * @param shape the dimensions; empty for a scalar
 * @param begin the first byte, relative to the start of the data section
 * @param end one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    /** Checks the fields and copies the shape. */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** Returns a copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Returns the number of elements (1 for a scalar, 0 when a dimension is 0). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Returns the number of bytes the data takes ({@code end - begin}). */
    public long byteSize() {
        return end - begin;
    }

    /** Returns the shape as the header writes it, e.g. {@code [2, 3]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeText();
    }
}
