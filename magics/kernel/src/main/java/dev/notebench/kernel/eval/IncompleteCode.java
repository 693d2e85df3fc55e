package dev.notebench.kernel.eval;

import java.util.List;

/** The cell ends in the middle of a statement (an unclosed brace, say). */
public final class IncompleteCode extends CellException {
    private static final long serialVersionUID = 1L;

    private final String rest;

    IncompleteCode(String rest) {
        super("the cell ends in the middle of a statement; close it and run again", null);
        this.rest = rest;
    }

    @Override
    public List<String> lines() {
        String first = rest.strip().split("\\R", 2)[0];
        return List.of(headline("IncompleteCode", getMessage()), "  | " + first + (rest.strip().contains("\n") ? " ..." : ""));
    }
}
