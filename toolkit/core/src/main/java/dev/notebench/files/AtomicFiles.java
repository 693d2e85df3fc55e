package dev.notebench.files;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes an output file so that a failure never leaves half a file where a good one was: the
 * bytes go to a temporary file in the same directory, are forced to disk, and the temporary file
 * is moved over the target in one step. An output that is a symbolic link is written where the
 * link points.
 *
 * <pre>{@code
 * AtomicFiles.writeString(Path.of("build/report.html"), html);
 * AtomicFiles.write(Path.of("relations.csv"), out -> table.write().csv(out));
 * }</pre>
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** What writes the file's bytes. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the content.
         *
         * @param out the temporary file's stream; closed by the caller
         * @throws IOException when writing fails
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes text as UTF-8.
     *
     * @param file the output
     * @param text its content
     * @throws NotebenchException naming the cause (permission, read-only, full disk, a directory in the way)
     */
    public static void writeString(Path file, String text) {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes an output through a temporary file moved into place.
     *
     * @param file the output
     * @param body what writes the bytes
     * @throws NotebenchException naming the cause (permission, read-only, full disk, a directory in the way)
     */
    public static void write(Path file, Body body) {
        Path target = OutputGuard.canonical(file);
        Path tmp = null;
        try {
            if (Files.isDirectory(target)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot write " + file + ": it is a directory; give a"
                        + " file name");
            }
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.write(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw FileErrors.of("write " + file, file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the failure that brought us here is what the user needs to see
                }
            }
        }
    }
}
