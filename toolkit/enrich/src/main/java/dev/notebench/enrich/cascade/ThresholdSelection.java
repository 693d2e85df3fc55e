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
 * The confidence threshold of a cascade, chosen on a labelled sample so that the cascade meets
 * every stated {@link Target} (its accuracy, the precision or recall of some labels) with
 * probability at least {@code 1 - delta}.
 *
 * <p>The method (Learn-then-Test with fixed-sequence testing, Angelopoulos et al. 2021): the
 * candidate thresholds are fixed before the sample is seen, {@code +inf} (every row to the
 * expensive stage) then 1.000, 0.999, ..., 0.000. A row keeps the cheap answer when its
 * confidence is at least the threshold and goes to the expensive stage otherwise. For each
 * candidate in that order every target's null hypothesis "the target is missed on the population"
 * is tested with the exact p-value of the cascade's errors on the sample ({@link Target}): for
 * accuracy "the error rate exceeds {@code 1 - target}", the hypergeometric lower tail at the least
 * favourable error count ({@code floor(N (1 - target)) + 1} of the N rows the sample was drawn
 * from without replacement), or the binomial lower tail when N is not known (rows drawn
 * independently); for the precision (recall) P of a label L "the precision (recall) of L is below
 * P", the binomial lower tail at error rate {@code 1 - P} of the errors among the m sample rows the
 * cascade labels L (whose gold is L), conditional on m (m = 0 gives p = 1).
 *
 * <p>Several targets at one threshold form an intersection-union test: the threshold passes when
 * every target's null is rejected at level {@code delta}, i.e. when the largest of their p-values
 * is at most {@code delta}. No Bonferroni correction is needed: the null of the threshold, "some
 * target is missed", is the union of the targets' nulls, and when any one of them is true the
 * chance of rejecting them all is at most the chance of rejecting that one, at most {@code delta}.
 * The threshold keeps going down while it passes and stops at the first failure; the last passing
 * candidate is chosen. Testing in a fixed order at full level {@code delta} controls the chance of
 * choosing any threshold at which some target is missed at {@code delta}, so at the chosen one
 * every stated target holds on the population with probability at least {@code 1 - delta} over the
 * draw of the sample. When not even {@code +inf} passes (a sample too small, or an expensive stage
 * that errs too often) every row goes to the expensive stage and {@link #reason()} says why; then
 * nothing is guaranteed.
 *
 * <pre>{@code
 * ThresholdSelection s = ThresholdSelection.choose(sample,
 *         List.of(new Target.Accuracy(0.95), new Target.Recall("spam", 0.9)), 0.1, goldRows);
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
     * @param pValue the p-value of the intersection-union test: the largest of the targets' p-values
     * @param rejected whether every target's null was rejected at delta (the candidate passes)
     * @param checks each target's errors, conditioning count and p-value, in the targets' order
     */
    public record Test(double threshold, int kept, int errors, double pValue, boolean rejected, List<Target.Check> checks) {
        /** Copies the checks. */
        public Test {
            checks = List.copyOf(checks);
        }
    }

    private final List<Target> targets;
    private final double delta;
    private final int population;
    private final int sampleRows;
    private final List<Test> tests;
    private final Test chosen;
    private final List<Target.Check> checks;
    private final String reason;

    private ThresholdSelection(List<Target> targets, double delta, int population, int sampleRows, List<Test> tests, Test chosen,
                               List<Target.Check> checks, String reason) {
        this.targets = List.copyOf(targets);
        this.delta = delta;
        this.population = population;
        this.sampleRows = sampleRows;
        this.tests = List.copyOf(tests);
        this.chosen = chosen;
        this.checks = List.copyOf(checks);
        this.reason = reason;
    }

    /**
     * Chooses the threshold for an accuracy target alone.
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
        return choose(sample, List.of(new Target.Accuracy(target)), delta, population);
    }

    /**
     * Chooses the threshold at which every target holds (intersection-union test at each candidate, fixed-sequence descent).
     *
     * @param sample the labelled sample answered by both stages
     * @param targets the targets to meet, at least one
     * @param delta the allowed chance that any of them is missed, in (0, 1)
     * @param population the rows the sample was drawn from without replacement (0: unknown, then
     *     the binomial tail, valid for rows drawn independently)
     * @throws IllegalArgumentException for no target, a delta outside (0, 1), or a sample larger than its population
     */
    public static ThresholdSelection choose(List<SampleRow> sample, List<Target> targets, double delta, int population) {
        if (targets.isEmpty() || !(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("need at least one target and a delta in (0, 1), not " + targets + " and " + delta);
        }
        if (population != 0 && sample.size() > population) {
            throw new IllegalArgumentException("a sample of " + sample.size() + " rows cannot come from " + population);
        }
        int n = sample.size();
        if (n == 0) {
            List<Target.Check> none = targets.stream().map(t -> new Target.Check(t, 0, 0, 1.0)).toList();
            return new ThresholdSelection(targets, delta, population, 0, List.of(), null, none,
                    "no labelled sample: every row goes to the expensive stage, and nothing is guaranteed");
        }
        List<Test> tests = new ArrayList<>();
        Test chosen = null;
        for (int step = -1; step <= GRID; step++) {
            double t = step < 0 ? Double.POSITIVE_INFINITY : (GRID - step) / (double) GRID;
            int kept = 0;
            int errors = 0;
            for (SampleRow r : sample) {
                boolean keep = r.keepsCheap(t);
                kept += keep ? 1 : 0;
                errors += (keep ? r.cheapRight() : r.expensiveRight()) ? 0 : 1;
            }
            List<Target.Check> checks = new ArrayList<>();
            double p = 0;
            for (Target target : targets) {
                Target.Check c = target.check(sample, t, population);
                checks.add(c);
                p = Math.max(p, c.pValue());
            }
            Test test = new Test(t, kept, errors, p, p <= delta, checks);
            tests.add(test);
            if (!test.rejected()) {
                break;
            }
            chosen = test;
        }
        Test last = tests.get(tests.size() - 1);
        String reason = reason(targets, delta, population, n, chosen, last);
        return new ThresholdSelection(targets, delta, population, n, tests, chosen, (chosen != null ? chosen : tests.get(0)).checks(),
                reason);
    }

    /** Why the descent stopped where it did. */
    private static String reason(List<Target> targets, double delta, int population, int n, Test chosen, Test last) {
        if (last.rejected()) {
            List<String> evidence = new ArrayList<>();
            for (Target.Check c : last.checks()) {
                evidence.add(String.format(Locale.ROOT, "%d errors on %s, p = %.3g", c.errors(), c.target().rows(c.rows()), c.pValue()));
            }
            return String.format(Locale.ROOT, "the cheap stage alone meets %s at delta %s (%s): every row keeps its cheap answer",
                    goals(targets), num(delta), String.join("; ", evidence));
        }
        // the first target whose null was not rejected
        Target.Check failed = last.checks().stream().filter(c -> c.pValue() > delta).findFirst().orElseThrow();
        Target target = failed.target();
        String suffix = targets.size() == 1 ? "" : " for " + target.goal();
        if (chosen == null && failed.errors() == 0) {
            int needed = target.minimumRows(delta, target instanceof Target.Accuracy ? population : 0);
            return target instanceof Target.Accuracy
                    ? String.format(Locale.ROOT, "a sample of %d rows is too small to show %s at delta %s even with no error (p = %.3g"
                    + " > %s; %s rows are needed): every row goes to the expensive stage, and nothing is guaranteed", n,
                    target.goal(), num(delta), failed.pValue(), num(delta), needed < 0 ? "more" : "at least " + needed)
                    : String.format(Locale.ROOT, "the %s are too few to show %s at delta %s even with no error (p = %.3g > %s; %s"
                    + " such rows are needed): every row goes to the expensive stage, and nothing is guaranteed",
                    target.rows(failed.rows()), target.goal(), num(delta), failed.pValue(), num(delta),
                    needed < 0 ? "more" : "at least " + needed);
        }
        if (chosen == null) {
            return String.format(Locale.ROOT, "the expensive stage alone got %d of the %s wrong (p = %.3g > %s for %s): every row"
                    + " goes to it, and nothing is guaranteed", failed.errors(), target.rows(failed.rows()), failed.pValue(),
                    num(delta), target.goal());
        }
        return String.format(Locale.ROOT, "lowering the threshold to %.3f would make %d errors on the %s (p = %.3g > %s%s), so it"
                + " stops at %s", last.threshold(), failed.errors(), target.rows(failed.rows()), failed.pValue(), num(delta), suffix,
                chosen.threshold() == Double.POSITIVE_INFINITY ? "+inf (every row to the expensive stage)"
                        : String.format(Locale.ROOT, "%.3f", chosen.threshold()));
    }

    private static String goals(List<Target> targets) {
        List<String> goals = targets.stream().map(Target::goal).toList();
        return goals.size() == 1 ? goals.get(0)
                : String.join(", ", goals.subList(0, goals.size() - 1)) + " and " + goals.get(goals.size() - 1);
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

    /** The accuracy target; NaN when the targets hold none. */
    public double target() {
        return targets.stream().filter(t -> t instanceof Target.Accuracy).mapToDouble(Target::level).findFirst().orElse(Double.NaN);
    }

    /** The targets, in the order given. */
    public List<Target> targets() {
        return targets;
    }

    /**
     * Each target's evidence at the chosen threshold (at +inf when none was shown, with no row
     * for an empty sample): errors, the sample rows it rests on, the value reached and the p-value.
     */
    public List<Target.Check> checks() {
        return checks;
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
        List<String> hypotheses = targets.stream().map(t -> t.hypothesis(population)).toList();
        return String.format(Locale.ROOT, "threshold chosen on a random labelled sample of %d rows%s: from +inf (every row to the"
                + " expensive stage) down through 1.000, 0.999, ..., 0.000, each tested for %s, lowered while %s at delta %s and"
                + " stopped at the first failure (fixed-sequence Learn-then-Test); the chosen threshold meets %s %s with probability"
                + " at least %s", sampleRows, population == 0 ? "" : " of " + population, String.join("; ", hypotheses),
                targets.size() == 1 ? "rejected" : "every one is rejected (intersection-union test)", num(delta), goals(targets),
                population == 0 ? "on rows drawn like the sample" : "on the " + population + " rows the sample was drawn from",
                num(1 - delta));
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

    static String percent(double v) {
        return BigDecimal.valueOf(v * 100).stripTrailingZeros().toPlainString() + "%";
    }

    static String num(double v) {
        return BigDecimal.valueOf(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
