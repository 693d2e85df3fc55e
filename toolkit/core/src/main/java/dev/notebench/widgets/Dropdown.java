package dev.notebench.widgets;

import java.util.List;
import java.util.function.Consumer;

/**
 * A drop-down list of options ({@code DropdownModel}); the front end syncs the chosen index.
 *
 * <pre>{@code
 * Dropdown family = new Dropdown(List.of("gpt", "char-lstm")).description("family");
 * family.onValue(f -> System.err.println("family " + f));
 * }</pre>
 */
public final class Dropdown extends DescriptionWidget<Dropdown> {

    /**
     * Creates a drop-down with its first option chosen (none when there are none).
     *
     * @param options the labels of the options
     */
    public Dropdown(List<String> options) {
        super("Dropdown", Model.control("Dropdown"), Style.description(), List.of(Trait.strings("_options_labels"),
                Trait.bool("disabled", false), Trait.nullableInteger("index")));
        options(options);
    }

    /**
     * Replaces the options and chooses the first.
     *
     * @param options the labels
     * @return this drop-down
     */
    public Dropdown options(List<String> options) {
        write("_options_labels", options);
        write("index", options.isEmpty() ? null : 0);
        return this;
    }

    /** Returns the labels of the options. */
    @SuppressWarnings("unchecked")
    public List<String> options() {
        return (List<String>) read("_options_labels");
    }

    /**
     * Chooses an option by its label.
     *
     * @param label one of {@link #options()}
     * @return this drop-down
     * @throws IllegalArgumentException for a label that is not an option
     */
    public Dropdown value(String label) {
        int i = options().indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("'" + label + "' is not one of the options " + options());
        }
        write("index", i);
        return this;
    }

    /** Returns the chosen option's label, or {@code null} when none is chosen. */
    public String value() {
        Integer i = index();
        List<String> options = options();
        return i == null || i < 0 || i >= options.size() ? null : options.get(i);
    }

    /** Returns the chosen option's index, or {@code null}. */
    public Integer index() {
        return (Integer) read("index");
    }

    /**
     * Sets whether the choice can be changed.
     *
     * @param disabled true to grey it out
     * @return this drop-down
     */
    public Dropdown disabled(boolean disabled) {
        write("disabled", disabled);
        return this;
    }

    /**
     * Calls {@code listener} with the chosen label after every change of the choice.
     *
     * @param listener hears the label, or {@code null} when none is chosen
     * @return closing it removes the listener
     */
    public Subscription onValue(Consumer<String> listener) {
        return onChange("index", c -> listener.accept(value()));
    }
}
