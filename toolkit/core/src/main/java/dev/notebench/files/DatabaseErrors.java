package dev.notebench.files;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Turns a failure of a SQLite file (a cache) into the one error a user can act on, by SQLite's
 * result code: a file or directory this user may not write is {@link ErrorCode#ACCESS_DENIED}, a
 * full disk says so, and only a damaged file is {@link ErrorCode#CACHE_CORRUPT} with the advice
 * to move it aside (advice that, given for a permission problem, would lose the cache for nothing).
 *
 * <pre>{@code
 * } catch (SQLException e) {
 *     throw DatabaseErrors.of("open the embedding cache", file, e, "--cache or NOTEBENCH_EMBED_CACHE");
 * }
 * }</pre>
 */
public final class DatabaseErrors {
    // SQLite's primary result codes (https://www.sqlite.org/rescode.html); the low byte of extended codes
    private static final int PERM = 3;
    private static final int READONLY = 8;
    private static final int IOERR = 10;
    private static final int CORRUPT = 11;
    private static final int FULL = 13;
    private static final int CANTOPEN = 14;
    private static final int NOTADB = 26;

    private DatabaseErrors() {
    }

    /**
     * The error for a failed operation on a SQLite file.
     *
     * @param what what was being done ("open the embedding cache")
     * @param file the database file
     * @param e the failure
     * @param setting the option or variable that moves the file elsewhere, for the advice
     * @return the error, keeping {@code e}
     */
    public static NotebenchException of(String what, Path file, SQLException e, String setting) {
        String sqlite = e.getMessage() == null ? "" : e.getMessage().replace('\n', ' ');
        String lower = sqlite.toLowerCase(java.util.Locale.ROOT);
        int code = e.getErrorCode() & 0xff;
        String head = "cannot " + what + " " + file + ": ";
        if (code == PERM || code == READONLY || code == CANTOPEN || lower.contains("readonly") || lower.contains("read-only")
                || lower.contains("unable to open")) {
            return new NotebenchException(ErrorCode.ACCESS_DENIED, head + "the file or its directory " + file.getParent()
                    + " is not writable for this user, or is on a read-only file system (" + sqlite + "); fix the permissions,"
                    + " or point " + setting + " at a writable place", e);
        }
        if (code == FULL) {
            return new NotebenchException(ErrorCode.DATA_INVALID, head + "the disk is full (" + sqlite + "); free space, or point "
                    + setting + " at another disk", e);
        }
        if (code == CORRUPT || code == NOTADB) {
            return new NotebenchException(ErrorCode.CACHE_CORRUPT, head + "the file is damaged or not a SQLite database (" + sqlite
                    + "); move it aside and a new one is made", e);
        }
        if (code == IOERR) {
            return new NotebenchException(ErrorCode.DATA_INVALID, head + "the disk reported an I/O error (" + sqlite + "); check"
                    + " the disk, or point " + setting + " at another place", e);
        }
        return new NotebenchException(ErrorCode.DATA_INVALID, head + sqlite, e);
    }
}
