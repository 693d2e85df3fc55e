package dev.notebench.train;

import java.nio.file.Path;

/**
 * Hears a training run: every step, every evaluation, every checkpoint, and the end. Called on
 * the training thread; keep it quick. The metrics log, live plots and notifications are listeners.
 */
public interface RunListener {
    /** A listener that hears nothing. */
    RunListener NONE = new RunListener() {
    };

    /**
     * One optimizer step.
     *
     * @param step the step (0-based)
     * @param loss the training loss of the step's batch
     * @param lr the learning rate used
     * @param gradNorm the global gradient norm before clipping
     * @param tokensPerSecond training throughput of the step
     * @param elapsedSeconds wall time since the run (or its resumption) started
     */
    record Step(long step, double loss, double lr, double gradNorm, double tokensPerSecond, double elapsedSeconds) {
    }

    /**
     * One evaluation on the validation split.
     *
     * @param step the step after which it ran
     * @param loss the mean validation loss
     * @param perplexity e^loss
     * @param best whether it is the best so far
     */
    record Eval(long step, double loss, double perplexity, boolean best) {
    }

    /** The run started (or resumed) at {@code step}. */
    default void started(TrainRun run, long step) {
    }

    /** A step finished. */
    default void step(Step s) {
    }

    /** An evaluation finished. */
    default void eval(Eval e) {
    }

    /** A checkpoint was written. */
    default void checkpoint(long step, Path dir) {
    }

    /**
     * The run ended.
     *
     * @param status completed, cancelled, failed or stopped-early; or, for a run followed from
     *     another process ({@link RunFollower}), lost when its trainer went away
     * @param message why, for failures; how to resume, for a lost run
     */
    default void ended(String status, String message) {
    }
}
