package dev.notebench.enrich;

import java.util.List;

/**
 * Rows to ask together, and how many times they were asked before (context splits not counted):
 * the unit of work an {@link Enricher} schedules.
 *
 * @param items the rows
 * @param level 0 for a first ask; the {@link RetryPolicy} asks again in smaller batches at higher levels
 */
record Batch(List<Item> items, int level) {
    /** Copies the rows. */
    Batch {
        items = List.copyOf(items);
    }
}
