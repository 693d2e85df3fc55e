package dev.notebench.enrich;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sorts an answer's rows into valid ones and the reasons of the others: every asked row must come
 * back once, with its id, and every value of its field's type ({@link OutputSchema#validate}).
 * Rows with ids nobody asked about are ignored.
 */
final class AnswerChecker {
    private final OutputSchema schema;

    /** A checker of answers to {@code schema}. */
    AnswerChecker(OutputSchema schema) {
        this.schema = schema;
    }

    /**
     * What an answer settled.
     *
     * @param good the asked rows answered once and validly, with their values
     * @param bad the other asked rows, by id, with the reason (in the order asked)
     */
    record Verdict(List<Journal.Settled> good, Map<Integer, String> bad) {
    }

    /** A verdict where every row of {@code asked} failed for the same reason (an answer that could not be read). */
    static Verdict allFailed(List<Item> asked, String reason) {
        Map<Integer, String> bad = new LinkedHashMap<>();
        asked.forEach(item -> bad.put(item.id(), reason));
        return new Verdict(List.of(), bad);
    }

    /**
     * Checks an answer to the rows asked.
     *
     * @param asked the rows asked, in order
     * @param answer the answer
     */
    Verdict check(List<Item> asked, Answer answer) {
        Set<Integer> ids = new HashSet<>();
        asked.forEach(i -> ids.add(i.id()));
        Map<Integer, JsonObject> answered = new LinkedHashMap<>();
        Set<Integer> repeated = new HashSet<>();
        for (JsonObject row : answer.rows()) {
            Integer id = idOf(row.get("id"));
            if (id == null || !ids.contains(id)) {
                continue; // an id nobody asked about: ignored
            }
            if (answered.putIfAbsent(id, row) != null) {
                repeated.add(id);
            }
        }
        List<Journal.Settled> good = new ArrayList<>();
        Map<Integer, String> bad = new LinkedHashMap<>();
        for (Item item : asked) {
            JsonObject row = answered.get(item.id());
            if (repeated.contains(item.id())) {
                bad.put(item.id(), "answered more than once");
            } else if (row == null) {
                bad.put(item.id(), answer.truncated() ? "the answer was cut off before this row" : "missing from the answer");
            } else {
                try {
                    good.add(new Journal.Settled(item.id(), schema.validate(row), null, confidence(row)));
                } catch (OutputSchema.InvalidRowException e) {
                    bad.put(item.id(), e.getMessage());
                }
            }
        }
        return new Verdict(List.copyOf(good), bad);
    }

    /** The row's {@link Answer#CONFIDENCE} when it is a number from 0 to 1; null otherwise (a confidence is never required). */
    private static Double confidence(JsonObject row) {
        JsonElement c = row.get(Answer.CONFIDENCE);
        if (c == null || !c.isJsonPrimitive() || !c.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        double v = c.getAsDouble();
        return v >= 0 && v <= 1 ? v : null;
    }

    /** An id given as a number or a numeric string; null otherwise. */
    private static Integer idOf(JsonElement e) {
        if (e == null || !e.isJsonPrimitive()) {
            return null;
        }
        try {
            return Integer.valueOf(e.getAsString().strip());
        } catch (NumberFormatException notAnInt) {
            return null;
        }
    }
}
