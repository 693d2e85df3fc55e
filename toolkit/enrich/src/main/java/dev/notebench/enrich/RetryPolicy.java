package dev.notebench.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What becomes of rows an answer missed, repeated or botched, and of batches too long for the
 * model's context. A row is asked at most {@code maxAttempts} times: after a first failure in
 * batches half the size of its batch, after that alone; then it fails with its last reason. A
 * batch the context cannot hold is asked again in two halves (the first the larger) at the same
 * level, since its rows did nothing wrong; a row alone that does not fit fails at once. One policy
 * serves one run: it counts each row's attempts.
 */
final class RetryPolicy {
    private final int maxAttempts;
    private final int[] attempts;

    /**
     * A policy for a run over {@code rows} rows.
     *
     * @param maxAttempts the most times a row is asked
     * @param rows the table's rows (ids are 0..rows-1)
     */
    RetryPolicy(int maxAttempts, int rows) {
        this.maxAttempts = maxAttempts;
        this.attempts = new int[rows];
    }

    /**
     * The next step for some of a batch's rows.
     *
     * @param again batches to ask
     * @param givenUp rows settled as failed, with their reasons
     */
    record Plan(List<Batch> again, List<Journal.Settled> givenUp) {
        /** Rows asked again. */
        int reasked() {
            return again.stream().mapToInt(b -> b.items().size()).sum();
        }
    }

    /**
     * Counts an attempt for each failed row of a batch and plans what follows.
     *
     * @param batch the batch asked
     * @param bad its failed rows, by id, with the reason
     */
    Plan afterFailures(Batch batch, Map<Integer, String> bad) {
        List<Item> again = new ArrayList<>();
        List<Journal.Settled> givenUp = new ArrayList<>();
        for (Item item : batch.items()) {
            String why = bad.get(item.id());
            if (why == null) {
                continue;
            }
            int n = ++attempts[item.id()];
            if (n >= maxAttempts) {
                givenUp.add(new Journal.Settled(item.id(), null, "failed after " + n + (n == 1 ? " attempt: " : " attempts: ") + why));
            } else {
                again.add(item);
            }
        }
        List<Batch> batches = new ArrayList<>();
        int size = batch.level() == 0 ? Math.max(1, batch.items().size() / 2) : 1;
        for (int from = 0; from < again.size(); from += size) {
            batches.add(new Batch(again.subList(from, Math.min(again.size(), from + size)), batch.level() + 1));
        }
        return new Plan(List.copyOf(batches), List.copyOf(givenUp));
    }

    /**
     * Plans a batch the model's context could not hold.
     *
     * @param batch the batch
     * @param reason the server's words
     */
    Plan afterContextOverflow(Batch batch, String reason) {
        List<Item> rows = batch.items();
        if (rows.size() == 1) {
            return new Plan(List.of(), List.of(new Journal.Settled(rows.get(0).id(), null, "too long for the model's context even"
                    + " alone (" + reason + "); shorten the text (--template) or use a model with a longer context")));
        }
        int half = (rows.size() + 1) / 2;
        return new Plan(List.of(new Batch(rows.subList(0, half), batch.level()), new Batch(rows.subList(half, rows.size()),
                batch.level())), List.of());
    }
}
