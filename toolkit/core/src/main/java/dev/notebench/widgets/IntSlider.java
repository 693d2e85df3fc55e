package dev.notebench.widgets;

import java.util.List;
import java.util.function.Consumer;

/**
 * A slider of whole numbers ({@code IntSliderModel}); its value stays within {@code [min, max]}.
 *
 * <pre>{@code
 * IntSlider tokens = new IntSlider().description("max tokens").min(1).max(512).value(100);
 * tokens.onValue(n -> System.err.println(n));
 * }</pre>
 */
public final class IntSlider extends DescriptionWidget<IntSlider> {

    /** Creates a slider from 0 to 100 at 0. */
    public IntSlider() {
        super("IntSlider", Model.control("IntSlider"), Style.slider(), List.of(Trait.string("behavior", "drag-tap"),
                Trait.bool("continuous_update", true), Trait.bool("disabled", false), Trait.integer("max", 100),
                Trait.integer("min", 0), Trait.string("orientation", "horizontal"), Trait.bool("readout", true),
                Trait.string("readout_format", "d"), Trait.integer("step", 1), Trait.integer("value", 0)));
    }

    /**
     * Moves the slider, within {@code [min, max]}.
     *
     * @param value the value; clamped to the range
     * @return this slider
     */
    public IntSlider value(int value) {
        write("value", Math.max(min(), Math.min(max(), value)));
        return this;
    }

    /** Returns the value. */
    public int value() {
        return (Integer) read("value");
    }

    /**
     * Sets the lowest value; a value below it moves up to it.
     *
     * @param min the lowest value
     * @return this slider
     * @throws IllegalArgumentException when {@code min} is above {@code max}
     */
    public IntSlider min(int min) {
        if (min > max()) {
            throw new IllegalArgumentException("min " + min + " is above max " + max() + "; set max first");
        }
        write("min", min);
        if (value() < min) {
            write("value", min);
        }
        return this;
    }

    /** Returns the lowest value. */
    public int min() {
        return (Integer) read("min");
    }

    /**
     * Sets the highest value; a value above it moves down to it.
     *
     * @param max the highest value
     * @return this slider
     * @throws IllegalArgumentException when {@code max} is below {@code min}
     */
    public IntSlider max(int max) {
        if (max < min()) {
            throw new IllegalArgumentException("max " + max + " is below min " + min() + "; set min first");
        }
        write("max", max);
        if (value() > max) {
            write("value", max);
        }
        return this;
    }

    /** Returns the highest value. */
    public int max() {
        return (Integer) read("max");
    }

    /**
     * Sets the step between two positions.
     *
     * @param step a positive step
     * @return this slider
     */
    public IntSlider step(int step) {
        if (step <= 0) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        write("step", step);
        return this;
    }

    /**
     * Sets whether the value is sent while the slider is dragged (true) or when it is let go.
     *
     * @param continuous whether to send while dragging
     * @return this slider
     */
    public IntSlider continuousUpdate(boolean continuous) {
        write("continuous_update", continuous);
        return this;
    }

    /**
     * Sets whether the slider can be moved.
     *
     * @param disabled true to grey it out
     * @return this slider
     */
    public IntSlider disabled(boolean disabled) {
        write("disabled", disabled);
        return this;
    }

    /**
     * Calls {@code listener} with the new value after every change.
     *
     * @param listener hears the value
     * @return closing it removes the listener
     */
    public Subscription onValue(Consumer<Integer> listener) {
        return onChange("value", c -> listener.accept((Integer) c.newValue()));
    }
}
