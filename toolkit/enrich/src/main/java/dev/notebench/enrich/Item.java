package dev.notebench.enrich;

import java.util.Objects;

/**
 * One row to annotate: its id (the row's index in the table, which the answer must give back)
 * and its text.
 *
 * @param id the row index, 0-based
 * @param text the text sent for it
 */
public record Item(int id, String text) {
    /** Checks the item. */
    public Item {
        Objects.requireNonNull(text, "text");
        if (id < 0) {
            throw new IllegalArgumentException("row id " + id + " must be 0 or more");
        }
    }
}
