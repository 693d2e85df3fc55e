package dev.notebench.enrich.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exact tails against rational computations (Python's fractions), and the threshold chosen on crafted samples. */
class ThresholdSelectionTest {
    private static final double REL = 1e-9;

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * REL, "expected " + expected + ", got " + actual);
    }

    @Test
    void binomialTailsMatchExactRationalValues() {
        assertClose(0.00904837639610154, Tails.binomialCdf(3, 200, 0.05));
        assertClose(0.09944025698709245, Tails.binomialCdf(0, 45, 0.05));
        assertClose(0.10467395472325522, Tails.binomialCdf(0, 44, 0.05));
        assertClose(2.7977985614856666e-12, Tails.binomialCdf(10, 1000, 0.05));
        assertEquals(1.0, Tails.binomialCdf(100, 100, 0.1));
        assertEquals(0.0, Tails.binomialCdf(-1, 100, 0.1));
    }

    @Test
    void hypergeometricTailsMatchExactRationalValues() {
        assertClose(0.008115014885959242, Tails.hypergeometricCdf(3, 6046, 303, 200));
        assertClose(0.07397932300172433, Tails.hypergeometricCdf(0, 100, 11, 20));
        assertClose(0.0008582193408868694, Tails.hypergeometricCdf(2, 1000, 51, 200));
        assertClose(0.05849676243511056, Tails.hypergeometricCdf(5, 6046, 303, 200));
    }

    @Test
    void pValueTakesTheLeastFavourableErrorCountOfTheTable() {
        // 5% of 6,046 rows is 302.3 errors; the null's smallest count is 303.
        assertClose(0.05849676243511056, ThresholdSelection.pValue(5, 200, 0.95, 6046));
        // 10% of 100 rows is exactly 10; "exceeds" starts at 11 (no rounding of 1 - 0.9 into 9.999...).
        assertClose(0.07397932300172433, ThresholdSelection.pValue(0, 20, 0.9, 100));
        assertClose(0.00904837639610154, ThresholdSelection.pValue(3, 200, 0.95, 0));
    }

    @Test
    void thresholdStopsAboveTheFirstConfidenceWhoseErrorsAreTooMany() {
        List<SampleRow> sample = new ArrayList<>();
        add(sample, 50, 0.99, true, true);
        add(sample, 27, 0.8, true, true);
        add(sample, 3, 0.8, false, true);
        add(sample, 10, 0.3, true, true);
        add(sample, 10, 0.3, false, true);
        ThresholdSelection s = ThresholdSelection.choose(sample, 0.9, 0.1, 0);
        assertEquals(0.301, s.threshold(), 1e-12);
        assertTrue(s.guaranteed());
        assertEquals(3, s.sampleErrors());
        assertEquals(0.97, s.sampleAccuracy(), 1e-12);
        ThresholdSelection.Test first = s.tests().get(0);
        assertEquals(Double.POSITIVE_INFINITY, first.threshold());
        assertClose(2.6561398887587476e-05, first.pValue());
        ThresholdSelection.Test last = s.tests().get(s.tests().size() - 1);
        assertEquals(0.3, last.threshold(), 1e-12);
        assertEquals(13, last.errors());
        assertEquals(100, last.kept());
        assertClose(0.8761232074006698, last.pValue());
        assertFalse(last.rejected());
        assertEquals(702, s.tests().size());
        assertEquals("lowering the threshold to 0.300 would make 13 errors on the 100 sample rows (p = 0.876 > 0.1), so it stops"
                + " at 0.301", s.reason());
        assertTrue(s.escalates(0.3));
        assertFalse(s.escalates(0.301));
        assertTrue(s.escalates(Double.NaN));
    }

    @Test
    void selectionNeverResumesBelowTheFirstFailureEvenWhereALowerThresholdWouldPass() {
        List<SampleRow> sample = new ArrayList<>();
        add(sample, 50, 0.95, true, true);
        add(sample, 12, 0.7, false, true);
        add(sample, 10, 0.5, true, false);
        add(sample, 28, 0.2, false, true);
        ThresholdSelection s = ThresholdSelection.choose(sample, 0.8, 0.1, 0);
        assertClose(0.005696380955793505, s.tests().get(0).pValue());
        assertEquals(0.701, s.threshold(), 1e-12);
        assertEquals(10, s.sampleErrors());
        ThresholdSelection.Test last = s.tests().get(s.tests().size() - 1);
        assertEquals(22, last.errors());
        assertClose(0.7389327523309054, last.pValue());
        // At 0.5 the cascade would make only 12 errors (p = 0.0253 < 0.1), but fixed-sequence testing never gets there.
        assertClose(0.02532875322139697, ThresholdSelection.pValue(12, 100, 0.8, 0));
        assertTrue(s.tests().stream().noneMatch(t -> t.threshold() < 0.7));
    }

    @Test
    void aCheapStageRightEverywhereKeepsEveryRow() {
        List<SampleRow> sample = new ArrayList<>();
        add(sample, 100, 0.6, true, true);
        ThresholdSelection s = ThresholdSelection.choose(sample, 0.9, 0.1, 0);
        assertEquals(0.0, s.threshold());
        assertEquals(1002, s.tests().size());
        assertEquals("the cheap stage alone meets an accuracy of 90% at delta 0.1 (0 errors on 100 sample rows, p = 2.66e-05):"
                + " every row keeps its cheap answer", s.reason());
    }

    @Test
    void aCheapStageWrongEverywhereSendsEveryRowOnAboveItsConfidence() {
        List<SampleRow> sample = new ArrayList<>();
        add(sample, 100, 0.9, false, true);
        ThresholdSelection s = ThresholdSelection.choose(sample, 0.9, 0.1, 0);
        assertEquals(0.901, s.threshold(), 1e-12);
        assertTrue(s.escalates(0.9));
        assertEquals(0, s.sampleErrors());
    }

    @Test
    void bothStagesWrongEverywhereSendsEverythingOnWithoutAGuarantee() {
        List<SampleRow> sample = new ArrayList<>();
        add(sample, 100, 0.9, false, false);
        ThresholdSelection s = ThresholdSelection.choose(sample, 0.9, 0.1, 0);
        assertEquals(Double.POSITIVE_INFINITY, s.threshold());
        assertFalse(s.guaranteed());
        assertEquals(0.0, s.sampleAccuracy());
        assertEquals("the expensive stage alone got 100 of the 100 sample rows wrong (p = 1.00 > 0.1 for an accuracy of 90%): every"
                + " row goes to it, and nothing is guaranteed", s.reason());
    }

    @Test
    void aSampleTooSmallForTheTargetSendsEverythingOnAndSaysHowManyRowsAreNeeded() {
        List<SampleRow> sample = new ArrayList<>();
        add(sample, 44, 0.99, true, true);
        ThresholdSelection s = ThresholdSelection.choose(sample, 0.95, 0.1, 0);
        assertFalse(s.guaranteed());
        assertEquals(Double.POSITIVE_INFINITY, s.threshold());
        assertEquals("a sample of 44 rows is too small to show an accuracy of 95% at delta 0.1 even with no error (p = 0.105 >"
                + " 0.1; at least 45 rows are needed): every row goes to the expensive stage, and nothing is guaranteed", s.reason());
        // Drawn without replacement from 1,000 rows, 44 are enough (exact: 45 with the binomial, 44 with the hypergeometric).
        assertEquals(44, ThresholdSelection.minimumSample(0.95, 0.1, 1000));
        assertTrue(ThresholdSelection.choose(sample, 0.95, 0.1, 1000).guaranteed());
        add(sample, 1, 0.99, true, true);
        assertEquals(0.0, ThresholdSelection.choose(sample, 0.95, 0.1, 0).threshold());
    }

    @Test
    void anEmptySampleSendsEverythingOn() {
        ThresholdSelection s = ThresholdSelection.choose(List.of(), 0.95, 0.1, 0);
        assertEquals(Double.POSITIVE_INFINITY, s.threshold());
        assertTrue(Double.isNaN(s.sampleAccuracy()));
        assertEquals("no labelled sample: every row goes to the expensive stage, and nothing is guaranteed", s.reason());
    }

    @Test
    void targetsOutsideTheUnitIntervalAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThresholdSelection.choose(List.of(), 1.0, 0.1, 0));
        assertEquals("the target and delta must lie in (0, 1), not 1.0 and 0.1", e.getMessage());
    }

    @Test
    void precisionPValueIsTheBinomialTailOfTheErrorsAmongTheRowsLabelledTheLabel() {
        List<SampleRow> sample = new ArrayList<>();
        labelled(sample, 40, 0.95, "spam", "spam", "spam");
        labelled(sample, 10, 0.6, "spam", "ham", "ham");
        labelled(sample, 50, 0.95, "ham", "ham", "ham");
        Target precision = new Target.Precision("spam", 0.9);
        ThresholdSelection s = ThresholdSelection.choose(sample, List.of(precision), 0.1, 0);
        // +inf: the expensive stage labels the 40 gold-spam rows spam, no error: P(Bin(40, 0.1) <= 0) = 0.9^40
        Target.Check first = s.tests().get(0).checks().get(0);
        assertEquals(40, first.rows());
        assertEquals(0, first.errors());
        assertClose(0.014780882941434592, first.pValue());
        // 0.6: the cheap stage's 10 spam labels on ham rows join them: P(Bin(50, 0.1) <= 10) = 0.990645398412671
        ThresholdSelection.Test last = s.tests().get(s.tests().size() - 1);
        assertEquals(0.6, last.threshold(), 1e-12);
        assertEquals(50, last.checks().get(0).rows());
        assertEquals(10, last.checks().get(0).errors());
        assertClose(0.990645398412671, last.pValue());
        assertEquals(0.601, s.threshold(), 1e-12);
        assertEquals(List.of(new Target.Check(precision, 0, 40, first.pValue())), s.checks());
        assertEquals(1.0, s.checks().get(0).achieved());
        assertEquals("lowering the threshold to 0.600 would make 10 errors on the 50 sample rows labelled spam (p = 0.991 > 0.1),"
                + " so it stops at 0.601", s.reason());
        assertTrue(Double.isNaN(s.target()), "no accuracy target");
    }

    @Test
    void recallPValueIsTheBinomialTailOfTheMissesAmongTheRowsWhoseGoldIsTheLabel() {
        ThresholdSelection s = ThresholdSelection.choose(recallSample(), List.of(new Target.Recall("spam", 0.9)), 0.1, 0);
        // +inf: 35 gold-spam rows, none missed: P(Bin(35, 0.1) <= 0) = 0.9^35
        assertClose(0.025031555049932416, s.tests().get(0).pValue());
        assertEquals(35, s.tests().get(0).checks().get(0).rows());
        // 0.7: the cheap stage misses 5 of them: P(Bin(35, 0.1) <= 5) = 0.8683642251581628
        ThresholdSelection.Test last = s.tests().get(s.tests().size() - 1);
        assertEquals(0.7, last.threshold(), 1e-12);
        assertEquals(5, last.checks().get(0).errors());
        assertClose(0.8683642251581628, last.pValue());
        assertEquals(0.701, s.threshold(), 1e-12);
        assertEquals("lowering the threshold to 0.700 would make 5 errors on the 35 sample rows whose gold is spam (p = 0.868 >"
                + " 0.1), so it stops at 0.701", s.reason());
    }

    @Test
    void aThresholdPassingAccuracyButFailingARecallTargetIsNotChosen() {
        List<SampleRow> sample = recallSample();
        // accuracy alone: 5 errors in 100 rows at every threshold, P(Bin(100, 0.1) <= 5) = 0.05757688648703381 < 0.1: all kept cheap
        ThresholdSelection accuracy = ThresholdSelection.choose(sample, List.of(new Target.Accuracy(0.9)), 0.1, 0);
        assertEquals(0.0, accuracy.threshold());
        assertClose(0.05757688648703381, accuracy.tests().get(accuracy.tests().size() - 1).pValue());
        ThresholdSelection both = ThresholdSelection.choose(sample, List.of(new Target.Accuracy(0.9), new Target.Recall("spam", 0.9)),
                0.1, 0);
        assertEquals(0.701, both.threshold(), 1e-12);
        ThresholdSelection.Test last = both.tests().get(both.tests().size() - 1);
        assertEquals(0.7, last.threshold(), 1e-12);
        assertClose(0.05757688648703381, last.checks().get(0).pValue());
        assertTrue(last.checks().get(0).pValue() <= 0.1, "accuracy passes at 0.7");
        // the intersection-union p-value is the larger one: recall's
        assertClose(0.8683642251581628, last.pValue());
        assertFalse(last.rejected());
        assertEquals("lowering the threshold to 0.700 would make 5 errors on the 35 sample rows whose gold is spam (p = 0.868 >"
                + " 0.1 for a recall of 90% for spam), so it stops at 0.701", both.reason());
        assertEquals(0.9, both.target());
        assertEquals("threshold chosen on a random labelled sample of 100 rows: from +inf (every row to the expensive stage) down"
                + " through 1.000, 0.999, ..., 0.000, each tested for \"error rate > 0.1\" with the exact binomial p-value;"
                + " \"recall of spam < 0.9\" with the exact binomial p-value of the misses among the rows whose gold is spam,"
                + " lowered while every one is rejected (intersection-union test) at delta 0.1 and stopped at the first failure"
                + " (fixed-sequence Learn-then-Test); the chosen threshold meets an accuracy of 90% and a recall of 90% for spam on"
                + " rows drawn like the sample with probability at least 0.9", both.method());
    }

    @Test
    void aTargetWithNoSampleRowToRestOnHasPValueOneAndRejectsNothing() {
        assertEquals(1.0, Target.conditionalPValue(0, 0, 0.9));
        List<SampleRow> sample = new ArrayList<>();
        labelled(sample, 100, 0.99, "ham", "ham", "ham");
        ThresholdSelection s = ThresholdSelection.choose(sample, List.of(new Target.Precision("spam", 0.9)), 0.1, 0);
        assertFalse(s.guaranteed());
        assertEquals(Double.POSITIVE_INFINITY, s.threshold());
        assertEquals(1, s.tests().size());
        assertEquals(0, s.checks().get(0).rows());
        assertEquals(1.0, s.checks().get(0).pValue());
        assertTrue(Double.isNaN(s.checks().get(0).achieved()));
        // 0.9^21 = 0.109 > 0.1, 0.9^22 = 0.0985: 22 rows labelled spam, all right, would be needed
        assertEquals("the 0 sample rows labelled spam are too few to show a precision of 90% for spam at delta 0.1 even with no"
                + " error (p = 1.00 > 0.1; at least 22 such rows are needed): every row goes to the expensive stage, and nothing is"
                + " guaranteed", s.reason());
        ThresholdSelection recall = ThresholdSelection.choose(sample, List.of(new Target.Recall("spam", 0.9)), 0.1, 0);
        assertEquals(Double.POSITIVE_INFINITY, recall.threshold());
        assertEquals(0, recall.checks().get(0).rows());
    }

    @Test
    void aCheapStageMeetingEveryTargetKeepsEveryRowAndSaysSoPerTarget() {
        List<SampleRow> sample = new ArrayList<>();
        labelled(sample, 50, 0.8, "spam", "spam", "spam");
        labelled(sample, 50, 0.8, "ham", "ham", "ham");
        ThresholdSelection s = ThresholdSelection.choose(sample, List.of(new Target.Accuracy(0.9), new Target.Precision("spam", 0.9),
                new Target.Recall("spam", 0.9)), 0.1, 0);
        assertEquals(0.0, s.threshold());
        // 0.9^50 = 0.0051537752073201135
        assertEquals("the cheap stage alone meets an accuracy of 90%, a precision of 90% for spam and a recall of 90% for spam at"
                + " delta 0.1 (0 errors on 100 sample rows, p = 2.66e-05; 0 errors on 50 sample rows labelled spam, p = 0.00515;"
                + " 0 errors on 50 sample rows whose gold is spam, p = 0.00515): every row keeps its cheap answer", s.reason());
    }

    @Test
    void anExpensiveStageMissingTheLabelSendsEverythingOnWithoutAGuarantee() {
        List<SampleRow> sample = new ArrayList<>();
        labelled(sample, 48, 0.99, "spam", "spam", "spam");
        labelled(sample, 2, 0.99, "spam", "ham", "spam");
        ThresholdSelection s = ThresholdSelection.choose(sample, List.of(new Target.Recall("spam", 0.95)), 0.1, 0);
        assertFalse(s.guaranteed());
        // P(Bin(50, 0.05) <= 2) = 0.5405331227195153
        assertClose(0.5405331227195153, s.checks().get(0).pValue());
        assertEquals("the expensive stage alone got 2 of the 50 sample rows whose gold is spam wrong (p = 0.541 > 0.1 for a recall"
                + " of 95% for spam): every row goes to it, and nothing is guaranteed", s.reason());
    }

    @Test
    void aFailedAnswerLabelsNothingAndIsWrong() {
        SampleRow failed = SampleRow.of(Double.NaN, null, null, Set.of("spam"));
        assertFalse(failed.cheapRight());
        assertFalse(failed.expensiveRight());
        Target.Check recall = new Target.Recall("spam", 0.9).check(List.of(failed), Double.POSITIVE_INFINITY, 0);
        assertEquals(new Target.Check(recall.target(), 1, 1, 1.0), recall);
        assertEquals(0, new Target.Precision("spam", 0.9).check(List.of(failed), Double.POSITIVE_INFINITY, 0).rows());
    }

    /** 30 gold-spam rows the cheap stage gets right at 0.99, 5 it calls ham at 0.7, 65 ham rows right at 0.99; the expensive stage right everywhere. */
    private static List<SampleRow> recallSample() {
        List<SampleRow> sample = new ArrayList<>();
        labelled(sample, 30, 0.99, "spam", "spam", "spam");
        labelled(sample, 5, 0.7, "ham", "spam", "spam");
        labelled(sample, 65, 0.99, "ham", "ham", "ham");
        return sample;
    }

    private static void labelled(List<SampleRow> sample, int count, double confidence, String cheap, String expensive, String gold) {
        for (int i = 0; i < count; i++) {
            sample.add(SampleRow.of(confidence, Set.of(cheap), Set.of(expensive), Set.of(gold)));
        }
    }

    private static void add(List<SampleRow> sample, int count, double confidence, boolean cheapRight, boolean expensiveRight) {
        for (int i = 0; i < count; i++) {
            sample.add(new SampleRow(confidence, cheapRight, expensiveRight));
        }
    }
}
