package dev.notebench.sqlite;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.DatabaseErrors;
import dev.notebench.files.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQLite file, shared by every thread, notebook, batch worker and command-line run that opens
 * it. The file is in WAL mode with {@code synchronous=NORMAL} (readers never wait for writers; a
 * process that dies loses nothing committed), reads go through a memory map, and writers take the
 * lock up front ({@code BEGIN IMMEDIATE}) and wait for each other up to the busy timeout, retrying
 * what SQLite refuses as busy or locked (its own busy handler gives up in some cases, e.g. while
 * another process recovers the WAL), so "database is locked" never reaches a user short of that.
 * Each {@link #write} is one transaction: a process killed in the middle leaves the file as it was.
 * Failures become the {@link NotebenchException} a user can act on ({@link DatabaseErrors}).
 * Calls on one instance are serialized.
 *
 * <pre>{@code
 * try (SqliteStore db = SqliteStore.builder(new org.sqlite.JDBC(), file, "the response cache", "--cache")
 *         .schema("CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, body TEXT NOT NULL)")
 *         .open()) {
 *     db.write("write to", c -> { ...; return null; });
 *     String body = db.read("read", c -> ...);
 * }
 * }</pre>
 */
public final class SqliteStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    /** How much of the file reads may map into memory (address space, not memory: pages load as they are read). */
    private static final long MMAP_BYTES = 1L << 30;

    /** Work on the connection, inside {@link #read} or {@link #write}. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @param connection the store's connection
         * @return the result
         * @throws SQLException when SQLite fails
         */
        T run(Connection connection) throws SQLException;
    }

    private final Path file;
    private final String name;
    private final String setting;
    private final long busyTimeoutMs;
    private final Connection conn;

    private SqliteStore(Builder b) {
        this.file = b.file.toAbsolutePath().normalize();
        this.name = b.name;
        this.setting = b.setting;
        this.busyTimeoutMs = b.busyTimeout.toMillis();
        try {
            Path dir = file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw FileErrors.of("create the directory of " + name + " " + file, file.getParent(), e);
        }
        Properties pragmas = new Properties();
        // reads through a memory map: a hit costs no read() of its pages (2x the lookups/s of SQLite's 2 MB page cache on
        // 10,000 vectors, BENCHMARKS.md); writes still go through the journal as before
        pragmas.setProperty("mmap_size", Long.toString(MMAP_BYTES));
        pragmas.setProperty("journal_mode", "WAL");
        pragmas.setProperty("synchronous", "NORMAL"); // WAL + NORMAL: nothing lost when a process dies
        pragmas.setProperty("busy_timeout", Long.toString(Math.min(Integer.MAX_VALUE, busyTimeoutMs)));
        pragmas.setProperty("transaction_mode", "IMMEDIATE");
        try {
            this.conn = withRetry("open", () -> {
                Connection c = b.driver.connect("jdbc:sqlite:" + file, pragmas);
                if (c == null) {
                    throw new IllegalStateException(b.driver.getClass().getName() + " is not a SQLite driver");
                }
                try (Statement s = c.createStatement()) {
                    for (String ddl : b.schema) {
                        s.execute(ddl);
                    }
                }
                return c;
            });
        } catch (SQLException e) {
            throw DatabaseErrors.of("open " + name, file, e, setting);
        }
    }

    /**
     * Starts describing a store on a file, made with its directory if missing.
     *
     * @param driver the SQLite JDBC driver, e.g. {@code new org.sqlite.JDBC()}
     * @param file the database file
     * @param name what the file is, for messages, e.g. {@code "the embedding cache"}
     * @param setting the option or variable that moves the file elsewhere, for the advice in errors
     */
    public static Builder builder(Driver driver, Path file, String name, String setting) {
        return new Builder(driver, file, name, setting);
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * Runs work outside a transaction (reads, or single statements that commit on their own).
     *
     * @param what the verb for errors, e.g. {@code "read from"}: "cannot read from the embedding cache ..."
     * @throws NotebenchException when SQLite fails
     */
    public synchronized <T> T read(String what, Work<T> work) {
        try {
            return work.run(conn);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs work in one write transaction (BEGIN IMMEDIATE), retried while other writers hold the lock.
     *
     * @param what the verb for errors, e.g. {@code "write to"}
     * @throws NotebenchException CACHE_LOCKED when other writers held the lock past the busy timeout,
     *     or the failure SQLite reported
     */
    public synchronized <T> T write(String what, Work<T> work) {
        try {
            return withRetry(what, () -> {
                conn.setAutoCommit(false);
                try {
                    T result = work.run(conn);
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
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs SQLite's integrity check; returns its answer, {@code ok} when the file is sound. */
    public synchronized String integrityCheck() {
        return read("check", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                return rs.next() ? rs.getString(1) : "no answer";
            }
        });
    }

    /** Rewrites the file without the space deleted rows left (SQLite's VACUUM), and empties the write-ahead log. */
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

    /** The bytes of the database file and its write-ahead log on disk. */
    public long fileBytes() {
        long bytes = 0;
        for (Path p : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
            try {
                bytes += Files.exists(p) ? Files.size(p) : 0;
            } catch (IOException e) {
                // gone between the check and the size: counts as empty
            }
        }
        return bytes;
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("closing {} {}: {}", name, file, e.getMessage());
        }
    }

    /** The error for a failed operation, e.g. {@code what = "read from"}. */
    private NotebenchException failure(String what, SQLException e) {
        return DatabaseErrors.of(what + " " + name, file, e, setting);
    }

    private interface Attempt<T> {
        T run() throws SQLException;
    }

    /** Retries work that SQLite refused as busy or locked, with jittered backoff from 5 to 200 ms, up to the busy timeout. */
    private <T> T withRetry(String what, Attempt<T> work) throws SQLException {
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
                    throw new NotebenchException(ErrorCode.CACHE_LOCKED, name + " " + file + " stayed locked by other writers for "
                            + busyTimeoutMs / 1000 + " s; wait for them, or give this process a longer busy timeout", e);
                }
                try {
                    Thread.sleep(sleep + ThreadLocalRandom.current().nextLong(sleep));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new NotebenchException(ErrorCode.CANCELLED, "interrupted while waiting to " + what + " " + name + " "
                            + file, ie);
                }
                sleep = Math.min(200, sleep * 2);
            }
        }
    }

    /** SQLITE_BUSY (5) or SQLITE_LOCKED (6), in the low byte of an extended result code. */
    private static boolean busy(SQLException e) {
        int code = e.getErrorCode() & 0xff;
        return code == 5 || code == 6;
    }

    /** Describes a store: file, tables, busy timeout. */
    public static final class Builder {
        private final Driver driver;
        private final Path file;
        private final String name;
        private final String setting;
        private final List<String> schema = new ArrayList<>();
        private Duration busyTimeout = Duration.ofSeconds(60);

        private Builder(Driver driver, Path file, String name, String setting) {
            this.driver = Objects.requireNonNull(driver, "driver");
            this.file = Objects.requireNonNull(file, "file");
            this.name = Objects.requireNonNull(name, "name");
            this.setting = Objects.requireNonNull(setting, "setting");
        }

        /** Statements run on open to make the tables and indexes when missing ({@code CREATE ... IF NOT EXISTS}). */
        public Builder schema(String... statements) {
            schema.addAll(List.of(statements));
            return this;
        }

        /** How long a writer waits for other writers before failing (default 60 s). */
        public Builder busyTimeout(Duration busyTimeout) {
            if (busyTimeout.isNegative() || busyTimeout.isZero()) {
                throw new IllegalArgumentException("busy timeout must be positive");
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        /** Opens (or makes) the file. */
        public SqliteStore open() {
            return new SqliteStore(this);
        }
    }
}
