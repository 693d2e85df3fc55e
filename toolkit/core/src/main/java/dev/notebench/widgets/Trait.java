package dev.notebench.widgets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One synchronized attribute of a widget model: its name as the front end knows it, its kind,
 * initial value and whether it may be null. Values are held as Java values (a {@link Widget} for a
 * reference) and written as JSON-ready values ({@code "IPY_MODEL_<id>"} for a reference).
 */
record Trait(String name, Kind kind, Object initial, boolean nullable, boolean readOnly) {

    /** What a trait holds. */
    enum Kind { STRING, BOOLEAN, INTEGER, FLOAT, STRINGS, WIDGET, WIDGETS, OBJECTS }

    static Trait string(String name, String initial) {
        return new Trait(name, Kind.STRING, initial, false, false);
    }

    static Trait nullableString(String name) {
        return new Trait(name, Kind.STRING, null, true, false);
    }

    static Trait constant(String name, String value) {
        return new Trait(name, Kind.STRING, value, false, true);
    }

    static Trait bool(String name, boolean initial) {
        return new Trait(name, Kind.BOOLEAN, initial, false, false);
    }

    static Trait nullableBool(String name) {
        return new Trait(name, Kind.BOOLEAN, null, true, false);
    }

    static Trait integer(String name, int initial) {
        return new Trait(name, Kind.INTEGER, initial, false, false);
    }

    static Trait nullableInteger(String name) {
        return new Trait(name, Kind.INTEGER, null, true, false);
    }

    static Trait decimal(String name, double initial) {
        return new Trait(name, Kind.FLOAT, initial, false, false);
    }

    static Trait nullableDecimal(String name, Double initial) {
        return new Trait(name, Kind.FLOAT, initial, true, false);
    }

    static Trait strings(String name) {
        return new Trait(name, Kind.STRINGS, List.of(), false, false);
    }

    static Trait widget(String name) {
        return new Trait(name, Kind.WIDGET, null, false, false);
    }

    static Trait widgets(String name) {
        return new Trait(name, Kind.WIDGETS, List.of(), false, false);
    }

    static Trait objects(String name) {
        return new Trait(name, Kind.OBJECTS, List.of(), false, false);
    }

    /** Whether the front end may change it: references and constants belong to the kernel. */
    boolean writableByFrontEnd() {
        return !readOnly && kind != Kind.WIDGET && kind != Kind.WIDGETS;
    }

    /**
     * Checks a value and converts it to the kind's Java type (a JSON number read as a long or a
     * double becomes an int or a double).
     *
     * @throws IllegalArgumentException naming the attribute and what it takes
     */
    Object coerce(Object v) {
        if (v == null) {
            if (nullable) {
                return null;
            }
            throw new IllegalArgumentException(name + " cannot be null");
        }
        return switch (kind) {
            case STRING -> expect(v, String.class, "a string");
            case BOOLEAN -> expect(v, Boolean.class, "true or false");
            case INTEGER -> {
                Number n = expect(v, Number.class, "a whole number");
                double d = n.doubleValue();
                if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(name + " takes a whole number (an int), got " + v);
                }
                yield n.intValue();
            }
            case FLOAT -> {
                double d = expect(v, Number.class, "a number").doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException(name + " takes a finite number, got " + v);
                }
                yield d;
            }
            case STRINGS -> {
                List<String> out = new ArrayList<>();
                for (Object o : expect(v, List.class, "a list of strings")) {
                    out.add(element(o, String.class, "a list of strings"));
                }
                yield Collections.unmodifiableList(out);
            }
            case WIDGET -> expect(v, Widget.class, "a widget");
            case WIDGETS -> {
                List<Widget> out = new ArrayList<>();
                for (Object o : expect(v, List.class, "a list of widgets")) {
                    out.add(element(o, Widget.class, "a list of widgets"));
                }
                yield Collections.unmodifiableList(out);
            }
            case OBJECTS -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Object o : expect(v, List.class, "a list of objects")) {
                    Map<?, ?> m = element(o, Map.class, "a list of objects");
                    Map<String, Object> copy = new LinkedHashMap<>();
                    m.forEach((k, x) -> copy.put(String.valueOf(k), x));
                    out.add(Collections.unmodifiableMap(copy));
                }
                yield Collections.unmodifiableList(out);
            }
        };
    }

    /** The value as the front end gets it: references become {@code "IPY_MODEL_<id>"}. */
    Object json(Object v) {
        if (v instanceof Widget w) {
            return Widget.reference(w);
        }
        if (kind == Kind.WIDGETS) {
            List<String> refs = new ArrayList<>();
            for (Object o : (List<?>) v) {
                refs.add(Widget.reference((Widget) o));
            }
            return Collections.unmodifiableList(refs);
        }
        return v;
    }

    private <T> T expect(Object v, Class<T> type, String what) {
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(name + " takes " + what + ", got " + v + " (" + v.getClass().getSimpleName() + ")");
        }
        return type.cast(v);
    }

    private <T> T element(Object v, Class<T> type, String what) {
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(name + " takes " + what + ", got an element " + v);
        }
        return type.cast(v);
    }
}
