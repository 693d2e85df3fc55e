package dev.notebench.widgets;

import java.util.ArrayList;
import java.util.List;

/**
 * A widget drawn in the page: it has a {@link Layout} (its CSS box), CSS classes and a tooltip.
 *
 * @param <W> the widget's own type, returned by its setters for chaining
 */
public abstract class DOMWidget<W extends DOMWidget<W>> extends Widget {
    private final Layout layout = new Layout();

    DOMWidget(String className, Model model, List<Trait> own) {
        super(className, model, with(List.of(Trait.strings("_dom_classes"), Trait.widget("layout"),
                Trait.nullableBool("tabbable"), Trait.nullableString("tooltip")), own));
        write("layout", layout);
    }

    static List<Trait> with(List<Trait> first, List<Trait> then) {
        List<Trait> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    @SuppressWarnings("unchecked")
    final W self() {
        return (W) this;
    }

    /** Returns the widget's layout: set its CSS there, e.g. {@code layout().put("width", "300px")}. */
    public final Layout layout() {
        return layout;
    }

    /**
     * Sets the text shown when the pointer rests on the widget.
     *
     * @param tooltip the text, or {@code null} for none
     * @return this widget
     */
    public final W tooltip(String tooltip) {
        write("tooltip", tooltip);
        return self();
    }

    /** Returns the tooltip, or {@code null}. */
    public final String tooltip() {
        return (String) read("tooltip");
    }

    /**
     * Sets the CSS classes of the widget's element, e.g. to find it in the page.
     *
     * @param classes class names
     * @return this widget
     */
    public final W domClasses(List<String> classes) {
        write("_dom_classes", classes);
        return self();
    }

    @Override
    List<Widget> owned() {
        List<Widget> own = new ArrayList<>(List.of(layout));
        if (this instanceof Styled s) {
            own.add(s.style());
        }
        return own;
    }

    /** A widget with a {@link Style} of its own. */
    interface Styled {
        Style style();
    }
}
