package dev.notebench.spark.embed;

import dev.notebench.embed.CachingEmbedder;
import dev.notebench.embed.Embedder;
import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.spark.internal.PerExecutor;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Embeds one partition on an executor: its texts go through {@link Embedder#embedAll} of this
 * JVM's shared model (sorted by length and batched as locally), and each row comes out with its
 * vector appended (null for a null text). The model computes each call on its task's cores
 * ({@code spark.task.cpus}), so that an executor's concurrent tasks do not each start a thread per
 * core of the host.
 */
final class EmbedPartitions implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final ModelKey key;
    private final int column;

    EmbedPartitions(ModelKey key, int column) {
        this.key = key;
        this.column = column;
    }

    /**
     * A model as the executors open it: which, where its files are unpacked, and the embedding cache
     * in front of it (null for none).
     */
    record ModelKey(LocalModel model, String modelsDir, String cacheFile) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** The model of one executor JVM and the cache it owns. */
    private record Loaded(LocalEmbedder model, EmbeddingCache cache, Embedder embedder) implements AutoCloseable {
        static Loaded open(ModelKey key, int threads) {
            LocalEmbedder model = LocalEmbedder.load(key.model(), Path.of(key.modelsDir()), threads);
            if (key.cacheFile() == null) {
                return new Loaded(model, null, model);
            }
            EmbeddingCache cache = EmbeddingCache.open(Path.of(key.cacheFile()));
            return new Loaded(model, cache, new CachingEmbedder(model, cache));
        }

        @Override
        public void close() {
            if (cache != null) {
                cache.close();
            }
            model.close();
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        List<Row> rows = new ArrayList<>();
        input.forEachRemaining(rows::add);
        List<String> texts = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (!r.isNullAt(column)) {
                texts.add(r.getString(column));
            }
        }
        if (rows.isEmpty()) {
            return Collections.emptyIterator();
        }
        // each call on the cores of its task (spark.task.cpus), not on every core of the host: an executor's tasks run at once
        int threads = TaskContext.get() != null ? TaskContext.get().cpus() : 1;
        Embedder embedder = PerExecutor.<Loaded>get(key, () -> Loaded.open(key, threads)).embedder();
        Iterator<float[]> vectors = embedder.embedAll(texts).iterator();
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Object[] values = new Object[r.length() + 1];
            for (int i = 0; i < r.length(); i++) {
                values[i] = r.get(i);
            }
            values[r.length()] = r.isNullAt(column) ? null : vectors.next();
            out.add(RowFactory.create(values));
        }
        return out.iterator();
    }
}
