package dev.notebench.enrich;

/**
 * An answer that holds no usable rows (not JSON, not the expected shape): every row of its request
 * is re-asked. Thrown by annotators; the message says what came back.
 */
public class AnswerFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with the answer, with an abbreviated copy of it
     */
    public AnswerFormatException(String message) {
        super(message);
    }
}
