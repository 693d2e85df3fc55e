package dev.notebench.widgets;

import java.util.List;

/**
 * Text that cannot be edited ({@code LabelModel}).
 *
 * <pre>{@code
 * Label status = new Label("idle");
 * }</pre>
 */
public final class Label extends DescriptionWidget<Label> {

    /** Creates an empty one. */
    public Label() {
        super("Label", Model.control("Label"), Style.label(), List.of(Trait.string("placeholder", "\u200b"), Trait.string("value", "")));
    }

    /**
     * Creates one showing {@code value}.
     *
     * @param value what it shows
     */
    public Label(String value) {
        this();
        value(value);
    }

    /**
     * Sets what it shows.
     *
     * @param value the text
     * @return this widget
     */
    public Label value(String value) {
        write("value", value);
        return this;
    }

    /** Returns what it shows. */
    public String value() {
        return (String) read("value");
    }
}
