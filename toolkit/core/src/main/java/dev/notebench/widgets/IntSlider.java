package dev.notebench.widgets;

import java.util.List;

/**
 * A slider of whole numbers ({@code IntSliderModel}); its value stays within {@code [min, max]}.
 *
 * <pre>{@code
 * IntSlider tokens = new IntSlider().description("max tokens").min(1).max(512).value(100);
 * tokens.onValue(n -> System.err.println(n));
 * }</pre>
 */
public final class IntSlider extends NumberSlider<IntSlider, Integer> {

    /** Creates a slider from 0 to 100 at 0. */
    public IntSlider() {
        super("IntSlider", List.of(Trait.string("behavior", "drag-tap"),
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
        return clamped(value);
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
        return lowest(min);
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
        return highest(max);
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
}
