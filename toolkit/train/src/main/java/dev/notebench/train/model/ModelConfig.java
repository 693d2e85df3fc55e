package dev.notebench.train.model;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A model's hyperparameters: its family's name and named numbers and switches, such as
 * {@code n_layer=6}, {@code dropout=0.1}, {@code bias=true}. Families read them with defaults and
 * reject names they do not know, so a typo is an error, not a silent default.
 *
 * @param family the family, e.g. {@code gpt} or {@code char-lstm}
 * @param values the hyperparameters
 */
public record ModelConfig(String family, Map<String, Object> values) {

    /** Copies the values, sorted by name. */
    public ModelConfig {
        Objects.requireNonNull(family, "family");
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * Parses a hyperparameter written as text ({@code --set n_layer=4}, {@code %train --set ...}):
     * true/false, a whole number (as a long), another number (as a double), or else the text.
     *
     * @param text the value as written
     */
    public static Object parseValue(String text) {
        String s = text.strip();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        try {
            double d = Double.parseDouble(s);
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
        } catch (NumberFormatException e) {
            return s;
        }
    }

    /**
     * A configuration.
     *
     * @param family the family
     * @param keyValues names and values, alternating
     */
    public static ModelConfig of(String family, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new ModelConfig(family, m);
    }

    /** Returns a copy with one value set. */
    public ModelConfig with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(key, value);
        return new ModelConfig(family, m);
    }

    /** Returns a copy with the given defaults filled in where no value is set. */
    public ModelConfig withDefaults(Map<String, Object> defaults) {
        Map<String, Object> m = new LinkedHashMap<>(defaults);
        m.putAll(values);
        return new ModelConfig(family, m);
    }

    /**
     * Returns an integer value.
     *
     * @param key the name
     * @param min the smallest allowed
     */
    public int intValue(String key, int min) {
        Object v = require(key);
        double d = v instanceof Number n ? n.doubleValue() : parse(key, v);
        if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    family + " model: " + key + " must be a whole number of at least " + min + ", got " + v);
        }
        return (int) d;
    }

    /**
     * Returns a number in [min, max].
     *
     * @param key the name
     * @param min the smallest allowed
     * @param max the largest allowed
     */
    public double doubleValue(String key, double min, double max) {
        Object v = require(key);
        double d = v instanceof Number n ? n.doubleValue() : parse(key, v);
        if (!(d >= min && d <= max)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    family + " model: " + key + " must be between " + min + " and " + max + ", got " + v);
        }
        return d;
    }

    /**
     * Returns a switch.
     *
     * @param key the name
     */
    public boolean booleanValue(String key) {
        Object v = require(key);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new NotebenchException(ErrorCode.CONFIG_INVALID, family + " model: " + key + " must be true or false, got " + v);
    }

    /**
     * Fails when a value is set whose name is not among {@code known}.
     *
     * @param known the names the family reads
     */
    public void requireOnly(java.util.Set<String> known) {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, family + " model has no setting '" + k
                        + "'; it has " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, family + " model: " + key + " is not set");
        }
        return v;
    }

    private double parse(String key, Object v) {
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, family + " model: " + key + " must be a number, got " + v);
        }
    }
}
