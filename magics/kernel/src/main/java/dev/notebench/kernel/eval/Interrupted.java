package dev.notebench.kernel.eval;

import java.util.List;

/** The cell was interrupted. */
public final class Interrupted extends CellException {
    private static final long serialVersionUID = 1L;

    Interrupted(boolean threadStillRunning) {
        super(threadStillRunning
                ? "the cell was interrupted, but its code ignores interruption and keeps running in the background;"
                        + " check Thread.interrupted() in long loops, or restart the kernel to stop it"
                : "the cell was interrupted", null);
    }

    @Override
    public List<String> lines() {
        return List.of(headline("Interrupted", getMessage()));
    }
}
