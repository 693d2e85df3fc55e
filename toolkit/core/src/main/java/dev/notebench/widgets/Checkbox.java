package dev.notebench.widgets;

import java.util.List;
import java.util.function.Consumer;

/**
 * A check box ({@code CheckboxModel}).
 *
 * <pre>{@code
 * Checkbox smooth = new Checkbox().description("smooth").value(true);
 * }</pre>
 */
public final class Checkbox extends DescriptionWidget<Checkbox> {

    /** Creates an unchecked box. */
    public Checkbox() {
        super("Checkbox", Model.control("Checkbox"), Style.checkbox(), List.of(Trait.bool("disabled", false),
                Trait.bool("indent", true), Trait.bool("value", false)));
    }

    /**
     * Checks or unchecks the box.
     *
     * @param checked whether it is checked
     * @return this box
     */
    public Checkbox value(boolean checked) {
        write("value", checked);
        return this;
    }

    /** Returns whether the box is checked. */
    public boolean value() {
        return (Boolean) read("value");
    }

    /**
     * Sets whether the box can be changed.
     *
     * @param disabled true to grey it out
     * @return this box
     */
    public Checkbox disabled(boolean disabled) {
        write("disabled", disabled);
        return this;
    }

    /**
     * Calls {@code listener} with the new value after every change.
     *
     * @param listener hears whether the box is now checked
     * @return closing it removes the listener
     */
    public Subscription onValue(Consumer<Boolean> listener) {
        return onChange("value", c -> listener.accept((Boolean) c.newValue()));
    }
}
