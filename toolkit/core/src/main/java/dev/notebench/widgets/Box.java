package dev.notebench.widgets;

import java.util.List;

/**
 * A box that lays out other widgets, its children, in a row ({@link HBox}) or a column
 * ({@link VBox}). Closing a box leaves its children open.
 *
 * @param <W> the box's own type, returned by its setters for chaining
 */
public abstract class Box<W extends Box<W>> extends DOMWidget<W> {
    /** The predefined looks of a box ({@code ""} is the plain one). */
    public static final List<String> BOX_STYLES = List.of("success", "info", "warning", "danger", "");

    Box(String name, List<? extends Widget> children) {
        super(name, Model.control(name), List.of(Trait.string("box_style", ""), Trait.widgets("children")));
        children(children);
    }

    /**
     * Replaces the children; those not yet open in the front end are opened first.
     *
     * @param children the widgets, in order
     * @return this box
     */
    public final W children(List<? extends Widget> children) {
        write("children", List.copyOf(children));
        return self();
    }

    /** Returns the children, in order. */
    @SuppressWarnings("unchecked")
    public final List<Widget> children() {
        return (List<Widget>) read("children");
    }

    /**
     * Sets one of the predefined looks (a coloured border).
     *
     * @param boxStyle one of {@link #BOX_STYLES}
     * @return this box
     */
    public final W boxStyle(String boxStyle) {
        write("box_style", Choices.check("box_style", boxStyle, BOX_STYLES));
        return self();
    }
}
