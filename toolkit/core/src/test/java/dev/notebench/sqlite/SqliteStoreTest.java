package dev.notebench.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.JDBC;

class SqliteStoreTest {
    @TempDir
    Path tmp;

    private static SqliteStore.Builder store(Path file) {
        return SqliteStore.builder(new JDBC(), file, "the test cache", "--cache").schema("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)");
    }

    private static long count(SqliteStore s) {
        return s.read("count", c -> {
            try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT count(*) FROM t")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    private static String pragma(SqliteStore s, String name) {
        return s.read("read", c -> {
            try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("PRAGMA " + name)) {
                r.next();
                return r.getString(1);
            }
        });
    }

    @Test
    void aNewFileIsMadeWithItsDirectoryInWalModeWithTheBusyTimeoutAndTheTables() {
        Path file = tmp.resolve("a/b/store.sqlite");
        try (SqliteStore s = store(file).busyTimeout(Duration.ofSeconds(7)).open()) {
            assertTrue(Files.exists(file));
            assertEquals("wal", pragma(s, "journal_mode"));
            assertEquals("1", pragma(s, "synchronous")); // NORMAL
            assertEquals("7000", pragma(s, "busy_timeout"));
            assertEquals(Long.toString(1L << 30), pragma(s, "mmap_size")); // reads through a memory map
            assertEquals(0, count(s));
            assertEquals("ok", s.integrityCheck());
            assertTrue(s.fileBytes() > 0);
        }
    }

    @Test
    void aFailedWriteRollsItsWholeTransactionBack() {
        try (SqliteStore s = store(tmp.resolve("s.sqlite")).open()) {
            s.write("write to", c -> insert(c, "a"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.write("write to", c -> {
                insert(c, "b");
                throw new IllegalStateException("half way");
            }));
            assertEquals("half way", e.getMessage());
            assertEquals(1, count(s));
            NotebenchException dup = assertThrows(NotebenchException.class, () -> s.write("write to", c -> insert(c, "a")));
            assertTrue(dup.getMessage().startsWith("cannot write to the test cache " + tmp.resolve("s.sqlite") + ": "), dup.getMessage());
            assertEquals(1, count(s));
        }
    }

    @Test
    void aWriterWaitsForAnotherConnectionsTransactionAndThenGoesOn() throws Exception {
        Path file = tmp.resolve("shared.sqlite");
        try (SqliteStore holder = store(file).open(); SqliteStore waiter = store(file).busyTimeout(Duration.ofSeconds(30)).open()) {
            java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread t = new Thread(() -> holder.write("write to", c -> {
                insert(c, "held");
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            t.start();
            inside.await();
            Thread other = new Thread(() -> waiter.write("write to", c -> insert(c, "after")));
            other.start();
            release.countDown();
            other.join();
            t.join();
            assertEquals(2, count(waiter));
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsReportedAsDamagedWithTheAdviceToMoveIt() throws IOException {
        Path file = Files.writeString(tmp.resolve("junk.sqlite"), "this is not a database, only some text that is long enough");
        NotebenchException e = assertThrows(NotebenchException.class, () -> store(file).open());
        assertEquals(ErrorCode.CACHE_CORRUPT, e.code());
        assertTrue(e.getMessage().startsWith("cannot open the test cache " + file + ": the file is damaged or not a SQLite database"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; move it aside and a new one is made"), e.getMessage());
    }

    private static Object insert(Connection c, String k) throws java.sql.SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
            p.setString(1, k);
            return p.executeUpdate();
        }
    }
}
