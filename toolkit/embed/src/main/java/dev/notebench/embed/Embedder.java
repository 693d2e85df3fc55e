package dev.notebench.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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

    /** How many texts one call should carry at most, whatever their length. */
    default int batchSize() {
        return 32;
    }

    /**
     * How many texts of at most {@code chars} characters one call should carry: by default
     * {@link #batchSize()}. A model that pads a batch to its longest text and computes every
     * padded position (a local one) takes more short texts at once, since a batch of short texts
     * is little arithmetic and the cost per call would dominate. Never less than {@link #batchSize()}.
     *
     * @param chars the length of the longest text of the batch
     * @return how many texts the batch may hold
     */
    default int batchSize(int chars) {
        return batchSize();
    }

    /**
     * Embeds texts.
     *
     * @param texts at most {@link #batchSize(int)} texts for the longest of them
     * @return one vector of {@link #dimension()} floats per text, in order
     */
    List<float[]> embed(List<String> texts);

    /**
     * Embeds any number of texts: texts of similar length together (see {@link #nextBatch}), so
     * that a batch pads little, returning the vectors in the given order.
     *
     * @param texts the texts
     * @return one vector per text, in order
     */
    default List<float[]> embedAll(List<String> texts) {
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i).length()));
        List<String> sorted = new ArrayList<>(order.length);
        for (Integer i : order) {
            sorted.add(texts.get(i));
        }
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < sorted.size(); ) {
            int to = from + nextBatch(this, sorted, from);
            List<float[]> vectors = embed(sorted.subList(from, to));
            for (int k = from; k < to; k++) {
                out[order[k]] = vectors.get(k - from);
            }
            from = to;
        }
        return List.of(out);
    }

    /**
     * How many texts of {@code sorted}, from {@code from} on, the next call carries: the most
     * that {@link #batchSize(int)} allows for the longest of them, and at least
     * {@link #batchSize()} while that many remain.
     *
     * @param embedder the model
     * @param sorted texts in order of increasing length
     * @param from the first text of the batch
     * @return the batch's size, at least 1 while texts remain
     */
    static int nextBatch(Embedder embedder, List<String> sorted, int from) {
        int left = sorted.size() - from;
        int n = 1;
        while (n < left && n + 1 <= embedder.batchSize(sorted.get(from + n).length())) {
            n++;
        }
        return Math.max(n, Math.min(embedder.batchSize(), left));
    }
}
