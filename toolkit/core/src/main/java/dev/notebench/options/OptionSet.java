package dev.notebench.options;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The options of one command, declared once beside its capability, and parsed the same way
 * wherever the words come from (a magic's line, a command line, a batch manifest):
 * {@code --name value}, {@code --name=value}, switches ({@code --name} alone), repeatable options
 * and positional words. Each mistake is one {@link NotebenchException} (CONFIG_INVALID) naming the
 * option and what to give. Immutable.
 *
 * <pre>{@code
 * static final Option<Path> RUN = Option.path("run").label("RUN_DIR").help("the run").required();
 * static final Option<Integer> TOP_K = Option.integer("top-k", 1, 20).defaultValue(3).help("predictions per position");
 * static final OptionSet SCORE = OptionSet.of(RUN, TOP_K).positional("TEXT", "the text", 1);
 *
 * OptionValues v = SCORE.parse(List.of("--run", "runs/a", "Hello", "world"));
 * v.get(TOP_K);        // 3
 * v.positional();      // [Hello, world]
 * }</pre>
 */
public final class OptionSet {
    /**
     * The positional words a command takes.
     *
     * @param label their placeholder, e.g. {@code PROMPT}
     * @param help what they are
     * @param min how many must be given
     * @param role what the command does with the files they name, if they name files
     */
    public record Positional(String label, String help, int min, Option.FileRole role) {
        /** Checks the values. */
        public Positional {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(help, "help");
            Objects.requireNonNull(role, "role");
        }

        /**
         * Positional words that name no file.
         *
         * @param label their placeholder
         * @param help what they are
         * @param min how many must be given
         */
        public Positional(String label, String help, int min) {
            this(label, help, min, Option.FileRole.NONE);
        }
    }

    private final List<Option<?>> options;
    private final Positional positional;
    private final List<Option<?>> alternatives;

    private OptionSet(List<Option<?>> options, Positional positional, List<Option<?>> alternatives) {
        Map<String, Option<?>> byName = new LinkedHashMap<>();
        for (Option<?> o : options) {
            if (byName.put(o.name(), o) != null) {
                throw new IllegalArgumentException("option --" + o.name() + " is declared twice");
            }
        }
        this.options = List.copyOf(options);
        this.positional = positional;
        this.alternatives = List.copyOf(alternatives);
    }

    /** Options in the order help lists them. */
    public static OptionSet of(Option<?>... options) {
        return new OptionSet(List.of(options), null, List.of());
    }

    /** Returns a copy with more options after these (a front end's own, say). */
    public OptionSet plus(Option<?>... more) {
        List<Option<?>> all = new ArrayList<>(options);
        all.addAll(List.of(more));
        return new OptionSet(all, positional, alternatives);
    }

    /**
     * Returns a copy that takes positional words.
     *
     * @param label their placeholder
     * @param help what they are
     * @param min how many must be given (0: optional)
     */
    public OptionSet positional(String label, String help, int min) {
        return positional(label, help, min, Option.FileRole.NONE);
    }

    /**
     * Returns a copy that takes positional words naming files, e.g. the {@code TREE} a command reads.
     *
     * @param label their placeholder
     * @param help what they are
     * @param min how many must be given (0: optional)
     * @param role what the command does with those files
     */
    public OptionSet positional(String label, String help, int min, Option.FileRole role) {
        return new OptionSet(options, new Positional(label, help, min, role), alternatives);
    }

    /**
     * Returns a copy in which the required options may be left out when one of {@code others} is
     * given instead (e.g. {@code --resume RUN_DIR} instead of a new run's {@code --tokenizer} and
     * {@code --corpus}).
     */
    public OptionSet orElse(Option<?>... others) {
        for (Option<?> o : others) {
            if (!options.contains(o)) {
                throw new IllegalArgumentException(o + " is not an option of this set");
            }
        }
        return new OptionSet(options, positional, List.of(others));
    }

    /** The options, in the order help lists them. */
    public List<Option<?>> options() {
        return options;
    }

    /** The positional words it takes, if any. */
    public Optional<Positional> positional() {
        return Optional.ofNullable(positional);
    }

    /** The options that stand in for the required ones (see {@link #orElse}). */
    public List<Option<?>> alternatives() {
        return alternatives;
    }

    /** The option of a name (without dashes), if declared. */
    public Optional<Option<?>> find(String name) {
        return options.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /**
     * The usage after the command's name: required options, then the others in brackets,
     * repeatable ones with {@code ...}, then the positional words, e.g.
     * {@code --run RUN_DIR [--top-k N] TEXT...}.
     */
    public String synopsis() {
        List<String> parts = new ArrayList<>();
        for (Option<?> o : options) {
            if (o.isRequired()) {
                parts.add(o.synopsis());
            }
        }
        for (Option<?> o : options) {
            if (!o.isRequired()) {
                parts.add("[" + o.synopsis() + "]" + (o.isRepeatable() ? "..." : ""));
            }
        }
        if (positional != null) {
            parts.add(positional.min() > 0 ? positional.label() + "..." : "[" + positional.label() + "...]");
        }
        return String.join(" ", parts);
    }

    /** The options, one per line with help, range and default, for help texts. */
    public String help() {
        StringBuilder s = new StringBuilder();
        if (positional != null) {
            s.append(String.format(Locale.ROOT, "  %-34s %s%n", positional.label() + "...", positional.help()));
        }
        for (Option<?> o : options) {
            s.append(String.format(Locale.ROOT, "  %-34s %s%n", o.synopsis(), o.describe()));
        }
        return s.toString();
    }

    /**
     * Parses words.
     *
     * @param words the words after the command's name
     * @return the values
     * @throws NotebenchException (CONFIG_INVALID) naming the option to fix
     */
    public OptionValues parse(List<String> words) {
        Map<String, List<Object>> given = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        boolean onlyPositional = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (onlyPositional || !w.startsWith("--") || w.length() == 2 && positional == null) {
                if (positional == null) {
                    throw bad("'" + w + "' is not an option; options start with -- (" + example() + ")");
                }
                rest.add(w);
                continue;
            }
            if (w.equals("--")) {
                onlyPositional = true;
                continue;
            }
            String name = w.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String n = name;
            Option<?> o = find(n).orElseThrow(() -> bad("unknown option --" + n + "; the options are "
                    + options.stream().map(x -> "--" + x.name()).toList()));
            Object parsed;
            if (o.isFlag()) {
                if (value != null) {
                    throw bad("--" + n + " takes no value");
                }
                parsed = Boolean.TRUE;
            } else {
                if (value == null) {
                    if (i + 1 >= words.size()) {
                        throw bad("--" + n + " needs a value: " + o.synopsis());
                    }
                    value = words.get(++i);
                }
                parsed = o.parse(value);
            }
            if (given.containsKey(n) && !o.isRepeatable()) {
                throw bad("--" + n + " is given twice");
            }
            given.computeIfAbsent(n, k -> new ArrayList<>()).add(parsed);
        }
        checkRequired(given);
        if (positional != null && rest.size() < positional.min()) {
            throw bad("give " + positional.label() + " after the options");
        }
        return new OptionValues(this, given, rest);
    }

    private void checkRequired(Map<String, List<Object>> given) {
        if (alternatives.stream().anyMatch(a -> given.containsKey(a.name()))) {
            return;
        }
        List<Option<?>> required = options.stream().filter(Option::isRequired).toList();
        Optional<Option<?>> missing = required.stream().filter(o -> !given.containsKey(o.name())).findFirst();
        if (missing.isEmpty()) {
            return;
        }
        if (alternatives.isEmpty()) {
            throw bad("--" + missing.get().name() + " is required");
        }
        List<String> names = required.stream().map(o -> "--" + o.name()).toList();
        String all = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        throw bad("give " + all + alternatives.stream().map(a -> ", or " + a.synopsis()).collect(Collectors.joining()));
    }

    private String example() {
        return options.stream().filter(o -> !o.isFlag()).findFirst().map(o -> o.synopsis()).orElse("--help");
    }

    private static NotebenchException bad(String message) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, message);
    }
}
