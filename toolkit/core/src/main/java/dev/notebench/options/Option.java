package dev.notebench.options;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One option of a command, declared once beside its capability: its name, the type of its value
 * (with range or choices), its default, its help and an example. Immutable; each {@code with}
 * method returns a copy. Magics, the command line and batch manifests are derived from it.
 *
 * <pre>{@code
 * static final Option<Integer> STEPS = Option.integer("steps", 1, Integer.MAX_VALUE)
 *         .defaultValue(1000).help("optimizer steps").example("200");
 * }</pre>
 *
 * @param <T> the type of its value
 */
public final class Option<T> {
    private final String name;
    private final ValueType<T> type;
    private final String label;
    private final String help;
    private final T defaultValue;
    private final String defaultText;
    private final String example;
    private final boolean repeatable;
    private final boolean required;
    private final FileRole role;

    /**
     * What a command does with the file an option names, so that every front end guards the same
     * inputs and outputs ({@link OptionValues#guard()}, a batch manifest's check).
     */
    public enum FileRole {
        /** Not a file, or one neither read as an input nor written as an output. */
        NONE,
        /** A file the command reads; no output may overwrite it. */
        INPUT,
        /** A file the command writes. */
        OUTPUT
    }

    private Option(String name, ValueType<T> type, String label, String help, T defaultValue, String defaultText, String example,
                   boolean repeatable, boolean required, FileRole role) {
        this.name = name;
        this.type = type;
        this.label = label;
        this.help = help;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.example = example;
        this.repeatable = repeatable;
        this.required = required;
        this.role = role;
    }

    /**
     * An option of a type.
     *
     * @param name the name without dashes, e.g. {@code max-new-tokens}
     * @param type the type of its value
     */
    public static <T> Option<T> of(String name, ValueType<T> type) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option names are lowercase words joined by '-': " + name);
        }
        return new Option<>(name, Objects.requireNonNull(type, "type"), type.label(), "", null, null, null, false, false, FileRole.NONE);
    }

    /** A whole-number option within [min, max] ({@link ValueType#integer}). */
    public static Option<Integer> integer(String name, int min, int max) {
        return of(name, ValueType.integer(min, max));
    }

    /** A long option within [min, max] ({@link ValueType#longInteger}). */
    public static Option<Long> longInteger(String name, long min, long max) {
        return of(name, ValueType.longInteger(min, max));
    }

    /** A number option within [min, max] ({@link ValueType#number(double, double)}). */
    public static Option<Double> number(String name, double min, double max) {
        return of(name, ValueType.number(min, max));
    }

    /** A number option within a range ({@link ValueType#number(ValueType.Range)}). */
    public static Option<Double> number(String name, ValueType.Range range) {
        return of(name, ValueType.number(range));
    }

    /** A text option. */
    public static Option<String> string(String name) {
        return of(name, ValueType.string());
    }

    /** A file or directory option. */
    public static Option<Path> path(String name) {
        return of(name, ValueType.path());
    }

    /** An option whose value is one of some words. */
    public static Option<String> choice(String name, String... choices) {
        return of(name, ValueType.choice(choices));
    }

    /** A {@code KEY=VALUE} option. */
    public static Option<Map.Entry<String, String>> keyValue(String name) {
        return of(name, ValueType.keyValue());
    }

    /** A switch: {@code --name} alone turns it on; its value is whether it was given. */
    public static Option<Boolean> flag(String name) {
        return of(name, ValueType.flag()).defaultValue(false);
    }

    /** Returns a copy with another placeholder, e.g. {@code DIR} or {@code RUN_DIR}. */
    public Option<T> label(String label) {
        return new Option<>(name, type, Objects.requireNonNull(label), help, defaultValue, defaultText, example, repeatable, required, role);
    }

    /** Returns a copy with its help: what it does, as a phrase (range and default are added where shown). */
    public Option<T> help(String help) {
        return new Option<>(name, type, label, Objects.requireNonNull(help), defaultValue, defaultText, example, repeatable, required, role);
    }

    /** Returns a copy whose value is {@code value} when it is not given. */
    public Option<T> defaultValue(T value) {
        return new Option<>(name, type, label, help, value, defaultText, example, repeatable, required, role);
    }

    /**
     * Returns a copy whose default is computed by whoever reads it, described in words for help,
     * e.g. {@code "lr/10"}; its value when not given is null.
     */
    public Option<T> defaultText(String words) {
        return new Option<>(name, type, label, help, null, Objects.requireNonNull(words), example, repeatable, required, role);
    }

    /** Returns a copy with an example value, as typed. */
    public Option<T> example(String example) {
        return new Option<>(name, type, label, help, defaultValue, defaultText, Objects.requireNonNull(example), repeatable, required, role);
    }

    /** Returns a copy that may be given several times; all values are kept in order. */
    public Option<T> repeatable() {
        return new Option<>(name, type, label, help, defaultValue, defaultText, example, true, required, role);
    }

    /** Returns a copy that must be given (unless the set names an alternative, see {@link OptionSet#orElse}). */
    public Option<T> required() {
        return new Option<>(name, type, label, help, defaultValue, defaultText, example, repeatable, true, role);
    }

    /** Returns a copy that names a file the command reads (see {@link FileRole#INPUT}). */
    public Option<T> input() {
        return withRole(FileRole.INPUT);
    }

    /** Returns a copy that names a file the command writes (see {@link FileRole#OUTPUT}). */
    public Option<T> output() {
        return withRole(FileRole.OUTPUT);
    }

    private Option<T> withRole(FileRole role) {
        if (type.javaType() != Path.class) {
            throw new IllegalArgumentException("--" + name + " names no file: only a path option is an input or an output");
        }
        return new Option<>(name, type, label, help, defaultValue, defaultText, example, repeatable, required, role);
    }

    /** What the command does with the file this option names. */
    public FileRole role() {
        return role;
    }

    /** The name without dashes. */
    public String name() {
        return name;
    }

    /** The type of its value. */
    public ValueType<T> type() {
        return type;
    }

    /** The placeholder of its value in usage lines; null for a switch. */
    public String label() {
        return label;
    }

    /** What it does. */
    public String help() {
        return help;
    }

    /** Its value when not given; null when none or computed (see {@link #defaultShown()}). */
    public T defaultValue() {
        return defaultValue;
    }

    /** Its default as help shows it, or null when it has none. A switch's default (off) is not shown. */
    public String defaultShown() {
        if (defaultText != null) {
            return defaultText;
        }
        return defaultValue == null || isFlag() ? null : type.format(defaultValue);
    }

    /** An example value, or null. */
    public String example() {
        return example;
    }

    /** Whether it may be given several times. */
    public boolean isRepeatable() {
        return repeatable;
    }

    /** Whether it must be given. */
    public boolean isRequired() {
        return required;
    }

    /** Whether it is a switch. */
    public boolean isFlag() {
        return type.isFlag();
    }

    /** {@code --name LABEL}, or {@code --name} for a switch. */
    public String synopsis() {
        return "--" + name + (isFlag() ? "" : " " + label);
    }

    /**
     * The help with its range and default, as help texts list it, e.g. {@code "optimizer steps (a
     * whole number of at least 1; default 1000)"}.
     */
    public String describe() {
        StringBuilder extra = new StringBuilder();
        type.range().map(ValueType.Range::describe).filter(r -> !r.isEmpty()).ifPresent(r -> extra.append(
                type.javaType() == Double.class ? "a number " : "a whole number ").append(r));
        if (defaultShown() != null) {
            extra.append(extra.length() > 0 ? "; " : "").append("default: ").append(defaultShown());
        }
        if (example != null) {
            extra.append(extra.length() > 0 ? "; " : "").append("e.g. ").append(example);
        }
        if (repeatable) {
            extra.append(extra.length() > 0 ? "; " : "").append("repeatable");
        }
        return extra.length() == 0 ? help : help + " (" + extra + ")";
    }

    /**
     * Parses a value of this option.
     *
     * @param text the value as written
     * @return the value
     * @throws NotebenchException (CONFIG_INVALID) naming the option, the value and what to give
     */
    public T parse(String text) {
        try {
            return type.parse(text);
        } catch (ValueType.Invalid e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--" + name + " " + text + " " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return synopsis();
    }
}
