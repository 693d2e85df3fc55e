package dev.notebench.train.model;

/**
 * Rotary position embeddings as Hugging Face's LLaMA computes them: inverse frequencies
 * {@code 1 / theta^(2i / headDim)} (here in double, then rounded to float as transformers keeps
 * them), optionally rescaled ({@code linear}: divided by the factor; {@code llama3}: long wavelengths
 * divided by the factor, short ones kept, the band between interpolated), and per position the
 * angles {@code position · invFreq} (one float rounding, as transformers' float32 product), repeated
 * for both halves of a head (the {@code rotate_half} convention).
 */
final class Rotary {
    private final int headDim;
    private final float[] invFreq;

    /**
     * The rotation of one model.
     *
     * @param headDim the dimension of a head (even)
     * @param theta the base wavelength ({@code rope_theta})
     * @param scaling how the frequencies are rescaled
     */
    Rotary(int headDim, double theta, Scaling scaling) {
        this.headDim = headDim;
        int half = headDim / 2;
        this.invFreq = new float[half];
        for (int i = 0; i < half; i++) {
            double inv = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
            invFreq[i] = (float) scaling.rescale(inv);
        }
    }

    /** Returns the inverse frequencies, one per pair of dimensions. */
    float[] inverseFrequencies() {
        return invFreq.clone();
    }

    /**
     * Returns the cosines and sines for positions {@code from .. from + t - 1}, each (t, headDim)
     * row-major.
     *
     * @param from the first position
     * @param t how many positions
     * @return {cos, sin}
     */
    float[][] tables(int from, int t) {
        float[] cos = new float[t * headDim];
        float[] sin = new float[t * headDim];
        int half = headDim / 2;
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) ((double) (from + p) * invFreq[i]);
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                int at = p * headDim + i;
                cos[at] = c;
                cos[at + half] = c;
                sin[at] = s;
                sin[at + half] = s;
            }
        }
        return new float[][] {cos, sin};
    }

    /**
     * How inverse frequencies are rescaled for longer contexts ({@code rope_scaling.rope_type}).
     *
     * @param type {@code default}, {@code linear} or {@code llama3}
     * @param factor the context extension factor
     * @param lowFreqFactor llama3: wavelengths above original/low are divided by the factor
     * @param highFreqFactor llama3: wavelengths below original/high are kept
     * @param originalContext llama3: the context the model was first trained on
     */
    record Scaling(String type, double factor, double lowFreqFactor, double highFreqFactor, int originalContext) {
        /** The rope types implemented. */
        static final java.util.List<String> TYPES = java.util.List.of("default", "linear", "llama3");

        double rescale(double inv) {
            switch (type) {
                case "linear":
                    return inv / factor;
                case "llama3":
                    double wavelength = 2 * Math.PI / inv;
                    double lowWavelength = originalContext / lowFreqFactor;
                    double highWavelength = originalContext / highFreqFactor;
                    if (wavelength > lowWavelength) {
                        return inv / factor;
                    }
                    if (wavelength < highWavelength) {
                        return inv;
                    }
                    double smooth = (originalContext / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    return (1 - smooth) * inv / factor + smooth * inv;
                default:
                    return inv;
            }
        }
    }
}
