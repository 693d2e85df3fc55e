package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static List<Item> rows(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new Item(i, "row " + i)).toList();
    }

    @Test
    void failedRowsOfAFirstAskGoAgainInHalfSizeBatchesThenAlone() {
        RetryPolicy policy = new RetryPolicy(3, 10);
        RetryPolicy.Plan first = policy.afterFailures(new Batch(rows(0, 8), 0), Map.of(1, "missing", 2, "missing", 5, "bad", 6, "bad",
                7, "bad"));
        assertEquals(List.of(new Batch(List.of(new Item(1, "row 1"), new Item(2, "row 2"), new Item(5, "row 5"), new Item(6, "row 6")),
                1), new Batch(List.of(new Item(7, "row 7")), 1)), first.again());
        assertEquals(5, first.reasked());
        assertEquals(List.of(), first.givenUp());
        RetryPolicy.Plan second = policy.afterFailures(first.again().get(0), Map.of(1, "missing", 6, "bad"));
        assertEquals(List.of(new Batch(List.of(new Item(1, "row 1")), 2), new Batch(List.of(new Item(6, "row 6")), 2)), second.again());
    }

    @Test
    void aRowFailedMaxAttemptsTimesIsGivenUpWithItsLastReason() {
        RetryPolicy policy = new RetryPolicy(2, 3);
        policy.afterFailures(new Batch(rows(0, 2), 0), Map.of(0, "missing from the answer"));
        RetryPolicy.Plan plan = policy.afterFailures(new Batch(rows(0, 1), 1), Map.of(0, "answered more than once"));
        assertEquals(List.of(), plan.again());
        assertEquals(List.of(new Journal.Settled(0, null, "failed after 2 attempts: answered more than once")), plan.givenUp());
        RetryPolicy once = new RetryPolicy(1, 3);
        assertEquals(List.of(new Journal.Settled(2, null, "failed after 1 attempt: bad")),
                once.afterFailures(new Batch(rows(2, 3), 0), Map.of(2, "bad")).givenUp());
    }

    @Test
    void aBatchTooLongForTheContextIsSplitInHalvesTheFirstLargerAtTheSameLevel() {
        RetryPolicy.Plan plan = new RetryPolicy(3, 5).afterContextOverflow(new Batch(rows(0, 5), 1), "too long");
        assertEquals(List.of(new Batch(rows(0, 3), 1), new Batch(rows(3, 5), 1)), plan.again());
        assertEquals(List.of(), plan.givenUp());
    }

    @Test
    void aRowTooLongForTheContextAloneFailsAtOnce() {
        RetryPolicy.Plan plan = new RetryPolicy(3, 5).afterContextOverflow(new Batch(rows(4, 5), 0), "4096 tokens max");
        assertEquals(List.of(), plan.again());
        assertEquals(List.of(new Journal.Settled(4, null, "too long for the model's context even alone (4096 tokens max);"
                + " shorten the text (--template) or use a model with a longer context")), plan.givenUp());
    }
}
