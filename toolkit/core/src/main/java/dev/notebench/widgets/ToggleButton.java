package dev.notebench.widgets;

import java.util.List;
import java.util.function.Consumer;

/**
 * A button that stays pressed ({@code ToggleButtonModel}): its value is whether it is down.
 *
 * <pre>{@code
 * ToggleButton pause = new ToggleButton().description("Pause").icon("pause");
 * pause.onValue(down -> loop.paused(down));
 * }</pre>
 */
public final class ToggleButton extends DescriptionWidget<ToggleButton> {

    /** Creates a toggle button that is up. */
    public ToggleButton() {
        super("ToggleButton", Model.control("ToggleButton"), Style.toggleButton(), List.of(Trait.string("button_style", ""),
                Trait.bool("disabled", false), Trait.string("icon", ""), Trait.bool("value", false)));
    }

    /**
     * Presses or releases the button.
     *
     * @param down whether it is pressed
     * @return this button
     */
    public ToggleButton value(boolean down) {
        write("value", down);
        return this;
    }

    /** Returns whether the button is pressed. */
    public boolean value() {
        return (Boolean) read("value");
    }

    /**
     * Sets whether the button can be pressed.
     *
     * @param disabled true to grey it out
     * @return this button
     */
    public ToggleButton disabled(boolean disabled) {
        write("disabled", disabled);
        return this;
    }

    /**
     * Sets the Font Awesome icon shown before the label.
     *
     * @param icon an icon name without {@code fa-}; {@code ""} for none
     * @return this button
     */
    public ToggleButton icon(String icon) {
        write("icon", icon);
        return this;
    }

    /**
     * Sets one of the predefined looks.
     *
     * @param buttonStyle one of {@link Button#BUTTON_STYLES}
     * @return this button
     */
    public ToggleButton buttonStyle(String buttonStyle) {
        write("button_style", Choices.check("button_style", buttonStyle, Button.BUTTON_STYLES));
        return this;
    }

    /**
     * Calls {@code listener} with the new value after every change.
     *
     * @param listener hears whether the button is now pressed
     * @return closing it removes the listener
     */
    public Subscription onValue(Consumer<Boolean> listener) {
        return onChange("value", c -> listener.accept((Boolean) c.newValue()));
    }
}
