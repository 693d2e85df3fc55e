package dev.notebench.progress;

import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.display.Html;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A progress bar in a notebook output: an HTML {@code <progress>} with the stage, the position,
 * the rate and the time left, replaced in place at most every 150 ms (and always when a stage
 * starts or the job ends). Its plain-text form is the same line, for front ends without HTML.
 */
public final class NotebookProgress implements Progress {
    private static final long MIN_INTERVAL_NS = 150_000_000L;

    private final DisplayHandle handle;
    private final LongSupplier clock;
    private final ProgressState state = new ProgressState();
    private long lastDrawn;
    private boolean closed;

    /**
     * Shows an empty bar.
     *
     * @param display where, e.g. {@code notebook()} in a cell
     */
    public NotebookProgress(Display display) {
        this(display, System::nanoTime);
    }

    /**
     * Shows an empty bar, timed by a clock (for tests).
     *
     * @param display where
     * @param clock nanoseconds, as {@link System#nanoTime()}
     */
    public NotebookProgress(Display display, LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.handle = Objects.requireNonNull(display, "display").show(new Html(
                "<div class=\"notebench-progress\" style=\"font-family: monospace\">starting…</div>", "starting..."));
        state.stage("starting", 0, "", 0, clock.getAsLong());
    }

    @Override
    public synchronized void stage(String name, long total, String unit, long from) {
        if (closed) {
            return;
        }
        state.stage(name, total, unit, from, clock.getAsLong());
        draw(true);
    }

    @Override
    public synchronized void update(long done) {
        if (closed) {
            return;
        }
        state.update(done);
        draw(state.complete());
    }

    @Override
    public synchronized void advance(long n) {
        if (closed) {
            return;
        }
        state.advance(n);
        draw(state.complete());
    }

    @Override
    public synchronized void note(String text) {
        if (!closed) {
            state.note(text);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            draw(true);
            closed = true;
        }
    }

    private void draw(boolean force) {
        long now = clock.getAsLong();
        if (!force && now - lastDrawn < MIN_INTERVAL_NS) {
            return;
        }
        lastDrawn = now;
        String text = state.text(now);
        double frac = state.fraction();
        String bar = frac < 0 ? "<progress style=\"width: 24em\"></progress>"
                : "<progress value=\"" + String.format(Locale.ROOT, "%.4f", frac) + "\" max=\"1\" style=\"width: 24em\"></progress>";
        handle.update(new Html("<div class=\"notebench-progress\" style=\"font-family: monospace\">" + bar + " "
                + Html.escape(text) + "</div>", text));
    }
}
