package dev.notebench.widgets;

import java.util.List;
import java.util.function.Consumer;

/**
 * A one-line text box ({@code TextModel}).
 *
 * <pre>{@code
 * Text name = new Text().description("run id").placeholder("gpt-sotu");
 * }</pre>
 */
public final class Text extends DescriptionWidget<Text> {

    /** Creates an empty box. */
    public Text() {
        super("Text", Model.control("Text"), Style.text(), List.of(Trait.bool("continuous_update", true),
                Trait.bool("disabled", false), Trait.string("placeholder", "\u200b"), Trait.string("value", "")));
    }

    /**
     * Sets the text.
     *
     * @param value the text
     * @return this box
     */
    public Text value(String value) {
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
    public Text placeholder(String placeholder) {
        write("placeholder", placeholder);
        return this;
    }

    /**
     * Sets whether the text is sent as it is typed (true) or when the box loses focus or Enter is pressed.
     *
     * @param continuous whether to send while typing
     * @return this box
     */
    public Text continuousUpdate(boolean continuous) {
        write("continuous_update", continuous);
        return this;
    }

    /**
     * Sets whether the text can be edited.
     *
     * @param disabled true to grey it out
     * @return this box
     */
    public Text disabled(boolean disabled) {
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
}
