package dev.notebench.enrich;

import dev.notebench.NotebenchException;
import dev.notebench.internal.Sha256;
import dev.notebench.sqlite.SqliteStore;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.JDBC;

/**
 * Answers of model servers kept in a SQLite file, keyed by a SHA-256 of everything that decides
 * the answer: the server and path, and the exact request body (model, messages, temperature, output
 * format...). A rerun of a job, or a resumed one, costs no call for what was answered before.
 * The file can be shared by many processes (a {@link SqliteStore}: WAL mode, busy timeout and
 * retries); only answers whose every row was valid are stored.
 */
public final class ResponseCache implements AutoCloseable {
    /** Where users move the cache file: named in errors that a move fixes. */
    private static final String SETTING = "--cache or NOTEBENCH_LLM_CACHE";

    private final SqliteStore store;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong stores = new AtomicLong();

    private ResponseCache(SqliteStore store) {
        this.store = store;
    }

    /**
     * Opens (or creates) a cache file.
     *
     * @param file e.g. {@code ~/.cache/notebench/llm-responses.sqlite}
     * @throws NotebenchException CACHE_CORRUPT when the file is not a SQLite database, ACCESS_DENIED when it or its
     *     directory may not be written
     */
    public static ResponseCache open(Path file) {
        return new ResponseCache(SqliteStore.builder(new JDBC(), file, "the response cache", SETTING)
                .busyTimeout(Duration.ofSeconds(30))
                .schema("CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, body TEXT NOT NULL, created_ms INTEGER NOT NULL)")
                .open());
    }

    /** The SHA-256 key of a request: its target and its exact body. */
    public static String key(String target, String body) {
        return Sha256.hasher().field(target).text(body).hex();
    }

    /**
     * Looks an answer up.
     *
     * @param key a {@link #key}
     * @return the stored answer body, if any
     */
    public Optional<String> get(String key) {
        Optional<String> body = store.read("read", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT body FROM responses WHERE key = ?")) {
                p.setString(1, key);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
        body.ifPresent(b -> hits.incrementAndGet());
        return body;
    }

    /**
     * Stores an answer (replacing one with the same key).
     *
     * @param key a {@link #key}
     * @param body the answer's body
     */
    public void put(String key, String body) {
        store.write("write", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO responses (key, body, created_ms) VALUES (?, ?, ?)")) {
                p.setString(1, key);
                p.setString(2, body);
                p.setLong(3, System.currentTimeMillis());
                return p.executeUpdate();
            }
        });
        stores.incrementAndGet();
    }

    /** How many answers the file holds. */
    public long size() {
        return store.read("count", c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM responses")) {
                return r.next() ? r.getLong(1) : 0L;
            }
        });
    }

    /** Answers served from the cache by this instance. */
    public long hits() {
        return hits.get();
    }

    /** Answers stored by this instance. */
    public long stores() {
        return stores.get();
    }

    /** The cache file. */
    public Path file() {
        return store.file();
    }

    @Override
    public void close() {
        store.close();
    }
}
