package dev.notebench.associations;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;

/** A pattern file that cannot be read: the line and the reason. */
public final class PatternFileException extends NotebenchException {
    private static final long serialVersionUID = 1L;

    private final int line;

    PatternFileException(String source, int line, String reason) {
        super(ErrorCode.CONFIG_INVALID, source + ", line " + line + ": " + reason);
        this.line = line;
    }

    /** The 1-based line of the pattern file. */
    public int line() {
        return line;
    }
}
