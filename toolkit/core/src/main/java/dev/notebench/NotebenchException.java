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
    private final String marked;

    /**
     * Creates an exception.
     *
     * @param code what kind of failure this is
     * @param message what happened and what the user should do
     */
    public NotebenchException(ErrorCode code, String message) {
        super(FrontEnd.LIBRARY.render(message));
        this.code = Objects.requireNonNull(code, "code");
        this.marked = message;
    }

    /**
     * Creates an exception that keeps its cause.
     *
     * @param code what kind of failure this is
     * @param message what happened and what the user should do
     * @param cause the underlying failure
     */
    public NotebenchException(ErrorCode code, String message, Throwable cause) {
        super(FrontEnd.LIBRARY.render(message), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.marked = message;
    }

    /** Returns the error code. */
    public ErrorCode code() {
        return code;
    }

    /**
     * Returns the message as a front end's user reads it: the commands it names
     * ({@link FrontEnd#command(String)}) spelled {@code ./notebench train ...} on the command line,
     * {@code %train ...} in a notebook. {@link #getMessage()} is the {@link FrontEnd#LIBRARY} form.
     *
     * @param frontEnd who shows it
     * @return the message
     */
    public String message(FrontEnd frontEnd) {
        return frontEnd.render(marked);
    }

    /**
     * Returns {@code "CODE: message"} as a front end shows it.
     *
     * @param frontEnd who shows it
     * @return the code and the message
     */
    public String describe(FrontEnd frontEnd) {
        return code + ": " + message(frontEnd);
    }

    /** Returns {@code "CODE: message"} in its {@link FrontEnd#LIBRARY} form. */
    @Override
    public String toString() {
        return describe(FrontEnd.LIBRARY);
    }
}
