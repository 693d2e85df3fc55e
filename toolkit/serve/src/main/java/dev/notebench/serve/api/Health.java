package dev.notebench.serve.api;

/**
 * {@code GET /healthz}: the server answers.
 *
 * @param status always {@code ok}
 */
public record Health(String status) {
}
