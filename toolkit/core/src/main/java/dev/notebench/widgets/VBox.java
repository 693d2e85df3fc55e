package dev.notebench.widgets;

import java.util.List;

/**
 * Widgets in a column ({@code VBoxModel}).
 *
 * <pre>{@code
 * display(new VBox(new Button("Stop"), new Button("Checkpoint now")));
 * }</pre>
 */
public final class VBox extends Box<VBox> {

    /**
     * Creates a box of widgets.
     *
     * @param children the widgets, in order
     */
    public VBox(Widget... children) {
        this(List.of(children));
    }

    /**
     * Creates a box of widgets.
     *
     * @param children the widgets, in order
     */
    public VBox(List<? extends Widget> children) {
        super("VBox", children);
    }
}
