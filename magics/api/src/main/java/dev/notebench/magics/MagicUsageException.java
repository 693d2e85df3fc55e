package dev.notebench.magics;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;

/**
 * A magic was called with wrong arguments. Its message is one line: what is wrong, then the
 * usage. Kernels show it without a stack trace.
 */
public final class MagicUsageException extends NotebenchException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param magic the magic as typed, e.g. {@code %maven}
     * @param problem what is wrong, e.g. {@code "missing the artifact coordinates"}
     * @param usage the usage line
     */
    public MagicUsageException(String magic, String problem, String usage) {
        super(ErrorCode.CONFIG_INVALID, magic + ": " + problem + ". Usage: " + usage);
    }
}
