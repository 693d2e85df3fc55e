package dev.notebench.display;

/**
 * Where toolkit code shows rich output: a notebook cell, or nowhere.
 *
 * <p>The toolkit never imports a kernel. A kernel hands an implementation to the code that needs
 * one (a live plot, a progress bar); outside a notebook, {@link #NONE} drops everything. Values
 * are rendered by type by whoever implements this: a Tablesaw {@code Table}, a plotly
 * {@code Figure}, {@link Html}, images, or any object's {@code toString()}.
 *
 * <pre>{@code
 * DisplayHandle plot = display.show(figure);   // appears in the running cell
 * plot.update(nextFigure);                     // replaces it in place
 * }</pre>
 *
 * <p>A {@link dev.notebench.widgets.Widget} shown here is drawn as a control where the front end
 * draws widgets ({@link #showsWidgets()}), and as its text elsewhere.
 *
 * <p>Implementations are safe to call from any thread.
 */
public interface Display {

    /** A display that shows nothing; its handles ignore updates. */
    Display NONE = value -> DisplayHandle.NONE;

    /**
     * Shows a value and returns a handle that can replace it later.
     *
     * @param value the value to show, rendered by its type
     * @return a handle for in-place updates
     */
    DisplayHandle show(Object value);

    /**
     * Returns whether a {@link dev.notebench.widgets.Widget} shown here is drawn as a control that
     * a person can use (a front end with Jupyter widgets is connected), rather than as text. Toolkit
     * code asks before it offers controls, so that where nobody can click them (nbconvert, a saved
     * page, a terminal) its output stays as it was.
     *
     * @return false unless the implementation draws widgets
     */
    default boolean showsWidgets() {
        return false;
    }
}
