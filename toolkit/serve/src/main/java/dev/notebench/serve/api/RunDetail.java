package dev.notebench.serve.api;

/**
 * {@code GET /runs/{id}}: a run's true status and what it is.
 *
 * @param id the run's id
 * @param status as in {@link RunSummary#status()}; {@code lost} when its trainer is gone
 * @param message why it failed, or, when lost, what happened and how to resume it; else null
 * @param step how many steps it has done
 * @param steps how many steps it is configured for
 * @param heartbeat when its trainer last wrote its status (ISO-8601), or null
 * @param heartbeatAgeS seconds since that heartbeat, by the server's clock, or null
 * @param pid the process that trains (or trained) it, if known
 * @param host that process's host, if known
 * @param checkpoint the latest step checkpoint (e.g. {@code step-00000049}), or null
 * @param cancelRequested whether someone asked it to stop
 * @param created when it was made (ISO-8601), or null
 * @param bestValLoss the best validation loss so far, or null
 * @param trainLoss the last training loss of a run that ended, or null
 * @param hyperparameters its key hyperparameters
 */
public record RunDetail(String id, String status, String message, long step, long steps, String heartbeat, Double heartbeatAgeS,
                        Long pid, String host, String checkpoint, boolean cancelRequested, String created, Double bestValLoss,
                        Double trainLoss, Hyperparameters hyperparameters) {
}
