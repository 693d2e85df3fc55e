package dev.notebench.widgets;

import java.util.List;

/**
 * A control with a description (a label beside it) and a {@link Style}.
 *
 * @param <W> the widget's own type, returned by its setters for chaining
 */
public abstract class DescriptionWidget<W extends DescriptionWidget<W>> extends DOMWidget<W> implements DOMWidget.Styled {
    private final Style style;

    DescriptionWidget(String className, Model model, Style style, List<Trait> own) {
        super(className, model, with(List.of(Trait.string("description", ""), Trait.bool("description_allow_html", false),
                Trait.widget("style")), own));
        this.style = style;
        write("style", style);
    }

    /**
     * Sets the label shown beside the control.
     *
     * @param description the label
     * @return this widget
     */
    public final W description(String description) {
        write("description", description);
        return self();
    }

    /** Returns the label shown beside the control. */
    public final String description() {
        return (String) read("description");
    }

    /** Returns the widget's style: colours, fonts and the description's width. */
    @Override
    public final Style style() {
        return style;
    }
}
