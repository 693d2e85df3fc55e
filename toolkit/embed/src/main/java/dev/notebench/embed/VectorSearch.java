package dev.notebench.embed;

import dev.notebench.sqlite.SqliteStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The cached texts most similar to a query vector, by cosine similarity: brute force over one
 * model's vectors in an embedding cache's file, read straight from their little-endian float32
 * BLOBs and kept in a heap of the best {@code k}. Entries of another dimension, or damaged ones,
 * are skipped.
 *
 * <pre>{@code
 * List<EmbeddingCache.Neighbour> near = cache.nearest(embedder.id(), vector, 5);   // through the cache
 * }</pre>
 */
final class VectorSearch {
    private final SqliteStore store;

    /** A search over the {@code embeddings} table of a store. */
    VectorSearch(SqliteStore store) {
        this.store = store;
    }

    /**
     * The texts of a model's vectors most similar to a query.
     *
     * @param model the model id
     * @param query a vector of the model's dimension
     * @param k how many
     * @return the nearest first
     */
    List<EmbeddingCache.Neighbour> nearest(String model, float[] query, int k) {
        if (k <= 0) {
            return List.of();
        }
        double qn = norm(query);
        PriorityQueue<EmbeddingCache.Neighbour> best = new PriorityQueue<>(k + 1, (a, b) -> Double.compare(a.score(), b.score()));
        store.read("search", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT text, vector FROM embeddings WHERE model = ? AND dim = ?")) {
                ps.setString(1, model);
                ps.setInt(2, query.length);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] blob = rs.getBytes(2);
                        if (blob == null || blob.length != 4 * query.length) {
                            continue;
                        }
                        double score = cosine(query, qn, blob);
                        if (best.size() < k || score > best.peek().score()) {
                            best.add(new EmbeddingCache.Neighbour(rs.getString(1), score));
                            if (best.size() > k) {
                                best.poll();
                            }
                        }
                    }
                }
            }
            return null;
        });
        List<EmbeddingCache.Neighbour> out = new ArrayList<>(best);
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        return out;
    }

    /** The cosine of a query (of norm {@code qn}) and a stored vector; 0 when either is all zeros. */
    static double cosine(float[] query, double qn, byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        double dot = 0;
        double n = 0;
        for (float q : query) {
            float v = b.getFloat();
            dot += q * v;
            n += v * v;
        }
        return qn == 0 || n == 0 ? 0 : dot / (qn * Math.sqrt(n));
    }

    static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f * f;
        }
        return Math.sqrt(s);
    }
}
