package dev.notebench.train;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Locale;

/** The number format training computes in. */
public enum Precision {
    /** 32-bit floats everywhere. */
    FP32,
    /**
     * 16-bit floats for the forward and backward pass with 32-bit master weights and dynamic loss
     * scaling, for GPUs (the CPU runs it correctly but slowly); gpt only.
     */
    FP16,
    /** bfloat16: refused, because DJL's PyTorch JNI kills the JVM on BFLOAT16 arrays. */
    BF16;

    /**
     * Parses {@code fp32}, {@code fp16} or {@code bf16}.
     *
     * @param s the name
     */
    public static Precision parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "unknown precision '" + s + "'; use fp32, fp16 or bf16");
        }
    }
}
