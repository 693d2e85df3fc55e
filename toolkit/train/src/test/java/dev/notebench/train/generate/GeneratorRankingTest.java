package dev.notebench.train.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeneratorRankingTest {
    /** The order sampling has always used: highest logit first, equal logits by id. */
    private static int[] byComparator(float[] logits, int keep) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> logits[x] != logits[y] ? Float.compare(logits[y], logits[x]) : Integer.compare(x, y));
        return Arrays.stream(order).limit(keep).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void theHighestLogitsComeFirstAndTiesGoToTheLowerId() {
        float[] logits = {0.5f, 2f, -1f, 2f, -0.0f, 0.0f, -3.5f, 1f};
        assertArrayEquals(new int[] {1, 3, 7, 0, 4, 5, 2, 6}, Generator.ranked(logits, 8));
        assertArrayEquals(new int[] {1, 3, 7}, Generator.ranked(logits, 3));
        assertArrayEquals(new int[] {1}, Generator.ranked(logits, 1));
    }

    @Test
    void rankingIsTheComparatorOrderForEveryTopKOnRandomLogitsWithTies() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int round = 0; round < 300; round++) {
            int v = 1 + rng.nextInt(2000);
            float[] logits = new float[v];
            boolean ties = round % 2 == 0;
            for (int i = 0; i < v; i++) {
                logits[i] = ties ? rng.nextInt(-5, 6) * 0.5f : (float) (rng.nextGaussian() * 4);
            }
            for (int keep : new int[] {1, Math.min(v, 5), Math.min(v, 50), Math.max(1, v - 1), v}) {
                assertArrayEquals(byComparator(logits, keep), Generator.ranked(logits, keep), "v " + v + ", keep " + keep);
            }
        }
    }
}
