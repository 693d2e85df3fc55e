package dev.notebench.embed;

import dev.notebench.internal.Sha256;
import dev.notebench.progress.Progress;
import dev.notebench.sqlite.SqliteStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;

/**
 * Embeddings that persist in one SQLite file shared by every thread, notebook, batch worker and
 * command-line run that opens it.
 *
 * <p>Keys are content addresses: SHA-256 of the model id and the exact text, so the same text under
 * another model is another entry. A vector is stored as a little-endian float32 BLOB with its
 * dimension, the text, and created and last-used times. The file is in WAL mode, so readers never
 * wait for writers; writers take the lock up front ({@code BEGIN IMMEDIATE}) and wait for each other
 * up to the busy timeout, so "database is locked" never reaches a user short of that. Each batch
 * is one transaction: a process killed in the middle leaves the cache as it was before the batch.
 * An entry whose BLOB does not match its dimension is reported, not returned, and recomputed.
 * The file's policy (WAL, locking, retries, errors) is the {@link SqliteStore}'s; embedding through
 * the cache is a {@link CachingEmbedder}'s, and nearest texts a {@link VectorSearch}'s.
 *
 * <pre>{@code
 * try (EmbeddingCache cache = EmbeddingCache.builder(Path.of("build/embeddings.sqlite")).maxBytes(1L << 30).open()) {
 *     List<float[]> vectors = cache.embed(embedder, texts);   // hits from the file, misses computed and stored
 *     cache.nearest(embedder.id(), vectors.get(0), 5);        // nearest cached texts
 * }
 * }</pre>
 *
 * <p>Safe for many threads (calls on one instance are serialized) and many processes.
 */
public final class EmbeddingCache implements AutoCloseable {
    /** Where users move the cache file: named in errors that a move fixes. */
    private static final String SETTING = "--cache or NOTEBENCH_EMBED_CACHE";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
    private static final int CHUNK = 500;
    /** Rows read more recently than this are not written back just to move their last-used time. */
    private static final long TOUCH_AFTER_MS = 60_000;
    /** The bytes a row takes besides its vector and text (key, numbers, b-tree overhead), for the size cap. */
    private static final int ROW_OVERHEAD = 80;

    private final SqliteStore store;
    private final VectorSearch search;
    private final long maxBytes;
    private final Clock clock;
    private long hits;
    private long misses;
    private long corrupt;

    private EmbeddingCache(Builder b) {
        this.maxBytes = b.maxBytes;
        this.clock = b.clock;
        this.store = b.store.open();
        this.search = new VectorSearch(store);
    }

    /**
     * Starts describing a cache on a file, made if missing.
     *
     * @param file the SQLite file, e.g. {@code build/embeddings.sqlite}
     */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** Opens a cache with no size cap and a 60 s busy timeout. */
    public static EmbeddingCache open(Path file) {
        return builder(file).open();
    }

    /** Returns the cache's file. */
    public Path file() {
        return store.file();
    }

    /**
     * The content address of a text under a model: SHA-256 of the model id, a NUL, and the text's UTF-8 bytes.
     *
     * @param model the model id
     * @param text the exact text
     */
    public static byte[] key(String model, String text) {
        return Sha256.hasher().field(model).text(text).bytes();
    }

    /**
     * Looks texts up.
     *
     * @param model the model id
     * @param texts the texts
     * @return the vectors found, by text (texts not found, or whose entry is damaged, are absent)
     */
    public synchronized Map<String, float[]> get(String model, Collection<String> texts) {
        Map<String, float[]> found = new HashMap<>();
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(texts));
        List<byte[]> stale = new ArrayList<>();
        long now = clock.millis();
        for (int from = 0; from < unique.size(); from += CHUNK) {
            List<String> chunk = unique.subList(from, Math.min(unique.size(), from + CHUNK));
            store.read("read from", c -> {
                lookUp(c, model, chunk, now, found, stale);
                return null;
            });
        }
        if (!stale.isEmpty()) {
            store.write("read from", c -> {
                for (int from = 0; from < stale.size(); from += CHUNK) {
                    List<byte[]> chunk = stale.subList(from, Math.min(stale.size(), from + CHUNK));
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE embeddings SET last_used = ? WHERE key IN (" + marks(chunk.size()) + ")")) {
                        ps.setLong(1, now);
                        for (int i = 0; i < chunk.size(); i++) {
                            ps.setBytes(i + 2, chunk.get(i));
                        }
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        }
        int hit = 0;
        for (String t : texts) {
            hit += found.containsKey(t) ? 1 : 0;
        }
        hits += hit;
        misses += texts.size() - hit;
        return found;
    }

    /** Reads one chunk's entries into {@code found}, and the keys of those not used for a while into {@code stale}. */
    private void lookUp(Connection c, String model, List<String> chunk, long now, Map<String, float[]> found, List<byte[]> stale)
            throws SQLException {
        Map<ByteKey, String> byKey = new HashMap<>();
        for (String t : chunk) {
            byKey.put(new ByteKey(key(model, t)), t);
        }
        String sql = "SELECT key, dim, vector, last_used FROM embeddings WHERE key IN (" + marks(chunk.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (ByteKey k : byKey.keySet()) {
                ps.setBytes(i++, k.bytes);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] k = rs.getBytes(1);
                    int dim = rs.getInt(2);
                    byte[] blob = rs.getBytes(3);
                    if (blob == null || blob.length != 4L * dim) {
                        corrupt++;
                        LOG.warn("embedding cache {}: the entry for a text under model {} has {} bytes for {} dimensions;"
                                + " it is ignored and will be recomputed", file(), model, blob == null ? 0 : blob.length, dim);
                        continue;
                    }
                    found.put(byKey.get(new ByteKey(k)), decode(blob));
                    if (now - rs.getLong(4) > TOUCH_AFTER_MS) {
                        stale.add(k);
                    }
                }
            }
        }
    }

    /**
     * Stores vectors in one transaction, replacing entries with the same key; then, with a size
     * cap, evicts the least recently used entries until the cache fits.
     *
     * @param model the model id
     * @param vectors vectors by text, all of one dimension
     */
    public synchronized void put(String model, Map<String, float[]> vectors) {
        if (vectors.isEmpty()) {
            return;
        }
        long now = clock.millis();
        store.write("write to", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO embeddings (key, model, dim, vector, text,"
                    + " created, last_used) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET dim = excluded.dim,"
                    + " vector = excluded.vector, last_used = excluded.last_used")) {
                for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                    ps.setBytes(1, key(model, e.getKey()));
                    ps.setString(2, model);
                    ps.setInt(3, e.getValue().length);
                    ps.setBytes(4, encode(e.getValue()));
                    ps.setString(5, e.getKey());
                    ps.setLong(6, now);
                    ps.setLong(7, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (maxBytes > 0) {
                evict(c);
            }
            return null;
        });
    }

    /**
     * Embeds texts through the cache: hits come from the file, misses are computed by the
     * embedder in batches of its size (texts of similar length together) and stored.
     *
     * @param embedder the model
     * @param texts the texts (duplicates are computed once)
     * @return one vector per text, in order
     * @see CachingEmbedder
     */
    public List<float[]> embed(Embedder embedder, List<String> texts) {
        return new CachingEmbedder(embedder, this).embed(texts, Progress.NONE);
    }

    /**
     * Embeds texts through the cache, showing the computed texts on a progress bar (stage
     * "embedding", unit "texts": the misses; hits are counted as done from the start).
     *
     * @param embedder the model
     * @param texts the texts (duplicates are computed once)
     * @param progress where progress goes, e.g. a notebook or terminal bar
     * @return one vector per text, in order
     * @see CachingEmbedder
     */
    public List<float[]> embed(Embedder embedder, List<String> texts, Progress progress) {
        return new CachingEmbedder(embedder, this).embed(texts, progress);
    }

    /**
     * The texts of a model's cached vectors most similar to a query vector, by cosine similarity
     * (brute force over the model's entries).
     *
     * @param model the model id
     * @param query a vector of the model's dimension
     * @param k how many
     * @return the nearest first
     */
    public synchronized List<Neighbour> nearest(String model, float[] query, int k) {
        return search.nearest(model, query, k);
    }

    /** Entries, bytes and this session's hit rate. */
    public synchronized Stats stats() {
        List<Stats.Model> models = store.read("read from", c -> {
            List<Stats.Model> m = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT model, count(*), sum(length(vector)) FROM embeddings GROUP BY model ORDER BY model")) {
                while (rs.next()) {
                    m.add(new Stats.Model(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return m;
        });
        return new Stats(List.copyOf(models), store.fileBytes(), hits, misses, corrupt);
    }

    /** Removes every entry; returns how many. */
    public synchronized long clear() {
        return delete("DELETE FROM embeddings", ps -> { });
    }

    /**
     * Removes one model's entries.
     *
     * @param model the model id
     * @return how many were removed
     */
    public synchronized long clear(String model) {
        return delete("DELETE FROM embeddings WHERE model = ?", ps -> ps.setString(1, model));
    }

    /**
     * Removes entries not used since a time.
     *
     * @param time entries last used before it go
     * @return how many were removed
     */
    public synchronized long clearOlderThan(Instant time) {
        return delete("DELETE FROM embeddings WHERE last_used < ?", ps -> ps.setLong(1, time.toEpochMilli()));
    }

    /** Rewrites the file without the space deleted entries left (SQLite's VACUUM). */
    public synchronized void vacuum() {
        store.vacuum();
    }

    /** Runs SQLite's integrity check; returns its answer, {@code ok} when the file is sound. */
    public synchronized String integrityCheck() {
        return store.integrityCheck();
    }

    @Override
    public synchronized void close() {
        store.close();
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private long delete(String sql, Binder binder) {
        return store.write("delete from", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return (long) ps.executeUpdate();
            }
        });
    }

    /** Removes the least recently used entries until the cache fits its cap; inside a write transaction. */
    private void evict(Connection c) throws SQLException {
        long total;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(length(vector) + length(text) + " + ROW_OVERHEAD + "), 0)"
                     + " FROM embeddings")) {
            total = rs.next() ? rs.getLong(1) : 0;
        }
        if (total <= maxBytes) {
            return;
        }
        List<byte[]> victims = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key, length(vector) + length(text) + " + ROW_OVERHEAD
                     + " FROM embeddings ORDER BY last_used, created")) {
            while (total > maxBytes && rs.next()) {
                victims.add(rs.getBytes(1));
                total -= rs.getLong(2);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM embeddings WHERE key = ?")) {
            for (byte[] k : victims) {
                ps.setBytes(1, k);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        LOG.debug("embedding cache {}: evicted {} least recently used entries to stay under {} bytes", file(), victims.size(),
                maxBytes);
    }

    private static String marks(int n) {
        return "?,".repeat(n - 1) + "?";
    }

    static byte[] encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static float[] decode(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[blob.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    /** A byte array usable as a map key. */
    private record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && java.util.Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    /** A cached text and its cosine similarity to a query. */
    public record Neighbour(String text, double score) {
    }

    /**
     * What the cache holds and how this session used it.
     *
     * @param models entries and vector bytes per model
     * @param fileBytes the database file and its write-ahead log on disk
     * @param hits texts found in this session
     * @param misses texts not found (or damaged) in this session
     * @param corrupt damaged entries met in this session
     */
    public record Stats(List<Model> models, long fileBytes, long hits, long misses, long corrupt) {
        /** One model's share: entries and the bytes of their vectors. */
        public record Model(String model, long entries, long vectorBytes) {
        }

        /** The share of looked-up texts found, or NaN before any lookup. */
        public double hitRate() {
            return hits + misses == 0 ? Double.NaN : (double) hits / (hits + misses);
        }

        /** All entries. */
        public long entries() {
            return models.stream().mapToLong(Model::entries).sum();
        }
    }

    /** Describes a cache: file, size cap, busy timeout. */
    public static final class Builder {
        private final SqliteStore.Builder store;
        private long maxBytes;
        private Clock clock = Clock.systemUTC();

        private Builder(Path file) {
            this.store = SqliteStore.builder(new JDBC(), Objects.requireNonNull(file, "file"), "the embedding cache", SETTING)
                    .schema("CREATE TABLE IF NOT EXISTS embeddings (key BLOB PRIMARY KEY, model TEXT NOT NULL,"
                                    + " dim INTEGER NOT NULL, vector BLOB NOT NULL, text TEXT NOT NULL, created INTEGER NOT NULL,"
                                    + " last_used INTEGER NOT NULL) WITHOUT ROWID",
                            "CREATE INDEX IF NOT EXISTS embeddings_model ON embeddings (model)",
                            "CREATE INDEX IF NOT EXISTS embeddings_last_used ON embeddings (last_used)");
        }

        /**
         * Caps the entries' size (vectors, texts and per-row overhead); past it, the least recently
         * used entries are evicted after each write. 0, the default, for no cap.
         */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes " + maxBytes + " must be 0 (no cap) or positive");
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /** Sets how long a writer waits for other writers before failing (default 60 s). */
        public Builder busyTimeout(Duration busyTimeout) {
            store.busyTimeout(busyTimeout);
            return this;
        }

        /** Sets the clock of created and last-used times (for tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Opens (or makes) the cache. */
        public EmbeddingCache open() {
            return new EmbeddingCache(this);
        }
    }
}
