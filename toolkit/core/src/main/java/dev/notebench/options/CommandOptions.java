package dev.notebench.options;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of one command, parsed the same way wherever the words come from (a magic's line,
 * a command line, a batch manifest): {@code --name value}, {@code --name=value}, and switches
 * ({@code --name} alone). Unknown options, missing values and repeats are one error each, naming
 * the option.
 *
 * <pre>{@code
 * CommandOptions spec = CommandOptions.of(
 *     CommandOptions.option("input", "FILE", "the text to read"),
 *     CommandOptions.flag("resume", "continue the last run"));
 * CommandOptions.Parsed o = spec.parse(List.of("--input", "a.txt", "--resume"));
 * }</pre>
 */
public final class CommandOptions {
    /** One option: its name, the value's placeholder (null for a switch), whether it may repeat, its help. */
    public record Option(String name, String value, boolean repeatable, String help) {
        boolean isSwitch() {
            return value == null;
        }
    }

    private final List<Option> options;

    private CommandOptions(List<Option> options) {
        this.options = List.copyOf(options);
    }

    /** Options in the order help lists them. */
    public static CommandOptions of(Option... options) {
        return new CommandOptions(List.of(options));
    }

    /** An option with a value. */
    public static Option option(String name, String value, String help) {
        return new Option(name, value, false, help);
    }

    /** An option with a value that may be given several times. */
    public static Option repeatable(String name, String value, String help) {
        return new Option(name, value, true, help);
    }

    /** A switch. */
    public static Option flag(String name, String help) {
        return new Option(name, null, false, help);
    }

    /** The options, one per line, for help texts. */
    public String help() {
        StringBuilder s = new StringBuilder();
        for (Option o : options) {
            String left = "  --" + o.name() + (o.isSwitch() ? "" : " " + o.value());
            s.append(String.format(Locale.ROOT, "%-34s %s%n", left, o.help()));
        }
        return s.toString();
    }

    /**
     * Parses words.
     *
     * @param args the words after the command's name
     * @throws NotebenchException (CONFIG_INVALID) naming the option to fix
     */
    public Parsed parse(List<String> args) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw bad("'" + a + "' is not an option; options start with -- (" + example() + ")");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String n = name;
            Option o = options.stream().filter(x -> x.name().equals(n)).findFirst()
                    .orElseThrow(() -> bad("unknown option --" + n + "; the options are " + options.stream()
                            .map(x -> "--" + x.name()).toList()));
            if (o.isSwitch()) {
                if (value != null) {
                    throw bad("--" + n + " takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.size()) {
                    throw bad("--" + n + " needs a value: --" + n + " " + o.value());
                }
                value = args.get(++i);
            }
            if (given.containsKey(n) && !o.repeatable()) {
                throw bad("--" + n + " is given twice");
            }
            given.computeIfAbsent(n, k -> new ArrayList<>()).add(value);
        }
        return new Parsed(given);
    }

    private String example() {
        return options.stream().filter(o -> !o.isSwitch()).findFirst().map(o -> "--" + o.name() + " " + o.value()).orElse("--help");
    }

    static NotebenchException bad(String message) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, message);
    }

    /** Parsed options. */
    public static final class Parsed {
        private final Map<String, List<String>> given;

        private Parsed(Map<String, List<String>> given) {
            this.given = given;
        }

        /** Whether the option was given. */
        public boolean has(String name) {
            return given.containsKey(name);
        }

        /** The option's value, or {@code fallback}. */
        public String get(String name, String fallback) {
            List<String> v = given.get(name);
            return v == null ? fallback : v.get(0);
        }

        /** Every value of a repeatable option. */
        public List<String> all(String name) {
            return given.getOrDefault(name, List.of());
        }

        /**
         * The option's value as a number within [min, max], or {@code fallback}.
         *
         * @throws NotebenchException (CONFIG_INVALID) when it is not a number or out of range
         */
        public double number(String name, double fallback, double min, double max) {
            String v = get(name, null);
            if (v == null) {
                return fallback;
            }
            double d;
            try {
                d = Double.parseDouble(v.strip());
            } catch (NumberFormatException e) {
                throw bad("--" + name + " " + v + " is not a number");
            }
            if (d < min || d > max || Double.isNaN(d)) {
                throw bad("--" + name + " " + v + " is out of range; give a number from " + fmt(min) + " to " + fmt(max));
            }
            return d;
        }

        /** The option's value as a whole number within [min, max], or {@code fallback}. */
        public int integer(String name, int fallback, int min, int max) {
            String v = get(name, null);
            if (v == null) {
                return fallback;
            }
            long n;
            try {
                n = Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw bad("--" + name + " " + v + " is not a whole number; give one from " + min + " to " + max);
            }
            if (n < min || n > max) {
                throw bad("--" + name + " " + v + " is out of range; give a number from " + min + " to " + max);
            }
            return (int) n;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
