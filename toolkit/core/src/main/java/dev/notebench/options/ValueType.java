package dev.notebench.options;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an option's value is: its Java type, its placeholder in usage lines, how text becomes a
 * value, and its range or choices. A value that does not parse is an {@link Invalid} whose
 * problem reads after the value ("is not a whole number from 1 to 512"), so that every front end
 * can say it in its own words and all say the same.
 *
 * <pre>{@code
 * ValueType<Integer> steps = ValueType.integer(1, Integer.MAX_VALUE);
 * steps.parse("200");   // 200
 * steps.parse("-3");    // Invalid: "is out of range; give a number of at least 1"
 * }</pre>
 *
 * @param <T> the type of the values
 */
public final class ValueType<T> {
    private final Class<T> javaType;
    private final String label;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final Range range;
    private final List<String> choices;

    private ValueType(Class<T> javaType, String label, Function<String, T> parser, Function<T, String> formatter, Range range,
                      List<String> choices) {
        this.javaType = javaType;
        this.label = label;
        this.parser = parser;
        this.formatter = formatter;
        this.range = range;
        this.choices = choices;
    }

    /** A value that does not parse: {@link #getMessage()} is the problem, said after the value. */
    public static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the problem.
         *
         * @param problem what is wrong, read after the value, e.g. {@code "is not a number"}
         */
        public Invalid(String problem) {
            super(problem);
        }
    }

    /**
     * The bounds of a numeric type, each included or not; an unbounded side is infinite (or the
     * type's extreme for whole numbers).
     *
     * @param min the lower bound
     * @param minIncluded whether {@code min} itself is allowed
     * @param max the upper bound
     * @param maxIncluded whether {@code max} itself is allowed
     */
    public record Range(double min, boolean minIncluded, double max, boolean maxIncluded) {
        /** Whether a value lies within the bounds. */
        public boolean contains(double v) {
            return (minIncluded ? v >= min : v > min) && (maxIncluded ? v <= max : v < max);
        }

        /** The bounds in words, after "a number": "from 1 to 512", "of at least 0", "above 0 and at most 1". */
        public String describe() {
            boolean low = Double.isFinite(min) && min > Long.MIN_VALUE;
            boolean high = Double.isFinite(max) && max < Integer.MAX_VALUE;
            if (low && high) {
                if (minIncluded && maxIncluded) {
                    return "from " + formatNumber(min) + " to " + formatNumber(max);
                }
                return (minIncluded ? "from " + formatNumber(min) : "above " + formatNumber(min))
                        + (maxIncluded ? " and at most " + formatNumber(max) : minIncluded ? " to below " + formatNumber(max)
                        : " and below " + formatNumber(max));
            }
            if (low) {
                return minIncluded ? "of at least " + formatNumber(min) : "above " + formatNumber(min);
            }
            if (high) {
                return maxIncluded ? "of at most " + formatNumber(max) : "below " + formatNumber(max);
            }
            return "";
        }
    }

    /**
     * Whole numbers from {@code min} to {@code max}, placeholder {@code N}.
     *
     * @param min the smallest value
     * @param max the largest value ({@link Integer#MAX_VALUE}: unbounded)
     */
    public static ValueType<Integer> integer(int min, int max) {
        Range r = new Range(min, true, max, true);
        String within = r.describe().isEmpty() ? "" : " " + r.describe();
        return new ValueType<>(Integer.class, "N", s -> (int) whole(s, min, max, within), String::valueOf, r, List.of());
    }

    /**
     * Whole numbers from {@code min} to {@code max} as longs (seeds), placeholder {@code N}.
     *
     * @param min the smallest value
     * @param max the largest value
     */
    public static ValueType<Long> longInteger(long min, long max) {
        Range r = new Range(min, true, max, true);
        String within = r.describe().isEmpty() ? "" : " " + r.describe();
        return new ValueType<>(Long.class, "N", s -> whole(s, min, max, within), String::valueOf, r, List.of());
    }

    /**
     * Finite numbers from {@code min} to {@code max}, both included, placeholder {@code X}.
     *
     * @param min the smallest value ({@code Double.NEGATIVE_INFINITY}: unbounded)
     * @param max the largest value ({@code Double.POSITIVE_INFINITY}: unbounded)
     */
    public static ValueType<Double> number(double min, double max) {
        return number(new Range(min, true, max, true));
    }

    /**
     * Finite numbers within a range, placeholder {@code X}.
     *
     * @param range the bounds
     */
    public static ValueType<Double> number(Range range) {
        Objects.requireNonNull(range, "range");
        return new ValueType<>(Double.class, "X", s -> {
            double d;
            try {
                d = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw new Invalid("is not a number");
            }
            if (!Double.isFinite(d) || !range.contains(d)) {
                throw new Invalid("is out of range; give a number " + range.describe());
            }
            return d;
        }, d -> formatNumber(d), range, List.of());
    }

    /** Any text, placeholder {@code TEXT}. */
    public static ValueType<String> string() {
        return new ValueType<>(String.class, "TEXT", s -> s, s -> s, null, List.of());
    }

    /** A file or directory, placeholder {@code PATH}. */
    public static ValueType<Path> path() {
        return new ValueType<>(Path.class, "PATH", s -> {
            if (s.isBlank()) {
                throw new Invalid("is not a path; give a file or directory");
            }
            try {
                return Path.of(s);
            } catch (InvalidPathException e) {
                throw new Invalid("is not a path: " + e.getReason());
            }
        }, Path::toString, null, List.of());
    }

    /**
     * One of some words, as written (case-insensitive, returned in the declared spelling),
     * placeholder {@code a|b|c}.
     *
     * @param choices the words
     */
    public static ValueType<String> choice(String... choices) {
        List<String> all = List.of(choices);
        String words = all.size() == 1 ? all.get(0) : String.join(", ", all.subList(0, all.size() - 1)) + " or "
                + all.get(all.size() - 1);
        return new ValueType<>(String.class, String.join("|", all), s -> all.stream().filter(c -> c.equalsIgnoreCase(s.strip()))
                .findFirst().orElseThrow(() -> new Invalid("is not a choice; use " + words)), s -> s, null, all);
    }

    /** {@code KEY=VALUE}, placeholder {@code KEY=VALUE}; the key is stripped and may not be empty. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ValueType<Map.Entry<String, String>> keyValue() {
        Class<Map.Entry<String, String>> type = (Class) Map.Entry.class;
        return new ValueType<>(type, "KEY=VALUE", s -> {
            int eq = s.indexOf('=');
            if (eq <= 0 || s.substring(0, eq).isBlank()) {
                throw new Invalid("is not KEY=VALUE");
            }
            return new AbstractMap.SimpleImmutableEntry<>(s.substring(0, eq).strip(), s.substring(eq + 1));
        }, e -> e.getKey() + "=" + e.getValue(), null, List.of());
    }

    /** A switch: present or not; it takes no value. */
    static ValueType<Boolean> flag() {
        return new ValueType<>(Boolean.class, null, s -> {
            throw new Invalid("takes no value");
        }, String::valueOf, null, List.of());
    }

    private static long whole(String s, long min, long max, String within) {
        long v;
        try {
            v = Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new Invalid("is not a whole number" + within);
        }
        if (v < min || v > max) {
            throw new Invalid("is out of range; give a number" + within);
        }
        return v;
    }

    /**
     * Parses a value.
     *
     * @param text the value as written
     * @return the value
     * @throws Invalid saying what is wrong, to be read after the value
     */
    public T parse(String text) {
        return parser.apply(Objects.requireNonNull(text, "text"));
    }

    /** Writes a value as it would be typed, e.g. {@code 0.001} or {@code runs}. */
    public String format(T value) {
        return formatter.apply(value);
    }

    /** The Java type of the values. */
    public Class<T> javaType() {
        return javaType;
    }

    /** The placeholder in usage lines ({@code N}, {@code X}, {@code TEXT}, {@code a|b}); null for a switch. */
    public String label() {
        return label;
    }

    /** The bounds of a numeric type. */
    public Optional<Range> range() {
        return Optional.ofNullable(range);
    }

    /** The words of a choice; empty for other types. */
    public List<String> choices() {
        return choices;
    }

    /** Whether this is a switch, which takes no value. */
    public boolean isFlag() {
        return label == null;
    }

    static String formatNumber(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toString().replace("E-", "e-").replace("E+", "e");
    }
}
