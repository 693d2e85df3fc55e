package dev.notebench.train.magic;

import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.display.Html;
import dev.notebench.train.RunListener;
import dev.notebench.train.TrainRun;
import java.util.Locale;
import java.util.Objects;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;

/**
 * Follows a run in a notebook: a status line (step, loss, learning rate, tokens/s, validation
 * loss) and a training-loss plot, both replaced in place at most twice a second. {@code %train}
 * adds one; from Java:
 *
 * <pre>{@code
 * TrainRun.create(config).listener(new TrainingView(notebook())).run();
 * }</pre>
 */
public final class TrainingView implements RunListener {
    private static final long INTERVAL_NS = 500_000_000L;

    private final Display display;
    private final DoubleColumn steps = DoubleColumn.create("step");
    private final DoubleColumn losses = DoubleColumn.create("train loss");
    private TrainRun run;
    private DisplayHandle status;
    private DisplayHandle plot;
    private long last;
    private String line = "";

    /**
     * Creates a view.
     *
     * @param display where to show it, e.g. {@code notebook()} in a cell
     */
    public TrainingView(Display display) {
        this.display = Objects.requireNonNull(display, "display");
    }

    @Override
    public synchronized void started(TrainRun r, long step) {
        this.run = r;
        line = r.config().runId() + ": starting at step " + (step + 1);
        status = display.show(new Html("<div style=\"font-family: monospace\">" + Html.escape(line) + "</div>", line));
        plot = display.show(new Html("<div></div>", ""));
    }

    @Override
    public synchronized void step(Step s) {
        steps.append(s.step() + 1);
        losses.append(s.loss());
        line = String.format(Locale.ROOT, "%s: step %d/%d, loss %.4f, lr %.2e, %.0f tokens/s", run.config().runId(),
                s.step() + 1, run.config().steps(), s.loss(), s.lr(), s.tokensPerSecond());
        refresh(false);
    }

    @Override
    public synchronized void eval(Eval e) {
        line += String.format(Locale.ROOT, "; val loss %.4f%s", e.loss(), e.best() ? " (best)" : "");
        refresh(true);
    }

    @Override
    public synchronized void ended(String statusText, String message) {
        line = statusText + (message == null ? "" : " (" + message + ")") + ": " + line;
        refresh(true);
    }

    private void refresh(boolean force) {
        long now = System.nanoTime();
        if (status == null || (!force && now - last < INTERVAL_NS)) {
            return;
        }
        last = now;
        status.update(new Html("<div style=\"font-family: monospace\">" + Html.escape(line) + "</div>", line));
        if (steps.size() > 0) {
            Table t = Table.create("loss", steps.copy(), losses.copy());
            plot.update(LinePlot.create("Training loss: " + run.config().runId(), t, "step", "train loss"));
        }
    }
}
