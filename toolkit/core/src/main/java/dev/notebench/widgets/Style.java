package dev.notebench.widgets;

import java.util.ArrayList;
import java.util.List;

/**
 * The style of a control (the {@code *StyleModel}s of {@code @jupyter-widgets/controls} 2.0.0):
 * colours, fonts and the width of its description, by the names ipywidgets uses
 * ({@code button_color}, {@code description_width}, {@code handle_color}, ...). Each control
 * makes its own, reached with {@code style()}.
 *
 * <pre>{@code
 * stop.style().put("button_color", "#d32f2f").put("text_color", "white");
 * slider.style().put("description_width", "120px");
 * }</pre>
 */
public final class Style extends Widget {
    private static final List<String> FONT = List.of("font_family", "font_size", "font_style", "font_variant", "font_weight",
            "text_color", "text_decoration");

    private Style(String name, List<Trait> traits) {
        super(name, new Model(Model.CONTROLS, Model.VERSION, name + "Model", Model.BASE, Model.VERSION, "StyleView"), traits);
    }

    private static List<Trait> nullable(List<String> names) {
        List<Trait> out = new ArrayList<>();
        names.forEach(n -> out.add(Trait.nullableString(n)));
        return out;
    }

    private static List<Trait> described(List<String> nullableNames) {
        List<Trait> out = new ArrayList<>(List.of(Trait.string("description_width", "")));
        out.addAll(nullable(nullableNames));
        return out;
    }

    static Style button() {
        List<String> names = new ArrayList<>(List.of("button_color"));
        names.addAll(FONT);
        return new Style("ButtonStyle", nullable(names));
    }

    static Style toggleButton() {
        return new Style("ToggleButtonStyle", described(FONT));
    }

    static Style checkbox() {
        return new Style("CheckboxStyle", described(List.of("background")));
    }

    static Style slider() {
        return new Style("SliderStyle", described(List.of("handle_color")));
    }

    static Style description() {
        return new Style("DescriptionStyle", described(List.of()));
    }

    static Style text() {
        return new Style("TextStyle", described(List.of("background", "font_size", "text_color")));
    }

    static Style label() {
        List<String> names = new ArrayList<>(List.of("background"));
        names.addAll(FONT);
        return new Style("LabelStyle", described(names));
    }

    static Style html() {
        return new Style("HTMLStyle", described(List.of("background", "font_size", "text_color")));
    }

    /**
     * Sets a style attribute.
     *
     * @param attribute an attribute of this style, e.g. {@code "button_color"}
     * @param value a CSS value, or {@code null} to unset it ({@code description_width} takes {@code ""})
     * @return this style
     * @throws IllegalArgumentException for an attribute this style does not have
     */
    public Style put(String attribute, String value) {
        write(attribute, value);
        return this;
    }

    /**
     * Returns a style attribute's value, or {@code null} when unset.
     *
     * @param attribute an attribute of this style
     */
    public String get(String attribute) {
        return (String) read(attribute);
    }
}
