package dev.notebench.train.magic;

import dev.notebench.display.Display;
import dev.notebench.plots.LivePlot;
import dev.notebench.progress.NotebookProgress;
import dev.notebench.train.RunListener;
import dev.notebench.train.RunState;
import dev.notebench.train.TrainRun;
import dev.notebench.train.metrics.Smoothing;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Follows a run in a notebook: a progress bar of the steps (rate, time left, loss, learning rate,
 * validation loss) replaced in place at most every 150 ms, and a {@link LivePlot} that grows as the run
 * goes: training loss (raw, faint, and smoothed), validation loss, learning rate, gradient norm
 * and tokens/s on panels sharing the step axis. Only new points travel to the notebook; when the
 * run ends, the plot is drawn whole, so a saved or exported notebook shows it. Where the front end
 * draws widgets, Stop and Checkpoint-now buttons sit under the bar until the run ends
 * ({@link RunControls}). {@code %train} adds one; from Java:
 *
 * <pre>{@code
 * TrainRun.create(config).listener(new TrainingView(notebook())).run();
 * }</pre>
 */
public final class TrainingView implements RunListener {
    /** The traces of the plot, in order. */
    static final int TRAIN = 0;
    static final int SMOOTHED = 1;
    static final int VAL = 2;
    static final int LR = 3;
    static final int GRAD_NORM = 4;
    static final int TOKENS = 5;

    private final Display display;
    private final Duration refresh;
    private final Smoothing smoothing;
    private NotebookProgress progress;
    private LivePlot plot;
    private RunControls controls = RunControls.NONE;
    private String val = "";
    private String note = "";

    /**
     * Creates a view that refreshes at most twice a second and smooths the training loss with an
     * exponential moving average of weight 0.9.
     *
     * @param display where to show it, e.g. {@code notebook()} in a cell
     */
    public TrainingView(Display display) {
        this(display, Duration.ofMillis(500), 0.9);
    }

    /**
     * Creates a view.
     *
     * @param display where to show it
     * @param refresh the shortest time between two updates of the plot
     * @param smoothing the weight of the training loss's moving average, in [0, 1); 0 for none
     */
    public TrainingView(Display display, Duration refresh, double smoothing) {
        this.display = Objects.requireNonNull(display, "display");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.smoothing = new Smoothing(smoothing);
    }

    @Override
    public synchronized void started(TrainRun r, long step) {
        progress = new NotebookProgress(display);
        progress.stage(r.config().runId(), r.config().steps(), "steps", step);
        controls = RunControls.show(display, r.directory());
        plot = LivePlot.builder("Training: " + r.config().runId()).xTitle("step").refresh(refresh)
                .panel("loss", 2.5)
                .trace("train loss", LivePlot.Style.FAINT)
                .trace("train loss (smoothed)")
                .trace("val loss", LivePlot.Style.MARKERS)
                .panel("learning rate").trace("lr")
                .panel("grad norm").trace("grad norm")
                .panel("tokens/s").trace("tokens/s")
                .show(display);
    }

    @Override
    public synchronized void step(Step s) {
        double x = s.step() + 1;
        plot.add(TRAIN, x, s.loss());
        plot.add(SMOOTHED, x, smoothing.next(s.loss()));
        plot.add(LR, x, s.lr());
        plot.add(GRAD_NORM, x, s.gradNorm());
        plot.add(TOKENS, x, s.tokensPerSecond());
        note = String.format(Locale.ROOT, "loss %.4f, lr %.2e, %.0f tokens/s", s.loss(), s.lr(), s.tokensPerSecond());
        progress.note(note + val);
        progress.update(s.step() + 1);
    }

    @Override
    public synchronized void eval(Eval e) {
        plot.add(VAL, e.step() + 1, e.loss());
        val = String.format(Locale.ROOT, "; val loss %.4f%s", e.loss(), e.best() ? " (best)" : "");
    }

    @Override
    public synchronized void checkpoint(long step, java.nio.file.Path dir) {
        controls.checkpointSaved(step, dir);
    }

    @Override
    public synchronized void ended(RunState statusText, String message) {
        controls.close();
        if (progress != null) {
            progress.note(note + val + " — " + statusText + (message == null ? "" : " (" + message + ")"));
            progress.close();
        }
        if (plot != null) {
            plot.close();
        }
    }

    /** Returns the live plot (null before the run started), e.g. to put its figure in a report. */
    public synchronized LivePlot plot() {
        return plot;
    }
}
