package dev.notebench.widgets;

import java.util.List;

/**
 * A slider of numbers ({@code FloatSliderModel}); its value stays within {@code [min, max]}.
 *
 * <pre>{@code
 * FloatSlider temperature = new FloatSlider().description("temperature").max(2).step(0.05).value(0.8);
 * }</pre>
 */
public final class FloatSlider extends NumberSlider<FloatSlider, Double> {

    /** Creates a slider from 0 to 100 in steps of 0.1, at 0. */
    public FloatSlider() {
        super("FloatSlider", List.of(Trait.string("behavior", "drag-tap"),
                Trait.bool("continuous_update", true), Trait.bool("disabled", false), Trait.decimal("max", 100.0),
                Trait.decimal("min", 0.0), Trait.string("orientation", "horizontal"), Trait.bool("readout", true),
                Trait.string("readout_format", ".2f"), Trait.nullableDecimal("step", 0.1), Trait.decimal("value", 0.0)));
    }

    /**
     * Moves the slider, within {@code [min, max]}.
     *
     * @param value the value; clamped to the range
     * @return this slider
     */
    public FloatSlider value(double value) {
        return clamped(value);
    }

    /** Returns the value. */
    public double value() {
        return (Double) read("value");
    }

    /**
     * Sets the lowest value; a value below it moves up to it.
     *
     * @param min the lowest value
     * @return this slider
     * @throws IllegalArgumentException when {@code min} is above {@code max}
     */
    public FloatSlider min(double min) {
        return lowest(min);
    }

    /** Returns the lowest value. */
    public double min() {
        return (Double) read("min");
    }

    /**
     * Sets the highest value; a value above it moves down to it.
     *
     * @param max the highest value
     * @return this slider
     * @throws IllegalArgumentException when {@code max} is below {@code min}
     */
    public FloatSlider max(double max) {
        return highest(max);
    }

    /** Returns the highest value. */
    public double max() {
        return (Double) read("max");
    }

    /**
     * Sets the step between two positions.
     *
     * @param step a positive step
     * @return this slider
     */
    public FloatSlider step(double step) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        write("step", step);
        return this;
    }
}
