package dev.notebench.train;

import com.google.gson.JsonObject;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.optim.MixedPrecision;
import dev.notebench.train.optim.OptimizerState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A run as it trains, as the listeners that steer it see it ({@link RunListener#batch},
 * {@link RunListener#stepEnded}): the step, its loss and evaluation, the best validation loss and
 * how many evaluations ago it was; and what a listener may do: write a checkpoint, or stop the
 * run. One per call of {@link TrainRun#run()}; the loop updates it as it steps.
 *
 * <pre>{@code
 * public void stepEnded(Training t) {
 *     if (t.evalsSinceBest() >= 3) t.stop(RunState.STOPPED_EARLY, null);
 * }
 * }</pre>
 */
public final class Training {
    private final RunDirectory dir;
    private final TrainConfig config;
    private final LanguageModel model;
    private final OptimizerState optimizer;
    private final MixedPrecision mixed;
    private final List<RunListener> listeners;
    private final BooleanSupplier checkpointAsked;
    private long step;
    private double loss = Double.NaN;
    private double best;
    private int sinceBest;
    private RunListener.Eval evaluation;
    private RunState stop;
    private String stopMessage;
    private boolean ended;

    /**
     * Where a run starts: its first step, and the best validation loss so far with how many
     * evaluations ago it was (all saved with each checkpoint, so that a resumed run goes on as an
     * uninterrupted one would).
     *
     * @param step the first step to train
     * @param bestValLoss the best validation loss so far (infinite before the first evaluation)
     * @param evalsSinceBest evaluations since the best
     */
    record Start(long step, double bestValLoss, int evalsSinceBest) {
        /** A run's very first start. */
        static final Start FIRST = new Start(0, Double.POSITIVE_INFINITY, 0);

        /** The start after a checkpoint, from its state. */
        static Start after(JsonObject checkpointState) {
            return new Start(checkpointState.get("step").getAsLong() + 1, checkpointState.get("best_val_loss").getAsDouble(),
                    checkpointState.get("evals_since_best").getAsInt());
        }
    }

    /**
     * The state of a run that starts (or resumes).
     *
     * @param dir the run directory, with the configuration
     * @param model the model (null where no listener writes checkpoints)
     * @param optimizer the optimizer (null where no listener writes checkpoints)
     * @param mixed the fp16 loss scaling, or null in fp32
     * @param listeners who hears the run (checkpoints, among others)
     * @param checkpointAsked whether a checkpoint was asked for in this process since the last call
     * @param start where it starts
     */
    Training(RunDirectory dir, LanguageModel model, OptimizerState optimizer, MixedPrecision mixed, List<RunListener> listeners,
             BooleanSupplier checkpointAsked, Start start) {
        this.dir = dir;
        this.config = dir.config();
        this.model = model;
        this.optimizer = optimizer;
        this.mixed = mixed;
        this.listeners = List.copyOf(listeners);
        this.checkpointAsked = checkpointAsked;
        this.step = start.step();
        this.best = start.bestValLoss();
        this.sinceBest = start.evalsSinceBest();
    }

    /** Returns the run directory. */
    public RunDirectory directory() {
        return dir;
    }

    /** Returns the configuration. */
    public TrainConfig config() {
        return config;
    }

    /** Returns the step being trained (0-based). */
    public long step() {
        return step;
    }

    /** Returns whether the step is the run's last configured one. */
    public boolean lastStep() {
        return step == config.steps() - 1;
    }

    /** Returns the training loss of the step's batch (NaN before the first batch). */
    public double loss() {
        return loss;
    }

    /** Returns the best validation loss so far (infinite before the first evaluation). */
    public double bestValLoss() {
        return best;
    }

    /** Returns how many evaluations ago the best validation loss was. */
    public int evalsSinceBest() {
        return sinceBest;
    }

    /** Returns the step's evaluation, when it had one. */
    public Optional<RunListener.Eval> evaluation() {
        return Optional.ofNullable(evaluation);
    }

    /**
     * Asks the run to stop: after this step, with a checkpoint (before it, when asked from
     * {@link RunListener#batch}); a {@link RunState#FAILED} run stops without a checkpoint and
     * {@link TrainRun#run()} throws the message.
     *
     * @param state how the run ends: cancelled, stopped early or failed
     * @param message why, or null
     */
    public void stop(RunState state, String message) {
        if (!state.ended() || state == RunState.COMPLETED) {
            throw new IllegalArgumentException("a run is stopped as cancelled, stopped-early or failed, not " + state);
        }
        if (stop == null) {
            stop = state;
            stopMessage = message;
        }
    }

    /** Returns how the run was asked to stop, if it was. */
    public Optional<RunState> stopping() {
        return Optional.ofNullable(stop);
    }

    /** Returns who hears the run, in order: the default listeners, then the run's own. */
    List<RunListener> listeners() {
        return listeners;
    }

    /** Returns why the run was asked to stop, or null. */
    String stopMessage() {
        return stopMessage;
    }

    /**
     * Writes the checkpoint after the step (model, optimizer and bookkeeping) and tells the
     * listeners; older step checkpoints beyond {@link RunDirectory#KEEP_CHECKPOINTS} are deleted.
     *
     * @return the checkpoint directory
     */
    public Path checkpoint() {
        Path cp = dir.saveCheckpoint(step, model, optimizer, state(optimizer));
        if (!ended) {
            status(RunState.RUNNING); // the status never lags the checkpoints
        }
        for (RunListener l : listeners) {
            l.checkpoint(step, cp);
        }
        return cp;
    }

    /** Writes the weights as the checkpoint of the best validation loss. */
    void saveBest() {
        dir.saveBest(model, state(null));
    }

    /** Returns whether a checkpoint was asked for since the last call, in this process or through the run directory; clears the request. */
    boolean takeCheckpointRequest() {
        boolean here = checkpointAsked.getAsBoolean();
        return dir.takeCheckpointRequest() || here;
    }

    /** Writes the run's status as of this step. */
    void status(RunState state) {
        status(state, step, null);
    }

    void status(RunState state, long lastStep, String message) {
        dir.writeStatus(state, lastStep, config.steps(), message, ProcessHandle.current().pid());
    }

    void ended() {
        ended = true;
    }

    void step(long step) {
        this.step = step;
        this.evaluation = null;
    }

    void loss(double loss) {
        this.loss = loss;
    }

    /** Records an evaluation of the step and returns what listeners hear of it. */
    RunListener.Eval evaluated(double val) {
        boolean improved = val < best;
        if (improved) {
            best = val;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
        evaluation = new RunListener.Eval(step, val, Math.exp(val), improved);
        return evaluation;
    }

    /** What a checkpoint records besides the weights: step, updates, the best loss and, in fp16, the loss scale. */
    private Map<String, Object> state(OptimizerState saved) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        state.put("updates", saved == null ? step + 1 : saved.updates());
        state.put("best_val_loss", best);
        state.put("evals_since_best", sinceBest);
        if (mixed != null) {
            state.put("loss_scale", mixed.scale());
            state.put("loss_scale_good_steps", mixed.goodSteps());
            state.put("overflow_steps", mixed.overflows());
        }
        state.put("time", dir.clock().instant().toString());
        return state;
    }
}
