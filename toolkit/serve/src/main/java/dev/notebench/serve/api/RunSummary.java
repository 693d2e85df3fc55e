package dev.notebench.serve.api;

/**
 * A run as {@code GET /runs} lists it.
 *
 * @param id the run's id (its directory's name)
 * @param status created, starting, running, completed, cancelled, failed, stopped-early or lost
 *     (its trainer is gone without finishing)
 * @param step how many steps it has done
 * @param steps how many steps it is configured for
 * @param family the model family, e.g. {@code gpt}
 * @param created when it was made (ISO-8601), or null when its manifest does not say
 * @param heartbeat when its trainer last wrote its status (ISO-8601), or null
 * @param bestValLoss the best validation loss so far, or null before the first evaluation
 */
public record RunSummary(String id, String status, long step, long steps, String family, String created, String heartbeat,
                         Double bestValLoss) {
}
