package dev.notebench.serve.api;

/**
 * {@code POST /runs/{id}/cancel} (202): the run was asked to stop after its current step, with a
 * checkpoint; its status says {@code cancelled} once it has.
 *
 * @param id the run's id
 * @param status its status when asked (starting or running)
 * @param message what happens next
 */
public record CancelAccepted(String id, String status, String message) {
}
