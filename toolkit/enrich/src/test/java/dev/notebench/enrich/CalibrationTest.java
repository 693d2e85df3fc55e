package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class CalibrationTest {
    /**
     * Ten answers with the same margin of 4 between the two logits, 8 of them right: the likeliest
     * temperature makes the softmax of the chosen class 0.8, so T = 4 / ln(0.8 / 0.2) = 4 / ln 4.
     */
    @Test
    void anOverconfidentSoftmaxIsCooledToItsHeldOutAccuracy() {
        double[][] logits = new double[10][];
        int[] classes = new int[10];
        for (int i = 0; i < 10; i++) {
            logits[i] = new double[] {2, -2};
            classes[i] = i < 8 ? 0 : 1;
        }
        double t = Calibration.softmaxTemperature(logits, classes);
        assertEquals(4 / Math.log(4), t, 1e-6);
        double[] before = new double[10];
        double[] after = new double[10];
        boolean[] correct = new boolean[10];
        for (int i = 0; i < 10; i++) {
            before[i] = Calibration.softmax(logits[i], 1)[0];
            after[i] = Calibration.softmax(logits[i], 1 / t)[0];
            correct[i] = classes[i] == 0;
        }
        double eceBefore = Calibration.expectedCalibrationError(before, correct, 10);
        double eceAfter = Calibration.expectedCalibrationError(after, correct, 10);
        assertEquals(1 / (1 + Math.exp(-4)) - 0.8, eceBefore, 1e-12);
        assertEquals(0, eceAfter, 1e-6);
        assertTrue(eceAfter < eceBefore);
    }

    /** One sigmoid per label, one temperature: logits of ±3, 8 of 10 decisions right: T = 3 / ln 4. */
    @Test
    void perLabelSigmoidsShareOneTemperature() {
        double[][] logits = new double[5][];
        boolean[][] applies = new boolean[5][];
        for (int i = 0; i < 5; i++) {
            logits[i] = new double[] {3, -3};
            applies[i] = new boolean[] {i < 4, i == 4};
        }
        assertEquals(3 / Math.log(4), Calibration.sigmoidTemperature(logits, applies), 1e-6);
    }

    @Test
    void anAnswerSetThatIsAllRightIsHeldAtTheSmallestTemperature() {
        assertEquals(Calibration.MIN_TEMPERATURE, Calibration.softmaxTemperature(new double[][] {{1, 0}, {0, 1}}, new int[] {0, 1}),
                1e-6);
    }

    @Test
    void theReliabilityTableBinsConfidencesAndAccuracyAtCoverageKeepsTheSurest() {
        double[] conf = {0.95, 0.91, 0.55, 0.62, 1.0, 0.05};
        boolean[] right = {true, false, true, false, true, false};
        Table r = Calibration.reliability(conf, right, 10);
        assertEquals(10, r.rowCount());
        assertEquals("0.90–1.00", r.stringColumn("confidence").get(9));
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 1, 1, 0, 0, 3}, r.intColumn("rows").asIntArray());
        assertEquals((0.95 + 0.91 + 1.0) / 3, r.doubleColumn("mean confidence").getDouble(9), 1e-12);
        assertEquals(2.0 / 3, r.doubleColumn("accuracy").getDouble(9), 1e-12);
        assertTrue(r.doubleColumn("accuracy").isMissing(1));
        // |0 - 0.05| + |1 - 0.55| + |0 - 0.62| + 3 * |2/3 - 0.9533...|, over 6 rows
        assertEquals((0.05 + 0.45 + 0.62 + Math.abs(2 - (0.95 + 0.91 + 1.0))) / 6, Calibration.expectedCalibrationError(conf, right, 10),
                1e-12);
        assertEquals(1.0, Calibration.accuracyAtCoverage(conf, right, 1.0 / 6), 0);
        assertEquals(2.0 / 3, Calibration.accuracyAtCoverage(conf, right, 0.5), 1e-12);
        assertEquals(0.5, Calibration.accuracyAtCoverage(conf, right, 1), 0);
        assertEquals(List.of("confidence", "rows", "mean confidence", "accuracy"), r.columnNames());
    }
}
