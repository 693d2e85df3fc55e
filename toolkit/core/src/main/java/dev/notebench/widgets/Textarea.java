package dev.notebench.widgets;

import java.util.List;
import java.util.function.Consumer;

/**
 * A text box of several lines ({@code TextareaModel}).
 *
 * <pre>{@code
 * Textarea prompt = new Textarea().description("prompt").rows(3).value("My fellow Americans,");
 * }</pre>
 */
public final class Textarea extends DescriptionWidget<Textarea> {

    /** Creates an empty box. */
    public Textarea() {
        super("Textarea", Model.control("Textarea"), Style.text(), List.of(Trait.bool("continuous_update", true),
                Trait.bool("disabled", false), Trait.string("placeholder", "\u200b"), Trait.nullableInteger("rows"), Trait.string("value", "")));
    }

    /**
     * Sets the text.
     *
     * @param value the text
     * @return this box
     */
    public Textarea value(String value) {
        write("value", value);
        return this;
    }

    /** Returns the text. */
    public String value() {
        return (String) read("value");
    }

    /**
     * Sets the grey text shown while the box is empty.
     *
     * @param placeholder the text
     * @return this box
     */
    public Textarea placeholder(String placeholder) {
        write("placeholder", placeholder);
        return this;
    }

    /**
     * Sets whether the text is sent as it is typed (true) or when the box loses focus or Enter is pressed.
     *
     * @param continuous whether to send while typing
     * @return this box
     */
    public Textarea continuousUpdate(boolean continuous) {
        write("continuous_update", continuous);
        return this;
    }

    /**
     * Sets whether the text can be edited.
     *
     * @param disabled true to grey it out
     * @return this box
     */
    public Textarea disabled(boolean disabled) {
        write("disabled", disabled);
        return this;
    }

    /**
     * Calls {@code listener} with the new text after every change.
     *
     * @param listener hears the text
     * @return closing it removes the listener
     */
    public Subscription onValue(Consumer<String> listener) {
        return onChange("value", c -> listener.accept((String) c.newValue()));
    }

    /**
     * Sets how many lines the box shows.
     *
     * @param rows the number of lines, or {@code null} for the front end's default
     * @return this box
     */
    public Textarea rows(Integer rows) {
        write("rows", rows);
        return this;
    }
}
