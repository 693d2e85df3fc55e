package dev.notebench.options;

import dev.notebench.files.OutputGuard;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The values of one parse of an {@link OptionSet}: each option's value as its declared type, its
 * default where it was not given, and the positional words.
 *
 * <pre>{@code
 * OptionValues v = TrainOptions.OPTIONS.parse(words);
 * int steps = v.get(TrainOptions.STEPS);                 // given, or the declared default
 * List<Map.Entry<String, String>> sets = v.all(TrainOptions.SET);
 * }</pre>
 */
public final class OptionValues {
    private final OptionSet set;
    private final Map<String, List<Object>> given;
    private final List<String> positional;

    OptionValues(OptionSet set, Map<String, List<Object>> given, List<String> positional) {
        this.set = set;
        this.given = Map.copyOf(given);
        this.positional = List.copyOf(positional);
    }

    /**
     * The option's value: the first given, else its default (null when it has none).
     *
     * @param option an option of the set
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        List<Object> v = given.get(check(option).name());
        return v == null ? option.defaultValue() : (T) v.get(0);
    }

    /**
     * Whether the option was given.
     *
     * @param option an option of the set
     */
    public boolean has(Option<?> option) {
        return given.containsKey(check(option).name());
    }

    /**
     * Every value given of an option, in order (empty when none).
     *
     * @param option an option of the set
     */
    @SuppressWarnings("unchecked")
    public <T> List<T> all(Option<T> option) {
        return (List<T>) List.copyOf(given.getOrDefault(check(option).name(), List.of()));
    }

    /** The positional words, in order. */
    public List<String> positional() {
        return positional;
    }

    /**
     * The files these values name by their declared roles ({@link Option#input()},
     * {@link Option#output()}, a positional's role), each labelled as typed ({@code --out},
     * {@code TREE}), so that every front end refuses the same overwrites. Add the files a command
     * uses by default before {@link OutputGuard.Builder#build()}.
     *
     * <pre>{@code
     * v.guard().output("--cache", defaultCache).build().check();
     * }</pre>
     *
     * @return a guard builder holding the given inputs and outputs
     */
    public OutputGuard.Builder guard() {
        OutputGuard.Builder g = OutputGuard.builder();
        for (Option<?> o : set.options()) {
            for (Object value : given.getOrDefault(o.name(), List.of())) {
                if (o.role() == Option.FileRole.INPUT) {
                    g.input("--" + o.name(), (Path) value);
                } else if (o.role() == Option.FileRole.OUTPUT) {
                    g.output("--" + o.name(), (Path) value);
                }
            }
        }
        set.positional().filter(p -> p.role() != Option.FileRole.NONE).ifPresent(p -> {
            for (String word : positional) {
                if (p.role() == Option.FileRole.INPUT) {
                    g.input(p.label(), Path.of(word));
                } else {
                    g.output(p.label(), Path.of(word));
                }
            }
        });
        return g;
    }

    private Option<?> check(Option<?> option) {
        if (set.find(option.name()).orElse(null) != option) {
            throw new IllegalArgumentException(option + " is not an option of this command");
        }
        return option;
    }
}
