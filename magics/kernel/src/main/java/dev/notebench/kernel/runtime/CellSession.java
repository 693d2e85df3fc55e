package dev.notebench.kernel.runtime;

import dev.notebench.display.Display;
import java.util.List;

/** The functions a kernel offers to the code of its cells (IJava's names where IJava has them). */
public interface CellSession {

    /**
     * Renders a value and shows it below the running cell.
     *
     * @param value the value
     * @param mimeTypes the MIME types to render (none: all the value's renderer prefers)
     * @return the display id, for {@link #updateDisplay}
     */
    String display(Object value, String... mimeTypes);

    /**
     * Replaces a shown value in place; works from any thread, also after its cell finished.
     *
     * @param displayId the id {@link #display} returned
     * @param value the new value
     * @param mimeTypes the MIME types to render (none: all the value's renderer prefers)
     */
    void updateDisplay(String displayId, Object value, String... mimeTypes);

    /**
     * Runs a line magic.
     *
     * @param name the magic's name
     * @param args its arguments
     * @return what the magic returns
     * @throws Exception whatever the magic throws
     */
    Object lineMagic(String name, List<String> args) throws Exception;

    /**
     * Runs a cell magic.
     *
     * @param name the magic's name
     * @param args its arguments
     * @param body the cell's body
     * @return what the magic returns
     * @throws Exception whatever the magic throws
     */
    Object cellMagic(String name, List<String> args, String body) throws Exception;

    /** Returns the notebook as a {@link Display} for toolkit code (live plots, progress bars). */
    Display notebook();
}
