package dev.notebench.kernel.eval;

/**
 * Thrown by a stop check into cell code whose cell was interrupted. An {@link Error}, so that
 * {@code catch (Exception e)} in a cell does not swallow it; a loop that catches it anyway meets
 * the next check.
 */
final class CellStopped extends Error {
    private static final long serialVersionUID = 1L;

    CellStopped() {
        super("the cell was interrupted", null, false, false);
    }
}
