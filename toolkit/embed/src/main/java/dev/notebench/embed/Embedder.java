package dev.notebench.embed;

import java.util.List;

/**
 * Turns texts into vectors. Implementations are safe to call from several threads at once (a
 * local model is loaded once and shared); {@link EmbeddingCache#embed} puts a cache in front.
 */
public interface Embedder {
    /** The model's id, part of every cache key: the same text under another id is another entry. */
    String id();

    /** The length of every vector. */
    int dimension();

    /** How many texts one call should carry at most. */
    default int batchSize() {
        return 32;
    }

    /**
     * Embeds texts.
     *
     * @param texts at most {@link #batchSize()} texts
     * @return one vector of {@link #dimension()} floats per text, in order
     */
    List<float[]> embed(List<String> texts);
}
