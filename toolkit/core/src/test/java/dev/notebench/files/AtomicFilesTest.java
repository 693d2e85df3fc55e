package dev.notebench.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<String> names() throws IOException {
        try (var s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailingWriterLeavesTheOldFileWholeAndNoTemporaryFile() throws Exception {
        Path out = Files.writeString(tmp.resolve("r.csv"), "good\n");
        NotebenchException e = assertThrows(NotebenchException.class, () -> AtomicFiles.write(out, o -> {
            o.write("half".getBytes());
            throw new IOException("disk went away");
        }));
        assertEquals("cannot write " + out + ": " + out + ": disk went away", e.getMessage());
        assertEquals("good\n", Files.readString(out));
        assertEquals(List.of("r.csv"), names());
    }

    @Test
    void writingCreatesTheDirectoriesAndReplacesTheFile() throws Exception {
        Path out = tmp.resolve("a/b/r.txt");
        AtomicFiles.writeString(out, "one");
        AtomicFiles.writeString(out, "two");
        assertEquals("two", Files.readString(out));
        try (var s = Files.list(out.getParent())) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void aSymlinkedOutputIsWrittenWhereItPoints() throws Exception {
        Path real = Files.writeString(tmp.resolve("real.txt"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.txt"), real);
        AtomicFiles.writeString(link, "new");
        assertEquals("new", Files.readString(real));
        assertEquals(true, Files.isSymbolicLink(link));
    }

    @Test
    void aDirectoryInTheWayIsOneError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        NotebenchException e = assertThrows(NotebenchException.class, () -> AtomicFiles.writeString(dir, "x"));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("cannot write " + dir + ": it is a directory; give a file name", e.getMessage());
    }

    @Test
    void permissionAndReadOnlyFailuresAreNamedWithThePath() {
        Path dir = tmp.resolve("ro");
        NotebenchException denied = FileErrors.of("open the cache", dir.resolve("c.sqlite"),
                new AccessDeniedException(dir.resolve("c.sqlite").toString()));
        assertEquals(ErrorCode.ACCESS_DENIED, denied.code());
        assertEquals("cannot open the cache: permission denied on " + dir.resolve("c.sqlite") + "; this user may not use it: fix its"
                + " permissions (ls -ld " + dir.resolve("c.sqlite") + ") or choose another path", denied.getMessage());
        NotebenchException ro = FileErrors.of("write the report", dir.resolve("r.html"),
                new FileSystemException(dir.resolve("r.html").toString(), null, "Read-only file system"));
        assertEquals(ErrorCode.ACCESS_DENIED, ro.code());
        assertEquals("cannot write the report: " + dir.resolve("r.html") + " is on a read-only file system; choose a path on a"
                + " writable one", ro.getMessage());
    }
}
