package dev.notebench.kernel.eval;

import java.util.List;

/** A magic was used wrongly or does not exist; one line says what to fix. */
public final class UsageError extends CellException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what is wrong and how to fix it, one line
     */
    public UsageError(String message) {
        super(message, null);
    }

    @Override
    public List<String> lines() {
        return List.of(headline("UsageError", getMessage()));
    }
}
