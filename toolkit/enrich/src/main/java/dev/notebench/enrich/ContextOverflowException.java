package dev.notebench.enrich;

/**
 * An {@link Annotator}'s signal that a request did not fit the model's context window (the server
 * said so: llama.cpp's "exceeds the available context size", OpenAI's {@code context_length_exceeded},
 * vLLM's "maximum context length is N tokens"). Asking the same rows again cannot help, fewer can:
 * the {@link Enricher} splits the batch in halves, and a row that alone does not fit fails with
 * this message as its reason. It does not count as one of a row's attempts.
 */
public final class ContextOverflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the signal.
     *
     * @param serverMessage what the server said, on one line (secrets already scrubbed)
     */
    public ContextOverflowException(String serverMessage) {
        super(serverMessage, null, false, false);
    }
}
