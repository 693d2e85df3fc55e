package dev.notebench.widgets;

import java.util.List;

/**
 * HTML that cannot be edited ({@code HTMLModel}).
 *
 * <pre>{@code
 * HTML note = new HTML("<b>checkpoint saved</b>");
 * }</pre>
 */
public final class HTML extends DescriptionWidget<HTML> {

    /** Creates an empty one. */
    public HTML() {
        super("HTML", Model.control("HTML"), Style.html(), List.of(Trait.string("placeholder", "\u200b"), Trait.string("value", "")));
    }

    /**
     * Creates one showing {@code value}.
     *
     * @param value what it shows
     */
    public HTML(String value) {
        this();
        value(value);
    }

    /**
     * Sets what it shows.
     *
     * @param value the text
     * @return this widget
     */
    public HTML value(String value) {
        write("value", value);
        return this;
    }

    /** Returns what it shows. */
    public String value() {
        return (String) read("value");
    }
}
