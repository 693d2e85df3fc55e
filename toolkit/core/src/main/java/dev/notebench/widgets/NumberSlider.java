package dev.notebench.widgets;

import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link IntSlider} and {@link FloatSlider} share: a value kept within {@code [min, max]},
 * whether it is sent while dragging, whether it can be moved, how it is written beside the
 * slider, and listeners of its value.
 *
 * @param <W> the slider's own type, returned by its setters for chaining
 * @param <N> its numbers ({@link Integer} or {@link Double}), as its model's traits hold them
 */
public abstract class NumberSlider<W extends NumberSlider<W, N>, N extends Number> extends DescriptionWidget<W> {

    NumberSlider(String className, List<Trait> own) {
        super(className, Model.control(className), Style.slider(), own);
    }

    /** Moves the value to {@code value}, or to the nearer end of {@code [min, max]} when outside it. */
    final W clamped(N value) {
        double v = value.doubleValue();
        write("value", v < bound("min") ? read("min") : v > bound("max") ? read("max") : value);
        return self();
    }

    /** Sets the lowest value, moving the value up to it when below. */
    final W lowest(N min) {
        if (min.doubleValue() > bound("max")) {
            throw new IllegalArgumentException("min " + min + " is above max " + read("max") + "; set max first");
        }
        write("min", min);
        if (bound("value") < min.doubleValue()) {
            write("value", min);
        }
        return self();
    }

    /** Sets the highest value, moving the value down to it when above. */
    final W highest(N max) {
        if (max.doubleValue() < bound("min")) {
            throw new IllegalArgumentException("max " + max + " is below min " + read("min") + "; set min first");
        }
        write("max", max);
        if (bound("value") > max.doubleValue()) {
            write("value", max);
        }
        return self();
    }

    private double bound(String trait) {
        return ((Number) read(trait)).doubleValue();
    }

    /**
     * Sets whether the value is sent while the slider is dragged (true) or when it is let go.
     *
     * @param continuous whether to send while dragging
     * @return this slider
     */
    public final W continuousUpdate(boolean continuous) {
        write("continuous_update", continuous);
        return self();
    }

    /**
     * Sets whether the slider can be moved.
     *
     * @param disabled true to grey it out
     * @return this slider
     */
    public final W disabled(boolean disabled) {
        write("disabled", disabled);
        return self();
    }

    /**
     * Sets how the value is written beside the slider, as a d3-format, e.g. {@code "d"} or {@code ".3f"}.
     *
     * @param format the format
     * @return this slider
     */
    public final W readoutFormat(String format) {
        write("readout_format", format);
        return self();
    }

    /**
     * Calls {@code listener} with the new value after every change.
     *
     * @param listener hears the value
     * @return closing it removes the listener
     */
    @SuppressWarnings("unchecked")
    public final Subscription onValue(Consumer<N> listener) {
        return onChange("value", c -> listener.accept((N) c.newValue()));
    }
}
