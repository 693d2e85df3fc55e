package dev.notebench.train.metrics;

/**
 * An exponential moving average with bias correction, as TensorBoard smooths scalars: the first
 * values are not pulled towards zero. Not thread-safe.
 *
 * <pre>{@code
 * Smoothing s = new Smoothing(0.9);
 * double smoothed = s.next(loss);
 * }</pre>
 */
public final class Smoothing {
    private final double weight;
    private double average;
    private double correction = 1;

    /**
     * Creates a moving average.
     *
     * @param weight how much of the previous average each value keeps, in [0, 1); 0 passes values through
     */
    public Smoothing(double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("smoothing weight " + weight + " must be in [0, 1); 0.9 is usual, 0 for none");
        }
        this.weight = weight;
    }

    /**
     * Adds a value and returns the smoothed value; non-finite values are skipped and return the
     * current average (NaN before the first finite value).
     *
     * @param value the next value
     */
    public double next(double value) {
        if (!Double.isFinite(value)) {
            return correction == 1 ? Double.NaN : average / (1 - correction);
        }
        average = weight * average + (1 - weight) * value;
        correction *= weight;
        return average / (1 - correction);
    }

    /**
     * Smooths a whole series.
     *
     * @param values the values in order
     * @param weight as for {@link #Smoothing(double)}
     * @return the smoothed values, one per value
     */
    public static double[] of(double[] values, double weight) {
        Smoothing s = new Smoothing(weight);
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = s.next(values[i]);
        }
        return out;
    }
}
