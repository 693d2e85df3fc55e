package dev.notebench.enrich;

import dev.notebench.NotebenchException;
import dev.notebench.files.DatabaseErrors;
import dev.notebench.files.FileErrors;
import dev.notebench.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers of model servers kept in a SQLite file, keyed by a SHA-256 of everything that decides
 * the answer: the server and path, and the exact request body (model, messages, temperature, output
 * format...). A rerun of a job, or a resumed one, costs no call for what was answered before.
 * The file can be shared by many processes (WAL mode, busy timeout); only answers whose every row
 * was valid are stored.
 */
public final class ResponseCache implements AutoCloseable {
    /** Where users move the cache file: named in errors that a move fixes. */
    private static final String SETTING = "--cache or NOTEBENCH_LLM_CACHE";

    private final Path file;
    private final Connection connection;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong stores = new AtomicLong();

    private ResponseCache(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (or creates) a cache file.
     *
     * @param file e.g. {@code ~/.cache/notebench/llm-responses.sqlite}
     * @throws NotebenchException CACHE_CORRUPT when the file is not a SQLite database, ACCESS_DENIED when it or its
     *     directory may not be written
     */
    public static ResponseCache open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 30000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, body TEXT NOT NULL,"
                        + " created_ms INTEGER NOT NULL)");
            }
            return new ResponseCache(file, c);
        } catch (IOException e) {
            throw FileErrors.of("create the directory of the response cache " + file, file.toAbsolutePath().getParent(), e);
        } catch (SQLException e) {
            throw DatabaseErrors.of("open the response cache", file, e, SETTING);
        }
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
    public synchronized Optional<String> get(String key) {
        try (PreparedStatement p = connection.prepareStatement("SELECT body FROM responses WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    hits.incrementAndGet();
                    return Optional.of(r.getString(1));
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /**
     * Stores an answer (replacing one with the same key).
     *
     * @param key a {@link #key}
     * @param body the answer's body
     */
    public synchronized void put(String key, String body) {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT OR REPLACE INTO responses (key, body, created_ms) VALUES (?, ?, ?)")) {
            p.setString(1, key);
            p.setString(2, body);
            p.setLong(3, System.currentTimeMillis());
            p.executeUpdate();
            stores.incrementAndGet();
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    /** How many answers the file holds. */
    public synchronized long size() {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM responses")) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure("count", e);
        }
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
        return file;
    }

    private NotebenchException failure(String what, SQLException e) {
        return DatabaseErrors.of(what + " the response cache", file, e, SETTING);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to lose
        }
    }
}
