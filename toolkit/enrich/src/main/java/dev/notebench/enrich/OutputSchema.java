package dev.notebench.enrich;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an annotator returns for each row, and how an answer is checked: a list of
 * {@link Field}s. Three shapes cover what researchers ask for:
 * <ul>
 *   <li>{@link #multiLabel}: any number of labels per row, a boolean column per label (seed 004's
 *       shape);</li>
 *   <li>{@link #singleLabel}: exactly one label per row, one enum column;</li>
 *   <li>{@link #fields}: any fields (strings, numbers, integers, booleans, enums), also read from
 *       a JSON schema with {@link #fromJsonSchema}.</li>
 * </ul>
 * Every value must be present and of its type; {@link #validate} turns one answered row into
 * typed values or says what is wrong with it.
 */
public final class OutputSchema {
    /** The shape of the schema. */
    public enum Kind {
        /** A boolean field per label. */
        MULTI_LABEL,
        /** One enum field holding one of the labels. */
        SINGLE_LABEL,
        /** Arbitrary fields. */
        FIELDS
    }

    private final Kind kind;
    private final List<Field> fields;
    private final List<String> labels;

    private OutputSchema(Kind kind, List<Field> fields, List<String> labels) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("an output schema needs at least one field");
        }
        Set<String> names = new HashSet<>();
        for (Field f : fields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("field '" + f.name() + "' is named twice");
            }
        }
        this.kind = kind;
        this.fields = List.copyOf(fields);
        this.labels = List.copyOf(labels);
    }

    /**
     * Labels any number of which apply to a row: one boolean column per label.
     *
     * @param labels the labels, e.g. {@code ["toxic", "spam"]}; each becomes a column
     */
    public static OutputSchema multiLabel(List<String> labels) {
        List<Field> fields = new ArrayList<>();
        for (String label : clean(labels, 1)) {
            fields.add(Field.of(label, Field.Type.BOOLEAN, "true when the label '" + label + "' applies to the row"));
        }
        return new OutputSchema(Kind.MULTI_LABEL, fields, clean(labels, 1));
    }

    /**
     * Labels exactly one of which applies to a row: one column holding it.
     *
     * @param column the new column's name
     * @param labels the labels, at least two
     */
    public static OutputSchema singleLabel(String column, List<String> labels) {
        List<String> l = clean(labels, 2);
        return new OutputSchema(Kind.SINGLE_LABEL, List.of(Field.oneOf(column, l, "the one label that fits the row best")), l);
    }

    /**
     * Arbitrary fields.
     *
     * @param fields the fields, in column order
     */
    public static OutputSchema fields(List<Field> fields) {
        return new OutputSchema(Kind.FIELDS, fields, List.of());
    }

    /**
     * Reads fields from a JSON schema of one row: an object whose {@code properties} give each
     * field's {@code type} (string, number, integer, boolean) or {@code enum}, and optionally its
     * {@code description}. Every property is required.
     *
     * @param json the schema text
     * @throws NotebenchException (CONFIG_INVALID) saying what is wrong with it
     */
    public static OutputSchema fromJsonSchema(String json) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            if (!root.has("properties") || !root.get("properties").isJsonObject()) {
                throw new IllegalArgumentException("it has no \"properties\" object");
            }
            List<Field> fields = new ArrayList<>();
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("properties").entrySet()) {
                JsonObject p = e.getValue().getAsJsonObject();
                String description = p.has("description") ? p.get("description").getAsString() : "";
                if (p.has("enum")) {
                    List<String> values = new ArrayList<>();
                    p.getAsJsonArray("enum").forEach(v -> values.add(v.getAsString()));
                    fields.add(Field.oneOf(e.getKey(), values, description));
                } else if (p.has("type") && p.get("type").isJsonPrimitive()) {
                    Field.Type t = Field.Type.parse(p.get("type").getAsString());
                    fields.add(Field.of(e.getKey(), t, description));
                } else {
                    throw new IllegalArgumentException("property '" + e.getKey() + "' has neither a \"type\" nor an \"enum\"");
                }
            }
            return fields(fields);
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the output schema is not a JSON schema of one row (" + e.getMessage()
                    + "); give e.g. {\"properties\": {\"sentiment\": {\"enum\": [\"pos\", \"neg\"]}, \"score\": {\"type\": \"number\"}}}", e);
        }
    }

    private static List<String> clean(List<String> labels, int min) {
        List<String> out = new ArrayList<>();
        for (String l : labels) {
            String s = Objects.requireNonNull(l, "label").strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a label is empty");
            }
            if (out.contains(s)) {
                throw new IllegalArgumentException("label '" + s + "' is given twice");
            }
            out.add(s);
        }
        if (out.size() < min) {
            throw new IllegalArgumentException("give at least " + min + " label" + (min == 1 ? "" : "s") + ", got " + out);
        }
        return out;
    }

    /** The shape. */
    public Kind kind() {
        return kind;
    }

    /** The fields, in column order. */
    public List<Field> fields() {
        return fields;
    }

    /** The labels of a label schema; empty for {@link Kind#FIELDS}. */
    public List<String> labels() {
        return labels;
    }

    /** The JSON schema of one answered row: {@code id} plus every field, all required, nothing else. */
    public JsonObject rowJsonSchema() {
        JsonObject row = fieldsJsonSchema();
        JsonObject properties = new JsonObject();
        JsonObject id = new JsonObject();
        id.addProperty("type", "integer");
        properties.add("id", id);
        row.getAsJsonObject("properties").entrySet().forEach(e -> properties.add(e.getKey(), e.getValue()));
        JsonArray required = new JsonArray();
        required.add("id");
        required.addAll(row.getAsJsonArray("required"));
        row.add("properties", properties);
        row.add("required", required);
        return row;
    }

    /**
     * The JSON schema of one row's values under its id: every field typed and required, nothing else
     * ({@code additionalProperties: false}).
     */
    public JsonObject fieldsJsonSchema() {
        JsonObject properties = new JsonObject();
        JsonArray required = new JsonArray();
        for (Field f : fields) {
            JsonObject p = new JsonObject();
            p.addProperty("type", f.type().jsonType());
            if (f.type() == Field.Type.ENUM) {
                JsonArray values = new JsonArray();
                f.values().forEach(values::add);
                p.add("enum", values);
            }
            if (!f.description().isEmpty()) {
                p.addProperty("description", f.description());
            }
            properties.add(f.name(), p);
            required.add(f.name());
        }
        JsonObject row = new JsonObject();
        row.addProperty("type", "object");
        row.add("properties", properties);
        row.add("required", required);
        row.addProperty("additionalProperties", false);
        return row;
    }

    /**
     * The JSON schema of the answer to one batch: an object keyed by the batch's row ids, every id a
     * required property whose value is the row's {@link #fieldsJsonSchema}, no other property, e.g.
     * {@code {"0": {"spam": true}, "1": {"spam": false}}}. A server that enforces the schema (a
     * grammar-constrained decoder, OpenAI's strict structured outputs) cannot leave a row out or
     * answer one twice: it enforces required properties, where it does not enforce an array's
     * length. Only keywords of OpenAI's strict subset are used ({@code type}, {@code properties},
     * {@code required}, {@code additionalProperties: false} at both levels, {@code enum},
     * {@code description}).
     *
     * @param ids the batch's row ids, in the order asked
     */
    public JsonObject keyedAnswerJsonSchema(List<Integer> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a keyed answer needs at least one row id");
        }
        JsonObject row = fieldsJsonSchema();
        JsonObject properties = new JsonObject();
        JsonArray required = new JsonArray();
        for (int id : ids) {
            String key = Integer.toString(id);
            if (properties.has(key)) {
                throw new IllegalArgumentException("row id " + id + " is given twice");
            }
            properties.add(key, row.deepCopy());
            required.add(key);
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("type", "object");
        answer.add("properties", properties);
        answer.add("required", required);
        answer.addProperty("additionalProperties", false);
        return answer;
    }

    /**
     * Checks one answered row and converts its values: booleans (also the strings "true"/"false"),
     * numbers (also numeric strings), integers (whole numbers only), enum values (matched ignoring
     * case, returned as declared), strings. Fields the schema does not name are ignored.
     *
     * @param row the row's object from an answer
     * @return the values in field order: Boolean, Double, Long or String
     * @throws InvalidRowException saying which field is missing or wrong
     */
    public List<Object> validate(JsonObject row) {
        List<Object> values = new ArrayList<>(fields.size());
        for (Field f : fields) {
            JsonElement v = row.get(f.name());
            if (v == null || v.isJsonNull()) {
                throw new InvalidRowException("field '" + f.name() + "' is missing");
            }
            if (!v.isJsonPrimitive()) {
                throw new InvalidRowException("field '" + f.name() + "' is " + (v.isJsonArray() ? "a list" : "an object")
                        + ", not a " + f.type().jsonType());
            }
            values.add(convert(f, v.getAsJsonPrimitive()));
        }
        return values;
    }

    private static Object convert(Field f, JsonPrimitive p) {
        String text = p.getAsString().strip();
        switch (f.type()) {
            case BOOLEAN -> {
                if (p.isBoolean()) {
                    return p.getAsBoolean();
                }
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
                }
            }
            case NUMBER -> {
                try {
                    double d = Double.parseDouble(text);
                    if (Double.isFinite(d)) {
                        return d;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            case INTEGER -> {
                try {
                    return new BigDecimal(text).longValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    // reported below
                }
            }
            case ENUM -> {
                for (String value : f.values()) {
                    if (value.equalsIgnoreCase(text)) {
                        return value;
                    }
                }
                throw new InvalidRowException("field '" + f.name() + "' is '" + abbreviate(text) + "', not one of " + f.values());
            }
            case STRING -> {
                if (p.isString()) {
                    return p.getAsString();
                }
            }
        }
        throw new InvalidRowException("field '" + f.name() + "' is '" + abbreviate(text) + "', not a " + f.type().jsonType());
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /** A canonical text of the schema, part of a job's fingerprint. */
    public String canonical() {
        return kind + " " + rowJsonSchema();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputSchema s && s.kind == kind && s.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, fields);
    }

    @Override
    public String toString() {
        return "OutputSchema[" + kind + " " + fields.stream().map(f -> f.name() + ":" + f.type()).toList() + "]";
    }

    /** An answered row that does not fit the schema. */
    public static final class InvalidRowException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidRowException(String message) {
            super(message, null, false, false);
        }
    }
}
