/**
 * Files a command reads and writes, handled the same way by every command, magic and batch task:
 * {@link dev.notebench.files.OutputGuard} refuses an output that is one of the inputs (or another
 * output) before anything is read, {@link dev.notebench.files.AtomicFiles} writes an output through
 * a temporary file moved into place, and {@link dev.notebench.files.FileErrors} turns an
 * {@link java.io.IOException} into one error that names the real cause (missing, permission,
 * read-only, not a file) and the path.
 */
package dev.notebench.files;
