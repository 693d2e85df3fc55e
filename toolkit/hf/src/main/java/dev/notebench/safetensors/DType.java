package dev.notebench.safetensors;

import java.util.Optional;

/**
 * The element types a safetensors header names ({@code "dtype": "F32"}), with their size.
 *
 * <p>{@link #F32}, {@link #F16}, {@link #BF16} and {@link #F64} read as {@code float}
 * ({@link SafetensorsReader#f32(String)}); the others are reported by name and read as raw bytes
 * only.
 */
public enum DType {
    /** IEEE 754 double. */
    F64(8, true),
    /** IEEE 754 single: the type training runs in, handed out without copying. */
    F32(4, true),
    /** IEEE 754 half, converted to F32 on reading. */
    F16(2, true),
    /** bfloat16 (the upper half of an F32), converted to F32 on reading. */
    BF16(2, true),
    /** Signed 64-bit integer. */
    I64(8, false),
    /** Unsigned 64-bit integer. */
    U64(8, false),
    /** Signed 32-bit integer. */
    I32(4, false),
    /** Unsigned 32-bit integer. */
    U32(4, false),
    /** Signed 16-bit integer. */
    I16(2, false),
    /** Unsigned 16-bit integer. */
    U16(2, false),
    /** Signed byte. */
    I8(1, false),
    /** Unsigned byte. */
    U8(1, false),
    /** Boolean, one byte each. */
    BOOL(1, false),
    /** 8-bit float, 4 exponent and 3 mantissa bits. */
    F8_E4M3(1, false),
    /** 8-bit float, 5 exponent and 2 mantissa bits. */
    F8_E5M2(1, false);

    private final int bytes;
    private final boolean floating;

    DType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Returns the size of one element in bytes. */
    public int byteSize() {
        return bytes;
    }

    /** Returns whether elements of this type read as {@code float} (F64, F32, F16, BF16). */
    public boolean readsAsFloat() {
        return floating;
    }

    /**
     * Finds a type by the name a header uses.
     *
     * @param name e.g. {@code "BF16"}
     * @return the type, or empty when the name is not one of these
     */
    public static Optional<DType> byName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
