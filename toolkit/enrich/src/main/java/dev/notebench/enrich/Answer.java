package dev.notebench.enrich;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * An annotator's answer to one request: one JSON object per answered row, each with its
 * {@code "id"} (the {@link Enricher} checks ids and values), and what the call cost.
 *
 * @param rows the answered rows as returned (possibly missing, repeated or extra ids)
 * @param tokensIn prompt tokens the server reported (0 when unknown)
 * @param tokensOut completion tokens the server reported (0 when unknown)
 * @param truncated whether the answer was cut off (rows after the cut are missing)
 * @param cached whether the answer came from the response cache instead of a call
 * @param receipt what the annotator needs to cache the answer once it is accepted; may be null
 */
public record Answer(List<JsonObject> rows, long tokensIn, long tokensOut, boolean truncated, boolean cached, Object receipt) {
    /**
     * The property of an answered row that carries the annotator's probability, in [0, 1], that
     * the row's answer is right (absent when the annotator has none); not a field of any schema.
     */
    public static final String CONFIDENCE = "_confidence";

    /** Copies the rows. */
    public Answer {
        rows = List.copyOf(rows);
    }

    /** An answer computed locally: no tokens, nothing to cache. */
    public static Answer local(List<JsonObject> rows) {
        return new Answer(rows, 0, 0, false, false, null);
    }
}
