package dev.notebench.embed;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.DatabaseErrors;
import dev.notebench.files.FileErrors;
import dev.notebench.internal.Sha256;
import dev.notebench.progress.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

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
    /** How much of the file reads may map into memory (address space, not memory: pages load as they are read). */
    private static final long MMAP_BYTES = 1L << 30;
    /** Rows read more recently than this are not written back just to move their last-used time. */
    private static final long TOUCH_AFTER_MS = 60_000;
    /** The bytes a row takes besides its vector and text (key, numbers, b-tree overhead), for the size cap. */
    private static final int ROW_OVERHEAD = 80;

    private final Path file;
    private final Connection conn;
    private final long maxBytes;
    private final long busyTimeoutMs;
    private final Clock clock;
    private long hits;
    private long misses;
    private long corrupt;

    private EmbeddingCache(Builder b) {
        this.file = b.file.toAbsolutePath().normalize();
        this.maxBytes = b.maxBytes;
        this.busyTimeoutMs = b.busyTimeout.toMillis();
        this.clock = b.clock;
        try {
            Path dir = file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw FileErrors.of("create the directory of the embedding cache " + file, file.getParent(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        // reads through a memory map: a hit costs no read() of its pages (2x the lookups/s of SQLite's 2 MB page cache on
        // 10,000 vectors, BENCHMARKS.md); writes still go through the journal as before
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(MMAP_BYTES));
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // WAL + NORMAL: nothing lost when a process dies
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeoutMs));
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try {
            this.conn = withRetry("open", () -> {
                Connection c = config.createConnection("jdbc:sqlite:" + file);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS embeddings (key BLOB PRIMARY KEY, model TEXT NOT NULL,"
                            + " dim INTEGER NOT NULL, vector BLOB NOT NULL, text TEXT NOT NULL, created INTEGER NOT NULL,"
                            + " last_used INTEGER NOT NULL) WITHOUT ROWID");
                    s.execute("CREATE INDEX IF NOT EXISTS embeddings_model ON embeddings (model)");
                    s.execute("CREATE INDEX IF NOT EXISTS embeddings_last_used ON embeddings (last_used)");
                }
                return c;
            });
        } catch (SQLException e) {
            throw DatabaseErrors.of("open the embedding cache", file, e, SETTING);
        }
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
        return file;
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
        try {
            for (int from = 0; from < unique.size(); from += CHUNK) {
                List<String> chunk = unique.subList(from, Math.min(unique.size(), from + CHUNK));
                Map<ByteKey, String> byKey = new HashMap<>();
                for (String t : chunk) {
                    byKey.put(new ByteKey(key(model, t)), t);
                }
                String sql = "SELECT key, dim, vector, last_used FROM embeddings WHERE key IN (" + marks(chunk.size()) + ")";
                try (PreparedStatement ps = conn.prepareStatement(sql)) {
                    int i = 1;
                    for (ByteKey k : byKey.keySet()) {
                        ps.setBytes(i++, k.bytes);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            byte[] k = rs.getBytes(1);
                            int dim = rs.getInt(2);
                            byte[] blob = rs.getBytes(3);
                            String text = byKey.get(new ByteKey(k));
                            if (blob == null || blob.length != 4L * dim) {
                                corrupt++;
                                LOG.warn("embedding cache {}: the entry for a text under model {} has {} bytes for {} dimensions;"
                                        + " it is ignored and will be recomputed", file, model, blob == null ? 0 : blob.length, dim);
                                continue;
                            }
                            found.put(text, decode(blob));
                            if (now - rs.getLong(4) > TOUCH_AFTER_MS) {
                                stale.add(k);
                            }
                        }
                    }
                }
            }
            if (!stale.isEmpty()) {
                write("touch", () -> {
                    for (int from = 0; from < stale.size(); from += CHUNK) {
                        List<byte[]> chunk = stale.subList(from, Math.min(stale.size(), from + CHUNK));
                        try (PreparedStatement ps = conn.prepareStatement(
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
        } catch (SQLException e) {
            throw failure("read from", e);
        }
        int hit = 0;
        for (String t : texts) {
            hit += found.containsKey(t) ? 1 : 0;
        }
        hits += hit;
        misses += texts.size() - hit;
        return found;
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
        try {
            write("write to", () -> {
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO embeddings (key, model, dim, vector, text,"
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
                    evict();
                }
                return null;
            });
        } catch (SQLException e) {
            throw failure("write to", e);
        }
    }

    /**
     * Embeds texts through the cache: hits come from the file, misses are computed by the
     * embedder in batches of its size (texts of similar length together) and stored.
     *
     * @param embedder the model
     * @param texts the texts (duplicates are computed once)
     * @return one vector per text, in order
     */
    public List<float[]> embed(Embedder embedder, List<String> texts) {
        return embed(embedder, texts, Progress.NONE);
    }

    /**
     * Embeds texts through the cache, showing the computed texts on a progress bar (stage
     * "embedding", unit "texts": the misses; hits are counted as done from the start).
     *
     * @param embedder the model
     * @param texts the texts (duplicates are computed once)
     * @param progress where progress goes, e.g. a notebook or terminal bar
     * @return one vector per text, in order
     */
    public List<float[]> embed(Embedder embedder, List<String> texts, Progress progress) {
        Map<String, float[]> found = get(embedder.id(), texts);
        List<String> missing = new ArrayList<>();
        for (String t : new LinkedHashSet<>(texts)) {
            if (!found.containsKey(t)) {
                missing.add(t);
            }
        }
        // texts of similar length together: a batch is padded to its longest text
        missing.sort(java.util.Comparator.comparingInt(String::length));
        int unique = found.size() + missing.size();
        progress.stage("embedding with " + embedder.id(), unique, "texts", found.size());
        for (int from = 0, size; from < missing.size(); from += size) {
            size = Embedder.nextBatch(embedder, missing, from);
            List<String> batch = missing.subList(from, from + size);
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
            put(embedder.id(), computed);
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
        if (k <= 0) {
            return List.of();
        }
        double qn = norm(query);
        PriorityQueue<Neighbour> best = new PriorityQueue<>(k + 1, (a, b) -> Double.compare(a.score(), b.score()));
        try (PreparedStatement ps = conn.prepareStatement("SELECT text, vector FROM embeddings WHERE model = ? AND dim = ?")) {
            ps.setString(1, model);
            ps.setInt(2, query.length);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] blob = rs.getBytes(2);
                    if (blob == null || blob.length != 4 * query.length) {
                        continue;
                    }
                    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
                    double dot = 0;
                    double n = 0;
                    for (float q : query) {
                        float v = b.getFloat();
                        dot += q * v;
                        n += v * v;
                    }
                    double score = qn == 0 || n == 0 ? 0 : dot / (qn * Math.sqrt(n));
                    if (best.size() < k || score > best.peek().score()) {
                        best.add(new Neighbour(rs.getString(1), score));
                        if (best.size() > k) {
                            best.poll();
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("search", e);
        }
        List<Neighbour> out = new ArrayList<>(best);
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        return out;
    }

    /** Entries, bytes and this session's hit rate. */
    public synchronized Stats stats() {
        Map<String, long[]> perModel = new LinkedHashMap<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT model, count(*), sum(length(vector)) FROM embeddings GROUP BY model ORDER BY model")) {
            while (rs.next()) {
                perModel.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        } catch (SQLException e) {
            throw failure("read from", e);
        }
        long fileBytes = 0;
        for (Path p : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
            try {
                fileBytes += Files.exists(p) ? Files.size(p) : 0;
            } catch (IOException e) {
                // gone between the check and the size: counts as empty
            }
        }
        List<Stats.Model> models = new ArrayList<>();
        perModel.forEach((m, v) -> models.add(new Stats.Model(m, v[0], v[1])));
        return new Stats(List.copyOf(models), fileBytes, hits, misses, corrupt);
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
        try {
            withRetry("vacuum", () -> {
                try (Statement s = conn.createStatement()) {
                    s.execute("VACUUM");
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                return null;
            });
        } catch (SQLException e) {
            throw failure("vacuum", e);
        }
    }

    /** Runs SQLite's integrity check; returns its answer, {@code ok} when the file is sound. */
    public synchronized String integrityCheck() {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no answer";
        } catch (SQLException e) {
            throw failure("check", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("closing the embedding cache {}: {}", file, e.getMessage());
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private long delete(String sql, Binder binder) {
        try {
            return write("delete from", () -> {
                try (PreparedStatement ps = conn.prepareStatement(sql)) {
                    binder.bind(ps);
                    return (long) ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("delete from", e);
        }
    }

    /** Removes the least recently used entries until the cache fits its cap; inside a write transaction. */
    private void evict() throws SQLException {
        long total;
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(length(vector) + length(text) + " + ROW_OVERHEAD + "), 0)"
                     + " FROM embeddings")) {
            total = rs.next() ? rs.getLong(1) : 0;
        }
        if (total <= maxBytes) {
            return;
        }
        List<byte[]> victims = new ArrayList<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT key, length(vector) + length(text) + " + ROW_OVERHEAD
                     + " FROM embeddings ORDER BY last_used, created")) {
            while (total > maxBytes && rs.next()) {
                victims.add(rs.getBytes(1));
                total -= rs.getLong(2);
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM embeddings WHERE key = ?")) {
            for (byte[] k : victims) {
                ps.setBytes(1, k);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        LOG.debug("embedding cache {}: evicted {} least recently used entries to stay under {} bytes", file, victims.size(),
                maxBytes);
    }

    /** Runs work in one write transaction (BEGIN IMMEDIATE), retried while other writers hold the lock. */
    private <T> T write(String what, Work<T> work) throws SQLException {
        return withRetry(what, () -> {
            conn.setAutoCommit(false);
            try {
                T result = work.run();
                conn.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    conn.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        });
    }

    /**
     * Retries work that SQLite refused as busy or locked (its own busy handler gives up in some
     * cases, e.g. while another process recovers the WAL), with backoff, up to the busy timeout.
     */
    private <T> T withRetry(String what, Work<T> work) throws SQLException {
        long deadline = System.nanoTime() + busyTimeoutMs * 1_000_000L;
        long sleep = 5;
        while (true) {
            try {
                return work.run();
            } catch (SQLException e) {
                if (!busy(e)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new NotebenchException(ErrorCode.CACHE_LOCKED, "the embedding cache " + file + " stayed locked by"
                            + " other writers for " + busyTimeoutMs / 1000 + " s; wait for them, or give this process a"
                            + " longer busy timeout", e);
                }
                try {
                    Thread.sleep(sleep + (long) (Math.random() * sleep));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new NotebenchException(ErrorCode.CANCELLED, "interrupted while waiting to " + what
                            + " the embedding cache " + file, ie);
                }
                sleep = Math.min(200, sleep * 2);
            }
        }
    }

    private static boolean busy(SQLException e) {
        int code = e.getErrorCode() & 0xff;
        return code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code;
    }

    private NotebenchException failure(String what, SQLException e) {
        return DatabaseErrors.of(what + " the embedding cache", file, e, SETTING);
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

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f * f;
        }
        return Math.sqrt(s);
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
        private final Path file;
        private long maxBytes;
        private Duration busyTimeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
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
            if (busyTimeout.isNegative() || busyTimeout.isZero()) {
                throw new IllegalArgumentException("busy timeout must be positive");
            }
            this.busyTimeout = busyTimeout;
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
