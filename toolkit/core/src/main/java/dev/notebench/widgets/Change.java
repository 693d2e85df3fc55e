package dev.notebench.widgets;

/**
 * One change of a widget's trait.
 *
 * @param widget the widget
 * @param name the trait, e.g. {@code "value"}
 * @param oldValue the value before
 * @param newValue the value now
 * @param fromFrontEnd whether the front end made it (a person moved a slider) rather than Java code
 */
public record Change(Widget widget, String name, Object oldValue, Object newValue, boolean fromFrontEnd) {
}
