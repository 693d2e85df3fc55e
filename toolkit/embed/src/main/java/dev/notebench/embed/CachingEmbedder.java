package dev.notebench.embed;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.progress.Progress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link Embedder} in front of which sits an {@link EmbeddingCache}: hits come from the file,
 * misses are computed by the embedder in batches of its size (texts of similar length together,
 * each text once) and stored, one transaction a batch. Its id, dimension and batch sizes are the
 * embedder's, so a caching embedder can stand wherever the embedder did.
 *
 * <pre>{@code
 * try (EmbeddingCache cache = EmbeddingCache.open(Path.of("build/embeddings.sqlite"))) {
 *     Embedder cached = new CachingEmbedder(model, cache);
 *     List<float[]> vectors = cached.embed(texts, progress);
 * }
 * }</pre>
 */
public final class CachingEmbedder implements Embedder {
    private final Embedder embedder;
    private final EmbeddingCache cache;

    /**
     * Puts a cache in front of an embedder.
     *
     * @param embedder the model (owned by the caller)
     * @param cache the cache (owned by the caller)
     */
    public CachingEmbedder(Embedder embedder, EmbeddingCache cache) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public String id() {
        return embedder.id();
    }

    @Override
    public int dimension() {
        return embedder.dimension();
    }

    @Override
    public int batchSize() {
        return embedder.batchSize();
    }

    @Override
    public int batchSize(int chars) {
        return embedder.batchSize(chars);
    }

    /** Embeds any number of texts through the cache (duplicates are computed once); one vector per text, in order. */
    @Override
    public List<float[]> embed(List<String> texts) {
        return embed(texts, Progress.NONE);
    }

    /** Embeds any number of texts through the cache; the same as {@link #embed(List)}. */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        return embed(texts, Progress.NONE);
    }

    /**
     * Embeds texts through the cache, showing the computed texts on a progress bar (stage
     * "embedding with ID", unit "texts": the misses; hits are counted as done from the start).
     *
     * @param texts the texts (duplicates are computed once)
     * @param progress where progress goes, e.g. a notebook or terminal bar
     * @return one vector per text, in order
     */
    public List<float[]> embed(List<String> texts, Progress progress) {
        Map<String, float[]> found = cache.get(embedder.id(), texts);
        List<String> missing = new ArrayList<>();
        for (String t : new LinkedHashSet<>(texts)) {
            if (!found.containsKey(t)) {
                missing.add(t);
            }
        }
        // texts of similar length together: a batch is padded to its longest text
        missing.sort(Comparator.comparingInt(String::length));
        progress.stage("embedding with " + embedder.id(), found.size() + missing.size(), "texts", found.size());
        for (int from = 0, size; from < missing.size(); from += size) {
            size = Embedder.nextBatch(embedder, missing, from);
            List<String> batch = missing.subList(from, from + size);
            Map<String, float[]> computed = computed(batch);
            cache.put(embedder.id(), computed);
            found.putAll(computed);
            progress.advance(batch.size());
        }
        progress.close();
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(found.get(t));
        }
        return out;
    }

    /** One call of the embedder, checked: one vector of its dimension per text. */
    private Map<String, float[]> computed(List<String> batch) {
        List<float[]> vectors = embedder.embed(batch);
        if (vectors.size() != batch.size()) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "embedder " + embedder.id() + " returned "
                    + vectors.size() + " vectors for " + batch.size() + " texts");
        }
        Map<String, float[]> computed = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            if (vectors.get(i).length != embedder.dimension()) {
                throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "embedder " + embedder.id() + " returned a vector of "
                        + vectors.get(i).length + " floats; it declares " + embedder.dimension());
            }
            computed.put(batch.get(i), vectors.get(i));
        }
        return computed;
    }

    @Override
    public String toString() {
        return "CachingEmbedder[" + embedder.id() + " in " + cache.file() + "]";
    }
}
