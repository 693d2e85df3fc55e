package dev.notebench.widgets;

import java.util.List;
import java.util.function.Consumer;

/**
 * A slider of numbers ({@code FloatSliderModel}); its value stays within {@code [min, max]}.
 *
 * <pre>{@code
 * FloatSlider temperature = new FloatSlider().description("temperature").max(2).step(0.05).value(0.8);
 * }</pre>
 */
public final class FloatSlider extends DescriptionWidget<FloatSlider> {

    /** Creates a slider from 0 to 100 in steps of 0.1, at 0. */
    public FloatSlider() {
        super("FloatSlider", Model.control("FloatSlider"), Style.slider(), List.of(Trait.string("behavior", "drag-tap"),
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
        write("value", Math.max(min(), Math.min(max(), value)));
        return this;
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

    /**
     * Sets how the value is written beside the slider, as a d3-format, e.g. {@code ".3f"}.
     *
     * @param format the format
     * @return this slider
     */
    public FloatSlider readoutFormat(String format) {
        write("readout_format", format);
        return this;
    }

    /**
     * Sets whether the value is sent while the slider is dragged (true) or when it is let go.
     *
     * @param continuous whether to send while dragging
     * @return this slider
     */
    public FloatSlider continuousUpdate(boolean continuous) {
        write("continuous_update", continuous);
        return this;
    }

    /**
     * Sets whether the slider can be moved.
     *
     * @param disabled true to grey it out
     * @return this slider
     */
    public FloatSlider disabled(boolean disabled) {
        write("disabled", disabled);
        return this;
    }

    /**
     * Calls {@code listener} with the new value after every change.
     *
     * @param listener hears the value
     * @return closing it removes the listener
     */
    public Subscription onValue(Consumer<Double> listener) {
        return onChange("value", c -> listener.accept((Double) c.newValue()));
    }
}
