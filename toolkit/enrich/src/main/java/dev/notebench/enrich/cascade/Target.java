package dev.notebench.enrich.cascade;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One target a cascade's threshold must meet: its accuracy, or the precision or recall of one
 * label. At a candidate threshold each target counts, on the labelled sample, the rows it rests on
 * (its conditioning set) and the cascade's errors among them, and gives the exact p-value of "the
 * target is missed on the population" ({@link ThresholdSelection} tests every target at every
 * threshold).
 *
 * <p>At a threshold a sample row's answer is the cheap stage's when its confidence is at least the
 * threshold, else the expensive stage's (a failed answer labels nothing and is wrong).
 * <ul>
 *   <li>{@link Accuracy}: every sample row; an error is a wrong answer. p-value: the
 *       hypergeometric lower tail at the least favourable error count of the rows the sample was
 *       drawn from ({@link ThresholdSelection#pValue}).</li>
 *   <li>{@link Precision} of label L: the sample rows the cascade labels L; an error is such a row
 *       whose gold is not L. Precision = 1 - errors / rows.</li>
 *   <li>{@link Recall} of label L: the sample rows whose gold is L; an error is such a row the
 *       cascade does not label L. Recall = 1 - errors / rows.</li>
 * </ul>
 *
 * <p>The p-value of a precision or recall target P for label L is conditional: given the number m
 * of sample rows in the conditioning set, those rows are a random sample of the population's rows
 * in that set (the sample's rows are drawn at random, and whether a row is in the set depends on
 * the row alone), so under H0 "the population's precision (recall) of L is below P" each of them
 * is an error with probability above {@code 1 - P}, and the exact binomial lower tail
 * {@code P(Binomial(m, 1 - P) <= errors)} bounds the chance of so few errors. This is the standard
 * conditional argument. The binomial, not the hypergeometric, because the size of the conditioning
 * set in the population is not known: it depends on the gold labels of rows outside the sample
 * (recall) or on answers the expensive stage never gave (precision). The binomial is exact for rows
 * drawn independently; for rows drawn without replacement from a finite table the hypergeometric
 * lower tail it stands for is smaller wherever the binomial's is at most 1/2 (checked exhaustively
 * for tables of up to 40 rows at P = 0.5, 0.7, 0.9, 0.95), so the test stays valid at any
 * {@code delta <= 1/2}. A conditioning set of no sample row gives p = 1: nothing is shown.
 */
public sealed interface Target permits Target.Accuracy, Target.PerLabel {

    /**
     * A target's evidence at one threshold.
     *
     * @param target the target
     * @param errors the cascade's errors in the target's conditioning set
     * @param rows the sample rows in the conditioning set
     * @param pValue the exact p-value of "the target is missed on the population"
     */
    record Check(Target target, int errors, int rows, double pValue) {
        /** The value reached on the sample: 1 - errors / rows; NaN when no sample row is in the conditioning set. */
        public double achieved() {
            return rows == 0 ? Double.NaN : 1 - errors / (double) rows;
        }
    }

    /** The value to reach, in (0, 1). */
    double level();

    /** What is measured, for tables: {@code accuracy}, {@code precision of spam}, {@code recall of spam}. */
    String measure();

    /**
     * The target's errors and conditioning count on the sample at a threshold, and their p-value.
     *
     * @param sample the labelled sample answered by both stages
     * @param threshold rows with a confidence at least this keep the cheap answer
     * @param population the rows the sample was drawn from without replacement (0: unknown); only accuracy uses it
     */
    Check check(List<SampleRow> sample, double threshold, int population);

    /** The fewest rows of the conditioning set that, all right, show the target at {@code delta}; -1 when none do. */
    int minimumRows(double delta, int population);

    /** The target as a goal: {@code an accuracy of 95%}, {@code a precision of 95% for spam}. */
    String goal();

    /** {@code rows} sample rows of the conditioning set, in words: {@code 40 sample rows labelled spam}. */
    String rows(int rows);

    /** The hypothesis tested and how, for the method's text. */
    String hypothesis(int population);

    /**
     * The accuracy of the cascade's answers.
     *
     * @param level the accuracy to reach, in (0, 1)
     */
    record Accuracy(double level) implements Target {
        /** Checks the level. */
        public Accuracy {
            checkLevel(level);
        }

        @Override
        public String measure() {
            return "accuracy";
        }

        @Override
        public String goal() {
            return "an accuracy of " + ThresholdSelection.percent(level);
        }

        @Override
        public Check check(List<SampleRow> sample, double threshold, int population) {
            int errors = 0;
            for (SampleRow r : sample) {
                errors += (r.keepsCheap(threshold) ? r.cheapRight() : r.expensiveRight()) ? 0 : 1;
            }
            return new Check(this, errors, sample.size(), ThresholdSelection.pValue(errors, sample.size(), level, population));
        }

        @Override
        public int minimumRows(double delta, int population) {
            return ThresholdSelection.minimumSample(level, delta, population);
        }

        @Override
        public String rows(int rows) {
            return rows + " sample rows";
        }

        @Override
        public String hypothesis(int population) {
            return "\"error rate > " + ThresholdSelection.num(1 - level) + "\" with the exact " + (population == 0 ? "binomial"
                    : "hypergeometric") + " p-value";
        }
    }

    /**
     * A target on one label, precision or recall: both count the rows where the cascade's answer
     * and the gold disagree about the label, among the rows it labels so (precision) or whose gold
     * is the label (recall).
     */
    sealed interface PerLabel extends Target permits Precision, Recall {
        /** The label. */
        String label();

        /** Whether the conditioning set is the rows the cascade labels {@link #label()} (precision), else those whose gold is it (recall). */
        default boolean byAnswer() {
            return this instanceof Precision;
        }

        @Override
        default String measure() {
            return (byAnswer() ? "precision" : "recall") + " of " + label();
        }

        @Override
        default String goal() {
            return "a " + (byAnswer() ? "precision" : "recall") + " of " + ThresholdSelection.percent(level()) + " for " + label();
        }

        @Override
        default Check check(List<SampleRow> sample, double threshold, int population) {
            return labelCheck(this, label(), sample, threshold, byAnswer());
        }

        @Override
        default int minimumRows(double delta, int population) {
            return ThresholdSelection.minimumSample(level(), delta, 0);
        }

        @Override
        default String rows(int rows) {
            return rows + (byAnswer() ? " sample rows labelled " : " sample rows whose gold is ") + label();
        }

        @Override
        default String hypothesis(int population) {
            return "\"" + measure() + " < " + ThresholdSelection.num(level()) + "\" with the exact binomial p-value of the"
                    + (byAnswer() ? " errors among the rows labelled " : " misses among the rows whose gold is ") + label();
        }
    }

    /**
     * The precision of one label: among the rows the cascade labels {@code label}, the share whose gold is {@code label}.
     *
     * @param label the label
     * @param level the precision to reach, in (0, 1)
     */
    record Precision(String label, double level) implements PerLabel {
        /** Checks the label and level. */
        public Precision {
            checkLevel(Objects.requireNonNull(label, "label"), level);
        }
    }

    /**
     * The recall of one label: among the rows whose gold is {@code label}, the share the cascade labels {@code label}.
     *
     * @param label the label
     * @param level the recall to reach, in (0, 1)
     */
    record Recall(String label, double level) implements PerLabel {
        /** Checks the label and level. */
        public Recall {
            checkLevel(Objects.requireNonNull(label, "label"), level);
        }
    }

    /**
     * A precision ({@code byAnswer}: the rows the cascade labels {@code label}, wrong where the gold is not) or recall (the
     * rows whose gold is {@code label}, wrong where the cascade does not label it) check.
     */
    private static Check labelCheck(Target target, String label, List<SampleRow> sample, double threshold, boolean byAnswer) {
        int rows = 0;
        int errors = 0;
        for (SampleRow r : sample) {
            boolean answered = r.labels(threshold).contains(label);
            boolean gold = r.goldLabels().contains(label);
            if (byAnswer ? answered : gold) {
                rows++;
                errors += (byAnswer ? gold : answered) ? 0 : 1;
            }
        }
        return new Check(target, errors, rows, conditionalPValue(errors, rows, target.level()));
    }

    /**
     * The conditional p-value of a precision or recall target: {@code P(Binomial(rows, 1 - level) <= errors)}, 1 for no row.
     *
     * @param errors errors in the conditioning set
     * @param rows sample rows in it
     * @param level the precision or recall to reach
     */
    public static double conditionalPValue(int errors, int rows, double level) {
        return rows == 0 ? 1 : Tails.binomialCdf(errors, rows, BigDecimal.ONE.subtract(new BigDecimal(Double.toString(level))).doubleValue());
    }

    private static void checkLevel(String label, double level) {
        if (label.isBlank()) {
            throw new IllegalArgumentException("a label target needs a label");
        }
        checkLevel(level);
    }

    private static void checkLevel(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("a target must lie in (0, 1), not " + level);
        }
    }

}
