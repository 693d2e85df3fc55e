package dev.notebench.enrich;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One output field an annotator fills for every row: a name (the new column's), a type, the
 * allowed values of an enum, and an optional description shown to the model.
 *
 * @param name the field's and the column's name
 * @param type the value type
 * @param values the allowed values of an {@link Type#ENUM}; empty otherwise
 * @param description what the field means, for the prompt; may be empty
 */
public record Field(String name, Type type, List<String> values, String description) {
    /** The types of output values and the Tablesaw column each becomes. */
    public enum Type {
        /** Free text: a string column. */
        STRING,
        /** A real number: a double column. */
        NUMBER,
        /** A whole number: a long column. */
        INTEGER,
        /** True or false: a boolean column. */
        BOOLEAN,
        /** One of fixed values: a string column. */
        ENUM;

        /** The JSON schema type name. */
        String jsonType() {
            return switch (this) {
                case STRING, ENUM -> "string";
                case NUMBER -> "number";
                case INTEGER -> "integer";
                case BOOLEAN -> "boolean";
            };
        }

        static Type parse(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown field type '" + name + "'; use string, number, integer, boolean or enum");
            }
        }
    }

    /** Checks the field. */
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        values = List.copyOf(values);
        description = description == null ? "" : description;
        if (name.isBlank() || name.equals("id")) {
            throw new IllegalArgumentException("a field needs a name other than 'id' (rows carry their id in it): '" + name + "'");
        }
        if (type == Type.ENUM && values.size() < 2) {
            throw new IllegalArgumentException("enum field '" + name + "' needs at least two values, has " + values);
        }
        if (type != Type.ENUM && !values.isEmpty()) {
            throw new IllegalArgumentException("only enum fields have values; '" + name + "' is " + type);
        }
        if (values.stream().distinct().count() != values.size()) {
            throw new IllegalArgumentException("enum field '" + name + "' repeats a value: " + values);
        }
    }

    /** A field of one of the simple types. */
    public static Field of(String name, Type type, String description) {
        return new Field(name, type, List.of(), description);
    }

    /** A field that takes one of {@code values}. */
    public static Field oneOf(String name, List<String> values, String description) {
        return new Field(name, Type.ENUM, values, description);
    }
}
