package dev.notebench.enrich;

import dev.notebench.http.CallStats;
import dev.notebench.secrets.Secrets;
import java.util.Optional;

/**
 * Answers batches of rows: an OpenAI-compatible chat server ({@link OpenAiChatAnnotator}), the
 * embedded offline labeler, or anything a user plugs in through {@link AnnotatorProvider}. Called
 * from many threads at once.
 */
public interface Annotator extends AutoCloseable {
    /**
     * Who answers, e.g. {@code gpt-4o-mini@api.openai.com}: part of a job's fingerprint, so that a
     * journal is never resumed with another model. Never contains a key.
     */
    String id();

    /**
     * Answers one request.
     *
     * @param request the rows and what to return for them
     * @return the answer; the caller validates it
     * @throws AnswerFormatException when the answer holds no usable rows (the rows are re-asked)
     * @throws ContextOverflowException when the request does not fit the model's context (the rows are
     *     asked in halves; a row that alone does not fit fails with the server's message)
     * @throws dev.notebench.NotebenchException when asking again cannot help (a bad key, an unreachable
     *     server after retries): the job stops, keeping what is journalled
     */
    Answer annotate(AnnotationRequest request);

    /**
     * Called when every row of an answer was valid, so that it may be cached; by default nothing.
     *
     * @param answer the accepted answer
     */
    default void accepted(Answer answer) {
    }

    /**
     * The secrets this annotator sends (its key, headers' values), scrubbed from what its server
     * answers; the {@link Enricher} also scrubs them from the reasons and values a journal of an
     * earlier run restores. By default none.
     */
    default Secrets secrets() {
        return Secrets.NONE;
    }

    /** The HTTP counters of this annotator, when it calls a server. */
    default Optional<CallStats> callStats() {
        return Optional.empty();
    }

    /** The current and the most concurrent requests allowed, when it adapts them; {@code {limit, max}}. */
    default Optional<int[]> concurrency() {
        return Optional.empty();
    }

    /**
     * The provider's batch API ({@code --batch-api}), when the annotator calls a server that may
     * have one; empty by default (a local annotator has nothing to batch).
     */
    default Optional<BatchJobs> batchJobs() {
        return Optional.empty();
    }

    /** Releases what the annotator holds (HTTP connections, caches); by default nothing. */
    @Override
    default void close() {
    }
}
