package dev.notebench.enrich.cascade;

/**
 * Exact lower tails of the binomial and hypergeometric distributions, summed in log space so
 * that samples of thousands of rows neither underflow nor lose the small p-values a test needs.
 */
public final class Tails {
    private Tails() {
    }

    /**
     * P(X &le; k) for X ~ Binomial(n, p): the chance of at most {@code k} errors in {@code n} rows
     * drawn independently when each is an error with probability {@code p}.
     *
     * @param k errors seen (may be negative: then 0)
     * @param n rows drawn
     * @param p the error probability, in [0, 1]
     */
    public static double binomialCdf(int k, int n, double p) {
        if (n < 0 || p < 0 || p > 1) {
            throw new IllegalArgumentException("need n >= 0 and 0 <= p <= 1, not n=" + n + ", p=" + p);
        }
        if (k < 0) {
            return 0;
        }
        if (k >= n || p == 0) {
            return 1;
        }
        if (p == 1) {
            return 0;
        }
        double lp = Math.log(p);
        double lq = Math.log1p(-p);
        double[] terms = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            terms[i] = logChoose(n, i) + i * lp + (n - i) * lq;
        }
        return Math.min(1, Math.exp(logSumExp(terms)));
    }

    /**
     * P(X &le; k) for X ~ Hypergeometric(population, successes, draws): the chance of at most
     * {@code k} errors in {@code draws} rows drawn without replacement from {@code population}
     * rows of which {@code successes} are errors.
     *
     * @param k errors seen (may be negative: then 0)
     * @param population rows to draw from
     * @param successes error rows among them
     * @param draws rows drawn
     */
    public static double hypergeometricCdf(int k, int population, int successes, int draws) {
        if (population < 0 || successes < 0 || successes > population || draws < 0 || draws > population) {
            throw new IllegalArgumentException("need 0 <= successes, draws <= population, not population=" + population
                    + ", successes=" + successes + ", draws=" + draws);
        }
        int low = Math.max(0, draws - (population - successes));
        int high = Math.min(draws, successes);
        if (k < low) {
            return 0;
        }
        if (k >= high) {
            return 1;
        }
        double whole = logChoose(population, draws);
        double[] terms = new double[k - low + 1];
        for (int i = low; i <= k; i++) {
            terms[i - low] = logChoose(successes, i) + logChoose(population - successes, draws - i) - whole;
        }
        return Math.min(1, Math.exp(logSumExp(terms)));
    }

    /** log(n choose k), from sums of logarithms (exact to rounding for the sizes of a table). */
    static double logChoose(int n, int k) {
        if (k < 0 || k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        int m = Math.min(k, n - k);
        double s = 0;
        for (int i = 1; i <= m; i++) {
            s += Math.log(n - m + i) - Math.log(i);
        }
        return s;
    }

    private static double logSumExp(double[] terms) {
        double max = Double.NEGATIVE_INFINITY;
        for (double t : terms) {
            max = Math.max(max, t);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double t : terms) {
            s += Math.exp(t - max);
        }
        return max + Math.log(s);
    }
}
