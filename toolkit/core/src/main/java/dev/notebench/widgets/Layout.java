package dev.notebench.widgets;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSS box of a widget ({@code LayoutModel} of {@code @jupyter-widgets/base} 2.0.0): width,
 * height, margins, flex and grid properties, each {@code null} (the browser's default) until set.
 * Every {@link DOMWidget} has its own, from {@link DOMWidget#layout()}.
 *
 * <pre>{@code
 * slider.layout().put("width", "400px").put("margin", "0 0 8px 0");
 * }</pre>
 */
public final class Layout extends Widget {
    /** The CSS properties a layout takes, by their trait names ({@code max_width} for {@code max-width}). */
    public static final List<String> PROPERTIES = List.of("align_content", "align_items", "align_self", "border_bottom",
            "border_left", "border_right", "border_top", "bottom", "display", "flex", "flex_flow", "grid_area",
            "grid_auto_columns", "grid_auto_flow", "grid_auto_rows", "grid_column", "grid_gap", "grid_row",
            "grid_template_areas", "grid_template_columns", "grid_template_rows", "height", "justify_content",
            "justify_items", "left", "margin", "max_height", "max_width", "min_height", "min_width", "object_fit",
            "object_position", "order", "overflow", "padding", "right", "top", "visibility", "width");

    /** Creates a layout with every property unset. */
    public Layout() {
        super("Layout", new Model(Model.BASE, Model.VERSION, "LayoutModel", Model.BASE, Model.VERSION, "LayoutView"), traits());
    }

    private static List<Trait> traits() {
        List<Trait> out = new ArrayList<>();
        PROPERTIES.forEach(p -> out.add(Trait.nullableString(p)));
        return out;
    }

    /**
     * Sets a CSS property.
     *
     * @param property one of {@link #PROPERTIES}, e.g. {@code "width"}
     * @param value a CSS value, e.g. {@code "300px"}, or {@code null} to unset it
     * @return this layout
     * @throws IllegalArgumentException for a property a layout does not take
     */
    public Layout put(String property, String value) {
        write(property, value);
        return this;
    }

    /**
     * Returns a CSS property's value, or {@code null} when unset.
     *
     * @param property one of {@link #PROPERTIES}
     */
    public String get(String property) {
        return (String) read(property);
    }
}
