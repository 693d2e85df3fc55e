package dev.notebench.serve.api;

import java.util.List;

/**
 * {@code GET /runs/{id}/logs}: the last lines of a detached run's {@code train.log}.
 *
 * @param id the run's id
 * @param lines the lines, oldest first (none when the run has no log: it was not started detached)
 * @param truncated whether the log has more lines before these
 */
public record LogTail(String id, List<String> lines, boolean truncated) {
}
