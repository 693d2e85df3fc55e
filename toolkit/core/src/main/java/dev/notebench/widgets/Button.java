package dev.notebench.widgets;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A push button ({@code ButtonModel}): a click in the front end arrives as a custom message and
 * runs the {@link #onClick} listeners on the kernel's widget thread, also while a cell runs.
 *
 * <pre>{@code
 * Button stop = new Button("Stop").icon("stop").buttonStyle("danger");
 * stop.onClick(b -> run.cancel());
 * display(stop);
 * }</pre>
 */
public final class Button extends DOMWidget<Button> implements DOMWidget.Styled {
    /** The predefined looks of a button ({@code ""} is the plain one). */
    public static final List<String> BUTTON_STYLES = List.of("primary", "success", "info", "warning", "danger", "");

    private final Style style = Style.button();
    private final List<Consumer<Button>> clicks = new CopyOnWriteArrayList<>();

    /** Creates a button without a label. */
    public Button() {
        super("Button", Model.control("Button"), List.of(Trait.string("button_style", ""), Trait.string("description", ""),
                Trait.bool("disabled", false), Trait.string("icon", ""), Trait.widget("style")));
        write("style", style);
    }

    /**
     * Creates a button with a label.
     *
     * @param description the label
     */
    public Button(String description) {
        this();
        description(description);
    }

    /**
     * Sets the label.
     *
     * @param description the label
     * @return this button
     */
    public Button description(String description) {
        write("description", description);
        return this;
    }

    /** Returns the label. */
    public String description() {
        return (String) read("description");
    }

    /**
     * Sets whether the button can be clicked.
     *
     * @param disabled true to grey it out
     * @return this button
     */
    public Button disabled(boolean disabled) {
        write("disabled", disabled);
        return this;
    }

    /** Returns whether the button is greyed out. */
    public boolean disabled() {
        return (Boolean) read("disabled");
    }

    /**
     * Sets the Font Awesome icon shown before the label.
     *
     * @param icon an icon name without {@code fa-}, e.g. {@code "stop"}; {@code ""} for none
     * @return this button
     */
    public Button icon(String icon) {
        write("icon", icon);
        return this;
    }

    /**
     * Sets one of the predefined looks.
     *
     * @param buttonStyle one of {@link #BUTTON_STYLES}
     * @return this button
     * @throws IllegalArgumentException for another value
     */
    public Button buttonStyle(String buttonStyle) {
        write("button_style", Choices.check("button_style", buttonStyle, BUTTON_STYLES));
        return this;
    }

    /** Returns the button's style (its colour, fonts). */
    @Override
    public Style style() {
        return style;
    }

    /**
     * Calls {@code listener} on every click.
     *
     * @param listener hears the button clicked
     * @return closing it removes the listener
     */
    public Subscription onClick(Consumer<Button> listener) {
        clicks.add(Objects.requireNonNull(listener, "listener"));
        return () -> clicks.remove(listener);
    }

    /** Clicks the button from code: runs the click listeners on this thread, as ipywidgets' {@code click()}. */
    public void click() {
        for (Consumer<Button> l : clicks) {
            l.accept(this);
        }
    }

    @Override
    void custom(Map<String, Object> content, Consumer<RuntimeException> problems) {
        if ("click".equals(content.get("event"))) {
            for (Consumer<Button> l : clicks) {
                guarded(problems, () -> l.accept(this));
            }
        }
    }

    @Override
    public void close() {
        super.close();
        clicks.clear();
    }
}
