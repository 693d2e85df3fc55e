package dev.notebench.enrich.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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

    private static void add(List<SampleRow> sample, int count, double confidence, boolean cheapRight, boolean expensiveRight) {
        for (int i = 0; i < count; i++) {
            sample.add(new SampleRow(confidence, cheapRight, expensiveRight));
        }
    }
}
