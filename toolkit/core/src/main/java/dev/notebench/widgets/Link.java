package dev.notebench.widgets;

import java.util.Objects;

/**
 * Keeps two traits equal, in the kernel: a change of either, made in Java or in the front end,
 * is set on the other (converted to its type: an {@link IntSlider}'s value may drive a
 * {@link FloatSlider}'s). It works with or without a front end, as ipywidgets' {@code link}.
 *
 * <pre>{@code
 * try (Link l = Link.of(slider, "value", text, "value")) { ... }   // or keep it and close it later
 * }</pre>
 */
public final class Link implements Subscription {
    private final Subscription forward;
    private final Subscription backward;

    private Link(Widget source, String sourceTrait, Widget target, String targetTrait) {
        target.write(targetTrait, source.read(sourceTrait));
        this.forward = source.onChange(sourceTrait, c -> target.write(targetTrait, c.newValue()));
        this.backward = target.onChange(targetTrait, c -> source.write(sourceTrait, c.newValue()));
    }

    /**
     * Links two traits; the target takes the source's value now.
     *
     * @param source the first widget
     * @param sourceTrait its trait, e.g. {@code "value"}
     * @param target the second widget
     * @param targetTrait its trait
     * @return the link; closing it unlinks them
     * @throws IllegalArgumentException for an unknown trait, or a value one trait cannot take
     */
    public static Link of(Widget source, String sourceTrait, Widget target, String targetTrait) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        return new Link(source, sourceTrait, target, targetTrait);
    }

    /** Unlinks the traits; each keeps its value. */
    @Override
    public void close() {
        forward.close();
        backward.close();
    }
}
