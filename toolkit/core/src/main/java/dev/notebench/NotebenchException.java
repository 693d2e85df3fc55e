package dev.notebench;

import java.util.Objects;

/**
 * The one unchecked exception Notebench throws for domain errors.
 *
 * <p>Every instance carries an {@link ErrorCode} and a message that says what to do about it,
 * for example:
 *
 * <pre>{@code
 * throw new NotebenchException(ErrorCode.DATA_NOT_FOUND,
 *     "corpus file data/tiny.txt does not exist; pass --corpus with an existing file, directory or glob");
 * }</pre>
 *
 * <p>Checked exceptions stay at I/O boundaries; they are wrapped here with the cause kept.
 */
public class NotebenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * Creates an exception.
     *
     * @param code what kind of failure this is
     * @param message what happened and what the user should do
     */
    public NotebenchException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * Creates an exception that keeps its cause.
     *
     * @param code what kind of failure this is
     * @param message what happened and what the user should do
     * @param cause the underlying failure
     */
    public NotebenchException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Returns the error code. */
    public ErrorCode code() {
        return code;
    }

    /** Returns {@code "CODE: message"}, the form shown to users in notebooks and terminals. */
    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
