package dev.notebench.enrich.cascade;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The confidence threshold of a cascade, chosen on a labelled sample so that the cascade's
 * accuracy meets a target with probability at least {@code 1 - delta}.
 *
 * <p>The method (Learn-then-Test with fixed-sequence testing, Angelopoulos et al. 2021): the
 * candidate thresholds are fixed before the sample is seen, {@code +inf} (every row to the
 * expensive stage) then 1.000, 0.999, ..., 0.000. A row keeps the cheap answer when its
 * confidence is at least the threshold and goes to the expensive stage otherwise. For each
 * candidate in that order the null hypothesis "the cascade's error rate on the population exceeds
 * {@code 1 - target}" is tested with the exact p-value of the errors the cascade makes on the
 * sample: the hypergeometric lower tail at the least favourable error count
 * ({@code floor(N (1 - target)) + 1} of the N rows the sample was drawn from without replacement),
 * or the binomial lower tail when N is not known (rows drawn independently). The threshold keeps
 * going down while the null is rejected at level {@code delta} and stops at the first failure; the
 * last rejected candidate is chosen. Testing in a fixed order at full level {@code delta} controls
 * the chance of choosing any threshold whose error rate exceeds the target at {@code delta}, so the
 * chosen one meets the target on the population with probability at least {@code 1 - delta} over
 * the draw of the sample. When not even {@code +inf} is rejected (a sample too small, or an
 * expensive stage that errs too often) every row goes to the expensive stage and {@link #reason()}
 * says why; then nothing is guaranteed.
 *
 * <pre>{@code
 * ThresholdSelection s = ThresholdSelection.choose(sample, 0.95, 0.1, goldRows);
 * boolean escalate = !(confidence >= s.threshold());
 * }</pre>
 */
public final class ThresholdSelection {
    /** The step of the candidate thresholds below 1. */
    public static final double STEP = 0.001;
    private static final int GRID = 1000;

    /**
     * One tested candidate.
     *
     * @param threshold the candidate (+inf: every row to the expensive stage)
     * @param kept sample rows that keep the cheap answer
     * @param errors the cascade's wrong answers on the sample at this threshold
     * @param pValue the exact p-value of "error rate exceeds 1 - target"
     * @param rejected whether that was rejected at delta
     */
    public record Test(double threshold, int kept, int errors, double pValue, boolean rejected) {
    }

    private final double target;
    private final double delta;
    private final int population;
    private final int sampleRows;
    private final List<Test> tests;
    private final Test chosen;
    private final String reason;

    private ThresholdSelection(double target, double delta, int population, int sampleRows, List<Test> tests, Test chosen,
                               String reason) {
        this.target = target;
        this.delta = delta;
        this.population = population;
        this.sampleRows = sampleRows;
        this.tests = List.copyOf(tests);
        this.chosen = chosen;
        this.reason = reason;
    }

    /**
     * Chooses the threshold.
     *
     * @param sample the labelled sample answered by both stages
     * @param target the accuracy to meet, in (0, 1)
     * @param delta the allowed chance of missing it, in (0, 1)
     * @param population the rows the sample was drawn from without replacement (0: unknown, then
     *     the binomial tail, valid for rows drawn independently)
     * @throws IllegalArgumentException for a target or delta outside (0, 1), or a sample larger
     *     than its population
     */
    public static ThresholdSelection choose(List<SampleRow> sample, double target, double delta, int population) {
        if (!(target > 0 && target < 1) || !(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("the target and delta must lie in (0, 1), not " + target + " and " + delta);
        }
        if (population != 0 && sample.size() > population) {
            throw new IllegalArgumentException("a sample of " + sample.size() + " rows cannot come from " + population);
        }
        int n = sample.size();
        String pct = percent(target);
        if (n == 0) {
            return new ThresholdSelection(target, delta, population, 0, List.of(), null,
                    "no labelled sample: every row goes to the expensive stage, and nothing is guaranteed");
        }
        List<Test> tests = new ArrayList<>();
        Test chosen = null;
        for (int step = -1; step <= GRID; step++) {
            double t = step < 0 ? Double.POSITIVE_INFINITY : (GRID - step) / (double) GRID;
            int kept = 0;
            int errors = 0;
            for (SampleRow r : sample) {
                boolean keep = r.confidence() >= t;
                kept += keep ? 1 : 0;
                errors += (keep ? r.cheapRight() : r.expensiveRight()) ? 0 : 1;
            }
            Test test = new Test(t, kept, errors, pValue(errors, n, target, population), false);
            test = new Test(t, kept, errors, test.pValue(), test.pValue() <= delta);
            tests.add(test);
            if (!test.rejected()) {
                break;
            }
            chosen = test;
        }
        Test last = tests.get(tests.size() - 1);
        String reason;
        if (chosen == null) {
            int needed = minimumSample(target, delta, population);
            reason = last.errors() == 0
                    ? String.format(Locale.ROOT, "a sample of %d rows is too small to show an accuracy of %s at delta %s even with"
                    + " no error (p = %.3g > %s; %s rows are needed): every row goes to the expensive stage, and nothing is"
                    + " guaranteed", n, pct, num(delta), last.pValue(), num(delta), needed < 0 ? "more" : "at least " + needed)
                    : String.format(Locale.ROOT, "the expensive stage alone got %d of the %d sample rows wrong (p = %.3g > %s for an"
                    + " accuracy of %s): every row goes to it, and nothing is guaranteed", last.errors(), n, last.pValue(),
                    num(delta), pct);
        } else if (last.rejected()) {
            reason = String.format(Locale.ROOT, "the cheap stage alone meets an accuracy of %s at delta %s (%d errors on %d sample"
                    + " rows, p = %.3g): every row keeps its cheap answer", pct, num(delta), last.errors(), n, last.pValue());
        } else {
            reason = String.format(Locale.ROOT, "lowering the threshold to %.3f would make %d errors on the %d sample rows (p = %.3g"
                    + " > %s), so it stops at %s", last.threshold(), last.errors(), n, last.pValue(), num(delta),
                    chosen.threshold() == Double.POSITIVE_INFINITY ? "+inf (every row to the expensive stage)"
                            : String.format(Locale.ROOT, "%.3f", chosen.threshold()));
        }
        return new ThresholdSelection(target, delta, population, n, tests, chosen, reason);
    }

    /**
     * The exact p-value of "the error rate exceeds {@code 1 - target}" after {@code errors} errors
     * in {@code n} sample rows.
     *
     * @param errors errors on the sample
     * @param n sample rows
     * @param target the accuracy target, in (0, 1)
     * @param population the rows the sample was drawn from without replacement; 0 for the binomial tail
     */
    public static double pValue(int errors, int n, double target, int population) {
        BigDecimal allowed = BigDecimal.ONE.subtract(new BigDecimal(Double.toString(target)));
        if (population == 0) {
            return Tails.binomialCdf(errors, n, allowed.doubleValue());
        }
        // The least favourable table under the null: the fewest errors that exceed the allowed share.
        int worst = allowed.multiply(BigDecimal.valueOf(population)).setScale(0, RoundingMode.FLOOR).intValueExact() + 1;
        if (worst > population) {
            return 0;
        }
        return Tails.hypergeometricCdf(errors, population, worst, n);
    }

    /** The fewest sample rows that, all right, reject the null; -1 when even the whole population does not. */
    static int minimumSample(double target, double delta, int population) {
        int limit = population == 0 ? 10_000_000 : population;
        for (int n = 1; n <= limit; n++) {
            if (pValue(0, n, target, population) <= delta) {
                return n;
            }
        }
        return -1;
    }

    /** The threshold: rows whose cheap confidence is at least this keep the cheap answer; +inf sends every row on. */
    public double threshold() {
        return chosen == null ? Double.POSITIVE_INFINITY : chosen.threshold();
    }

    /** Whether a row with this cheap confidence goes to the expensive stage (NaN: no confidence, it does). */
    public boolean escalates(double confidence) {
        return !(confidence >= threshold());
    }

    /** Whether some threshold was shown to meet the target (false: every row goes to the expensive stage, unguaranteed). */
    public boolean guaranteed() {
        return chosen != null;
    }

    /** The cascade's errors on the sample at the chosen threshold (the expensive stage's alone when none was shown). */
    public int sampleErrors() {
        return chosen != null ? chosen.errors() : tests.isEmpty() ? 0 : tests.get(0).errors();
    }

    /** The cascade's accuracy on the sample at the chosen threshold; NaN for an empty sample. */
    public double sampleAccuracy() {
        return sampleRows == 0 ? Double.NaN : 1 - sampleErrors() / (double) sampleRows;
    }

    /** The sample's size. */
    public int sampleRows() {
        return sampleRows;
    }

    /** The accuracy target. */
    public double target() {
        return target;
    }

    /** The allowed chance of missing the target. */
    public double delta() {
        return delta;
    }

    /** Why the selection stopped where it did, in one sentence. */
    public String reason() {
        return reason;
    }

    /** The candidates tested, in order; the last one is the first not rejected unless the grid ran out. */
    public List<Test> tests() {
        return tests;
    }

    /** The method and its guarantee, in one paragraph, for help texts and reports. */
    public String method() {
        return String.format(Locale.ROOT, "threshold chosen on a random labelled sample of %d rows%s: from +inf (every row to the"
                + " expensive stage) down through 1.000, 0.999, ..., 0.000, each tested for \"error rate > %s\" with the exact %s"
                + " p-value, lowered while rejected at delta %s and stopped at the first failure (fixed-sequence Learn-then-Test);"
                + " the chosen threshold meets an accuracy of %s %s with probability at least %s", sampleRows,
                population == 0 ? "" : " of " + population, num(1 - target), population == 0 ? "binomial" : "hypergeometric",
                num(delta), percent(target), population == 0 ? "on rows drawn like the sample" : "on the " + population
                        + " rows the sample was drawn from", num(1 - delta));
    }

    /** The tested candidates as a table: threshold, kept, errors, p_value, rejected. */
    public Table testsTable() {
        DoubleColumn t = DoubleColumn.create("threshold");
        IntColumn kept = IntColumn.create("kept_cheap");
        IntColumn errors = IntColumn.create("errors");
        DoubleColumn p = DoubleColumn.create("p_value");
        BooleanColumn rejected = BooleanColumn.create("rejected");
        for (Test x : tests) {
            t.append(x.threshold());
            kept.append(x.kept());
            errors.append(x.errors());
            p.append(x.pValue());
            rejected.append(x.rejected());
        }
        return Table.create("threshold tests", t, kept, errors, p, rejected);
    }

    private static String percent(double v) {
        return BigDecimal.valueOf(v * 100).stripTrailingZeros().toPlainString() + "%";
    }

    private static String num(double v) {
        return BigDecimal.valueOf(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
