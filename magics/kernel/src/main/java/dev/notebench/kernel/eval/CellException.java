package dev.notebench.kernel.eval;

import java.util.List;

/**
 * How a cell failed, with the few lines a notebook shows for it (the cause, not a long trace).
 * The simple class name becomes the Jupyter error name ({@code ename}).
 */
public abstract class CellException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line summary ({@code evalue})
     * @param cause the underlying failure, or {@code null}
     */
    protected CellException(String message, Throwable cause) {
        super(message, cause, false, false); // a cell's error is explained by its lines, not this trace
    }

    /** Returns the lines to show in the notebook, without line breaks inside them. */
    public abstract List<String> lines();

    static final String RED = "\u001b[1;31m";
    static final String RESET = "\u001b[0m";

    static String headline(String name, String message) {
        return RED + name + RESET + ": " + message;
    }
}
