package dev.notebench.widgets;

import java.util.List;

/**
 * Widgets in a row ({@code HBoxModel}).
 *
 * <pre>{@code
 * display(new HBox(new Button("Stop"), new Button("Checkpoint now")));
 * }</pre>
 */
public final class HBox extends Box<HBox> {

    /**
     * Creates a box of widgets.
     *
     * @param children the widgets, in order
     */
    public HBox(Widget... children) {
        this(List.of(children));
    }

    /**
     * Creates a box of widgets.
     *
     * @param children the widgets, in order
     */
    public HBox(List<? extends Widget> children) {
        super("HBox", children);
    }
}
