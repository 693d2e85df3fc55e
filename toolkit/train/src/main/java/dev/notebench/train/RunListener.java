package dev.notebench.train;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Hears a training run: every step, every evaluation, every checkpoint, and the end; and, through
 * {@link #batch} and {@link #stepEnded}, steers it. Called on the training thread; keep it quick.
 * The loop itself only steps: the metrics log, checkpointing, early stopping and the divergence
 * guard are listeners ({@link Defaults}), as are live plots and notifications.
 *
 * <pre>{@code
 * TrainRun.create(config).listener(new RunListener() {
 *     public void eval(Eval e) { System.out.println(e.step() + " " + e.loss()); }
 * }).run();
 * }</pre>
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

    /**
     * A step's batch went forward and backward, and the optimizer has not stepped yet: a listener
     * that {@link Training#stop stops} the run here ends it before this step, at the one before.
     *
     * @param training the run as it trains
     */
    default void batch(Training training) {
    }

    /** A step finished. */
    default void step(Step s) {
    }

    /** An evaluation finished. */
    default void eval(Eval e) {
    }

    /**
     * A step and its evaluation, if any, are done and heard: a listener may write a checkpoint
     * ({@link Training#checkpoint()}) or stop the run after this step ({@link Training#stop}).
     *
     * @param training the run as it trains
     */
    default void stepEnded(Training training) {
    }

    /** A checkpoint was written. */
    default void checkpoint(long step, Path dir) {
    }

    /**
     * The run ended.
     *
     * @param status completed, cancelled, failed or stopped early; or, for a run followed from
     *     another process ({@link RunFollower}), lost when its trainer went away
     * @param message why, for failures; how to resume, for a lost run
     */
    default void ended(RunState status, String message) {
    }

    /**
     * The listeners every {@link TrainRun} has, before the ones added to it: the metrics log,
     * the divergence guard, checkpointing, early stopping and the heartbeat.
     */
    final class Defaults {
        private Defaults() {
        }

        /**
         * The default listeners of a run, new (each hears one run).
         *
         * @param config the run's configuration (checkpoint interval, patience)
         * @param clock the clock heartbeats are timed by
         * @return {@link MetricsLog}, {@link DivergenceGuard}, {@link Checkpointing},
         *     {@link EarlyStopping} and {@link Heartbeat}, in the order they hear a step
         */
        public static List<RunListener> of(TrainConfig config, Clock clock) {
            return List.of(new MetricsLog(), new DivergenceGuard(), new Checkpointing(config.checkpointEvery()),
                    new EarlyStopping(config.patience()), new Heartbeat(Heartbeat.EVERY, clock));
        }
    }
}
