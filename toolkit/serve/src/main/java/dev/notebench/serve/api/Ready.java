package dev.notebench.serve.api;

/**
 * {@code GET /readyz}: the runs directory can be read and written (else the answer is a 503 error).
 *
 * @param status always {@code ready}
 * @param runs how many runs the runs directory holds
 */
public record Ready(String status, int runs) {
}
