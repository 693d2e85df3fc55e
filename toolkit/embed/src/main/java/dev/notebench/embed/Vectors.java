package dev.notebench.embed;

/** Arithmetic on embedding vectors. */
public final class Vectors {
    private Vectors() {
    }

    /**
     * The cosine of the angle between two vectors of the same length, in double precision; 0 when
     * either is all zeros.
     *
     * @param a a vector
     * @param b a vector of the same length
     */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " floats");
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
