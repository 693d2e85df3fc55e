package dev.notebench.files;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns an {@link IOException} into the one error a user can act on: it names the real cause
 * (the file is missing, permission is denied, the file system is read-only or full, a directory
 * stands where a file should be) and the path, never a guess such as "corrupt".
 *
 * <pre>{@code
 * try {
 *     Files.writeString(out, text);
 * } catch (IOException e) {
 *     throw FileErrors.of("write the report", out, e);
 * }
 * }</pre>
 */
public final class FileErrors {
    private FileErrors() {
    }

    /**
     * The error for a failed file operation.
     *
     * @param what what was being done, as a verb phrase ("write the report", "open the cache")
     * @param path the file the operation was about
     * @param e the failure
     * @return a {@link NotebenchException} with the code that fits the cause, keeping {@code e}
     */
    public static NotebenchException of(String what, Path path, IOException e) {
        Path file = e instanceof FileSystemException f && f.getFile() != null ? Path.of(f.getFile()) : path;
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : "";
        String lower = (reason + " " + e.getMessage()).toLowerCase(Locale.ROOT);
        String head = "cannot " + what + ": ";
        if (e instanceof NoSuchFileException) {
            return new NotebenchException(ErrorCode.DATA_NOT_FOUND, head + file + " does not exist", e);
        }
        if (e instanceof AccessDeniedException || lower.contains("permission denied") || lower.contains("operation not permitted")) {
            return new NotebenchException(ErrorCode.ACCESS_DENIED, head + "permission denied on " + file + accessHint(file), e);
        }
        if (lower.contains("read-only file system")) {
            return new NotebenchException(ErrorCode.ACCESS_DENIED, head + file + " is on a read-only file system; choose a path on a"
                    + " writable one", e);
        }
        if (lower.contains("no space left")) {
            return new NotebenchException(ErrorCode.DATA_INVALID, head + "the disk holding " + file + " is full; free space or"
                    + " choose a path on another disk", e);
        }
        if (e instanceof NotDirectoryException) {
            return new NotebenchException(ErrorCode.DATA_INVALID, head + file + " is not a directory", e);
        }
        if (e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException || lower.contains("is a directory")) {
            return new NotebenchException(ErrorCode.DATA_INVALID, head + file + (Files.isDirectory(file) ? " is a directory; give a"
                    + " file" : " already exists"), e);
        }
        if (e instanceof CharacterCodingException) {
            return new NotebenchException(ErrorCode.DATA_INVALID, head + file + " is not UTF-8; convert it, e.g. iconv -f cp1252"
                    + " -t utf-8", e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new NotebenchException(ErrorCode.DATA_INVALID, head + file + ": " + detail, e);
    }

    private static String accessHint(Path file) {
        return "; this user may not use it: fix its permissions (ls -ld " + file + ") or choose another path";
    }
}
