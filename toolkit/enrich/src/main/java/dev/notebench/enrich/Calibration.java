package dev.notebench.enrich;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Whether confidences mean what they say, and the one-number fix for a classifier's scores that
 * do not: temperature scaling (Guo et al., 2017). A temperature {@code T} divides the logits
 * before the softmax (or before each label's sigmoid); it is chosen to minimize the negative
 * log-likelihood of held-out answers, so it changes which answers look sure, never which answer
 * is given. The measures: expected calibration error over equal-width bins, the reliability table
 * behind it, and the accuracy of the most confident rows at a coverage.
 *
 * <pre>{@code
 * double t = Calibration.softmaxTemperature(outOfFoldLogits, trueClasses);
 * double ece = Calibration.expectedCalibrationError(confidences, correct, 10);
 * }</pre>
 */
public final class Calibration {
    /** The smallest temperature fitted (a held-out set answered perfectly would otherwise drive it to 0). */
    public static final double MIN_TEMPERATURE = 0.05;
    /** The largest temperature fitted. */
    public static final double MAX_TEMPERATURE = 20;
    private static final int SEARCH_STEPS = 200;

    private Calibration() {
    }

    /**
     * The temperature that makes a softmax over {@code logits[i]} most likely to give {@code classes[i]},
     * in [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}].
     *
     * @param logits one row of scores per held-out example
     * @param classes each example's right class (an index into its row)
     */
    public static double softmaxTemperature(double[][] logits, int[] classes) {
        return fit(beta -> {
            double nll = 0;
            for (int i = 0; i < logits.length; i++) {
                nll -= Math.log(Math.max(softmax(logits[i], beta)[classes[i]], 1e-300));
            }
            return nll;
        });
    }

    /**
     * The temperature that makes each label's sigmoid of {@code logits[i][j]} most likely to give
     * {@code applies[i][j]} (one temperature for every label), in [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}].
     *
     * @param logits one row of per-label scores per held-out example
     * @param applies whether each label applies to each example
     */
    public static double sigmoidTemperature(double[][] logits, boolean[][] applies) {
        return fit(beta -> {
            double nll = 0;
            for (int i = 0; i < logits.length; i++) {
                for (int j = 0; j < logits[i].length; j++) {
                    // -log sigmoid(s) = log(1 + e^-s), written to stay finite for large |s|
                    double s = (applies[i][j] ? 1 : -1) * beta * logits[i][j];
                    nll += s > 0 ? Math.log1p(Math.exp(-s)) : -s + Math.log1p(Math.exp(s));
                }
            }
            return nll;
        });
    }

    /** Golden-section search of the inverse temperature; the negative log-likelihood is convex in it. */
    private static double fit(java.util.function.DoubleUnaryOperator nllOfBeta) {
        double lo = 1 / MAX_TEMPERATURE;
        double hi = 1 / MIN_TEMPERATURE;
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        double fa = nllOfBeta.applyAsDouble(a);
        double fb = nllOfBeta.applyAsDouble(b);
        for (int step = 0; step < SEARCH_STEPS && hi - lo > 1e-10; step++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = nllOfBeta.applyAsDouble(a);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = nllOfBeta.applyAsDouble(b);
            }
        }
        return 1 / ((lo + hi) / 2);
    }

    /**
     * The softmax of {@code logits} times {@code scale} (an inverse temperature).
     *
     * @param logits the scores
     * @param scale what they are multiplied by first
     */
    public static double[] softmax(double[] logits, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v * scale);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            p[j] = Math.exp(logits[j] * scale - max);
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /**
     * Expected calibration error: over {@code bins} equal-width bins of confidence (a confidence of
     * exactly 1 in the last), the row-weighted mean of |accuracy − mean confidence|.
     *
     * @param confidence each row's confidence in its answer, in [0, 1]
     * @param correct whether each row's answer is right
     * @param bins the number of bins (10 is usual)
     */
    public static double expectedCalibrationError(double[] confidence, boolean[] correct, int bins) {
        Table t = reliability(confidence, correct, bins);
        double ece = 0;
        for (int b = 0; b < t.rowCount(); b++) {
            int n = t.intColumn("rows").getInt(b);
            if (n > 0) {
                ece += n * Math.abs(t.doubleColumn("accuracy").getDouble(b) - t.doubleColumn("mean confidence").getDouble(b));
            }
        }
        return confidence.length == 0 ? 0 : ece / confidence.length;
    }

    /**
     * The reliability table: per equal-width bin of confidence, its rows, their mean confidence and
     * their accuracy (missing for an empty bin).
     *
     * @param confidence each row's confidence, in [0, 1]
     * @param correct whether each row's answer is right
     * @param bins the number of bins
     */
    public static Table reliability(double[] confidence, boolean[] correct, int bins) {
        int[] n = new int[bins];
        double[] conf = new double[bins];
        int[] right = new int[bins];
        for (int i = 0; i < confidence.length; i++) {
            int b = Math.min(bins - 1, (int) Math.floor(confidence[i] * bins));
            n[b]++;
            conf[b] += confidence[i];
            right[b] += correct[i] ? 1 : 0;
        }
        StringColumn bin = StringColumn.create("confidence");
        IntColumn rows = IntColumn.create("rows");
        DoubleColumn mean = DoubleColumn.create("mean confidence");
        DoubleColumn accuracy = DoubleColumn.create("accuracy");
        for (int b = 0; b < bins; b++) {
            bin.append(String.format(java.util.Locale.ROOT, "%.2f–%.2f", (double) b / bins, (double) (b + 1) / bins));
            rows.append(n[b]);
            if (n[b] == 0) {
                mean.appendMissing();
                accuracy.appendMissing();
            } else {
                mean.append(conf[b] / n[b]);
                accuracy.append((double) right[b] / n[b]);
            }
        }
        return Table.create("reliability", bin, rows, mean, accuracy);
    }

    /**
     * The accuracy of the {@code coverage} share of rows the answers are surest of (ties kept in
     * row order), at least one row.
     *
     * @param confidence each row's confidence
     * @param correct whether each row's answer is right
     * @param coverage the share of rows kept, in (0, 1]
     */
    public static double accuracyAtCoverage(double[] confidence, boolean[] correct, double coverage) {
        Integer[] order = IntStream.range(0, confidence.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -confidence[i]));
        int kept = Math.max(1, (int) Math.round(coverage * confidence.length));
        int right = 0;
        for (int i = 0; i < kept; i++) {
            right += correct[order[i]] ? 1 : 0;
        }
        return (double) right / kept;
    }
}
