package dev.notebench.options;

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

    private Option<?> check(Option<?> option) {
        if (set.find(option.name()).orElse(null) != option) {
            throw new IllegalArgumentException(option + " is not an option of this command");
        }
        return option;
    }
}
