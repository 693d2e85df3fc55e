package dev.notebench.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Turns a tensor's stored bytes into little-endian F32, copying only when the type is not F32. */
final class FloatConversion {
    private FloatConversion() {
    }

    static ByteBuffer toF32(DType dtype, ByteBuffer raw, long count) {
        if (dtype == DType.F32) {
            return raw;
        }
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.LITTLE_ENDIAN);
        convert(dtype, raw, out, (int) count);
        return out;
    }

    /**
     * Converts {@code n} stored values (from the start of {@code raw}) to F32 in {@code out}, from
     * its start; neither buffer's position moves.
     */
    static void convert(DType dtype, ByteBuffer raw, ByteBuffer out, int n) {
        FloatBuffer floats = out.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        ByteBuffer in = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, HalfFloats.f16ToFloat(in.getShort(2 * i)));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, HalfFloats.bf16ToFloat(in.getShort(2 * i)));
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    floats.put(i, (float) in.getDouble(8 * i));
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not a float type");
        }
    }
}
