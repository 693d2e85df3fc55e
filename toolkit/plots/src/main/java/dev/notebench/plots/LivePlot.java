package dev.notebench.plots;

import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.display.Html;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A plotly line chart that grows in place while something runs: points are added to named traces
 * on stacked panels that share the x axis, and the notebook receives only the new points
 * ({@code Plotly.extendTraces}) at most every {@link Builder#refresh(Duration) refresh} interval.
 *
 * <p>One to eight panels, top to bottom: each has a band of the figure's height of its own, a
 * titled y axis and, with several panels, a legend of its own beside it; the x axis is shared and
 * sits at the bottom. Notebench writes the plotly layout itself, declaring every axis.
 *
 * <p>Two outputs make it up: the figure, and below it an empty-looking output holding a script
 * with the points added since the figure was last drawn. The script appends only the points the
 * figure does not have yet, so running it twice (a notebook reopened while the plot grows) adds
 * nothing twice. When those points outnumber the drawn ones, the figure is drawn again with all
 * points (so the bytes sent stay proportional to the points); {@link #close()} draws it a last
 * time and empties the script, so a saved or exported notebook holds one plain figure.
 *
 * <pre>{@code
 * LivePlot plot = LivePlot.builder("Training").xTitle("step")
 *         .panel("loss").trace("train loss").trace("val loss", LivePlot.Style.MARKERS)
 *         .panel("learning rate").trace("lr")
 *         .show(notebook());
 * plot.add(0, step, loss);
 * plot.close();
 * }</pre>
 *
 * <p>Safe to call from any thread.
 */
public final class LivePlot implements AutoCloseable {
    /** How a trace is drawn. */
    public enum Style {
        /** A line through the points. */
        LINE,
        /** A thin, faint line: raw values under a smoothed one. */
        FAINT,
        /** One marker per point, no line: sparse values such as evaluations. */
        MARKERS
    }

    private static final int MAX_PANELS = StackedPanels.MAX;
    private static final int MIN_DELTA_BEFORE_REDRAW = 256;

    private final String title;
    private final String xTitle;
    private final int height;
    private final long refreshNanos;
    private final LongSupplier clock;
    private final List<Panel> panels;
    private final List<Series> series = new ArrayList<>();
    private final FigureHtml html;
    private final DisplayHandle figureHandle;
    private final DisplayHandle deltaHandle;
    private String divId;
    private long lastSent;
    private boolean dirty;
    private boolean closed;
    private int redraws;

    private record Panel(String yTitle, double weight, List<Integer> traces) {
    }

    private static final class Series {
        final String name;
        final int panel;
        final Style style;
        double[] x = new double[64];
        double[] y = new double[64];
        int size;
        int drawn; // points in the figure as last drawn

        Series(String name, int panel, Style style) {
            this.name = name;
            this.panel = panel;
            this.style = style;
        }

        void add(double px, double py) {
            if (size == x.length) {
                x = Arrays.copyOf(x, size * 2);
                y = Arrays.copyOf(y, size * 2);
            }
            x[size] = px;
            y[size] = py;
            size++;
        }
    }

    private LivePlot(Builder b, Display display) {
        this.title = b.title;
        this.xTitle = b.xTitle;
        this.height = b.height;
        this.refreshNanos = b.refresh.toNanos();
        this.clock = b.clock;
        this.panels = List.copyOf(b.panels);
        for (int p = 0; p < panels.size(); p++) {
            for (int t : panels.get(p).traces()) {
                series.add(t, new Series(b.traceNames.get(t), p, b.traceStyles.get(t)));
            }
        }
        this.html = b.ids == null ? new FigureHtml() : new FigureHtml(b.ids);
        this.divId = html.newDivId();
        this.figureHandle = display.show(new Html(html.fragment(figure(true), divId), title));
        this.deltaHandle = display.show(new Html("", ""));
        this.lastSent = clock.getAsLong();
    }

    /**
     * Starts describing a plot.
     *
     * @param title the figure's title
     */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** Returns the number of traces. */
    public int traces() {
        return series.size();
    }

    /**
     * Returns how many points a trace has.
     *
     * @param trace the trace, numbered in the order the builder declared them
     */
    public synchronized int points(int trace) {
        return series.get(trace).size;
    }

    /** Returns how many times the whole figure was sent (the first time included). */
    public synchronized int redraws() {
        return redraws + 1;
    }

    /**
     * Adds a point to a trace; the notebook gets it with the next refresh.
     *
     * @param trace the trace, numbered in the order the builder declared them
     * @param x the x value
     * @param y the y value; NaN and infinities are left out (plotly cannot draw them)
     */
    public synchronized void add(int trace, double x, double y) {
        Objects.checkIndex(trace, series.size());
        if (closed || !Double.isFinite(x) || !Double.isFinite(y)) {
            return;
        }
        series.get(trace).add(x, y);
        dirty = true;
        long now = clock.getAsLong();
        if (now - lastSent >= refreshNanos) {
            send(now);
        }
    }

    /** Sends the points added since the last refresh now, whatever the interval. */
    public synchronized void flush() {
        if (dirty && !closed) {
            send(clock.getAsLong());
        }
    }

    /**
     * Returns the whole figure as it stands: for reports, or to show it again. A trace with no
     * points yet is hidden (no legend entry with nothing drawn).
     */
    public synchronized PlotlyFigure figure() {
        return figure(false);
    }

    /**
     * The figure; while the plot is live, traces with no points stay visible, so that the points
     * {@code extendTraces} adds to them later show.
     */
    private PlotlyFigure figure(boolean live) {
        StringBuilder data = new StringBuilder("[");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            data.append(i == 0 ? "" : ",").append("{\"type\":\"scatter\",\"name\":").append(Json.string(s.name))
                    .append(",\"x\":").append(Json.numbers(s.x, 0, s.size)).append(",\"y\":").append(Json.numbers(s.y, 0, s.size))
                    .append(",\"xaxis\":\"x\",\"yaxis\":").append(Json.string(StackedPanels.yAxis(s.panel)));
            if (panels.size() > 1) {
                data.append(",\"legend\":").append(Json.string(StackedPanels.legend(s.panel)));
            }
            data.append(switch (s.style) {
                case LINE -> ",\"mode\":\"lines\",\"line\":{\"width\":2}";
                case FAINT -> ",\"mode\":\"lines\",\"line\":{\"width\":1},\"opacity\":0.35";
                case MARKERS -> ",\"mode\":\"markers\",\"marker\":{\"size\":7}";
            });
            if (!live && s.size == 0) {
                data.append(",\"visible\":false");
            }
            data.append('}');
        }
        String layout = StackedPanels.layout(title, xTitle, height, panels.stream().map(Panel::yTitle).toList(),
                panels.stream().map(Panel::weight).toList(), series.size() > 1);
        return new PlotlyFigure(title, data.append(']').toString(), layout, series.size());
    }

    /** Draws the whole figure a last time and empties the script output; later points are ignored. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        redraw();
    }

    private void send(long now) {
        lastSent = now;
        dirty = false;
        int pending = 0;
        int drawn = 0;
        for (Series s : series) {
            pending += s.size - s.drawn;
            drawn += s.drawn;
        }
        if (pending > Math.max(MIN_DELTA_BEFORE_REDRAW, drawn)) {
            redraw();
            return;
        }
        deltaHandle.update(new Html(deltaScript(), ""));
    }

    private void redraw() {
        divId = html.newDivId();
        figureHandle.update(new Html(html.fragment(figure(!closed), divId), title));
        for (Series s : series) {
            s.drawn = s.size;
        }
        redraws++;
        deltaHandle.update(new Html("", ""));
    }

    /**
     * A script that brings each trace of the drawn figure up to date: it carries every point added
     * since the figure was drawn and appends those past the trace's current length.
     */
    private String deltaScript() {
        StringBuilder xs = new StringBuilder("[");
        StringBuilder ys = new StringBuilder("[");
        StringBuilder base = new StringBuilder("[");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String sep = i == 0 ? "" : ",";
            xs.append(sep).append(Json.numbers(s.x, s.drawn, s.size));
            ys.append(sep).append(Json.numbers(s.y, s.drawn, s.size));
            base.append(sep).append(s.drawn);
        }
        return "<script type=\"text/javascript\">\n(function() {\n"
                + "var d = document.getElementById('" + divId + "');\n"
                + "if (!d || !window.Plotly || !d.data) { return; }\n"
                + "var xs = " + xs + "], ys = " + ys + "], base = " + base + "];\n"
                + "var ux = [], uy = [], idx = [];\n"
                + "for (var i = 0; i < xs.length; i++) {\n"
                + "  var have = d.data[i] && d.data[i].x ? d.data[i].x.length : 0;\n"
                + "  var from = have - base[i];\n"
                + "  if (from >= 0 && from < xs[i].length) {\n"
                + "    ux.push(xs[i].slice(from)); uy.push(ys[i].slice(from)); idx.push(i);\n"
                + "  }\n"
                + "}\n"
                + "if (idx.length) { Plotly.extendTraces(d, {x: ux, y: uy}, idx); }\n"
                + "})();\n</script>\n";
    }

    /** Describes a live plot: panels top to bottom, each with its traces. */
    public static final class Builder {
        private final String title;
        private String xTitle = "";
        private int height = 0;
        private Duration refresh = Duration.ofMillis(500);
        private LongSupplier clock = System::nanoTime;
        private String ids;
        private final List<Panel> panels = new ArrayList<>();
        private final List<String> traceNames = new ArrayList<>();
        private final List<Style> traceStyles = new ArrayList<>();

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "title");
        }

        /** Sets the x axis title. */
        public Builder xTitle(String xTitle) {
            this.xTitle = Objects.requireNonNull(xTitle, "xTitle");
            return this;
        }

        /**
         * Sets the figure's height in pixels (default: 300 plus 150 per panel after the first);
         * at least 100, and 80 per panel.
         */
        public Builder height(int pixels) {
            if (pixels < 100) {
                throw new IllegalArgumentException("a plot of " + pixels + " pixels is too small to read; use 100 or more");
            }
            this.height = pixels;
            return this;
        }

        /**
         * Sets the shortest time between two updates sent to the notebook (default 500 ms).
         *
         * @param refresh at least 50 ms
         */
        public Builder refresh(Duration refresh) {
            if (refresh.toMillis() < 50) {
                throw new IllegalArgumentException("refresh every " + refresh.toMillis() + " ms would flood the notebook;"
                        + " use 50 ms or more");
            }
            this.refresh = refresh;
            return this;
        }

        /**
         * Sets the clock that times the refresh interval (default {@link System#nanoTime()}): tests
         * pass one they move by hand.
         *
         * @param nanos monotonic nanoseconds
         */
        public Builder clock(LongSupplier nanos) {
            this.clock = Objects.requireNonNull(nanos, "nanos");
            return this;
        }

        /**
         * Makes div ids start with a fixed prefix instead of a random one (for reproducible output).
         *
         * @param prefix letters, digits and '_'
         */
        public Builder ids(String prefix) {
            new FigureHtml(prefix); // validates
            this.ids = prefix;
            return this;
        }

        /** Adds a panel of weight 1 below the previous ones; later traces go on it. */
        public Builder panel(String yTitle) {
            return panel(yTitle, 1);
        }

        /**
         * Adds a panel below the previous ones; later traces go on it.
         *
         * @param yTitle the panel's y axis title
         * @param weight its height relative to the other panels
         */
        public Builder panel(String yTitle, double weight) {
            if (panels.size() == MAX_PANELS) {
                throw new IllegalArgumentException("a live plot has at most " + MAX_PANELS + " panels; use a second plot");
            }
            if (!(weight > 0)) {
                throw new IllegalArgumentException("panel weight " + weight + " must be positive");
            }
            panels.add(new Panel(Objects.requireNonNull(yTitle, "yTitle"), weight, new ArrayList<>()));
            return this;
        }

        /** Adds a line trace to the current panel. */
        public Builder trace(String name) {
            return trace(name, Style.LINE);
        }

        /**
         * Adds a trace to the current panel (a first panel is made if there is none).
         *
         * @param name the legend entry
         * @param style how it is drawn
         */
        public Builder trace(String name, Style style) {
            if (panels.isEmpty()) {
                panel("");
            }
            panels.get(panels.size() - 1).traces().add(traceNames.size());
            traceNames.add(Objects.requireNonNull(name, "name"));
            traceStyles.add(Objects.requireNonNull(style, "style"));
            return this;
        }

        /**
         * Shows the (empty) plot and returns it, ready for points.
         *
         * @param display where to show it, e.g. {@code notebook()} in a cell
         */
        public LivePlot show(Display display) {
            if (traceNames.isEmpty()) {
                throw new IllegalStateException("a live plot needs at least one trace");
            }
            if (height == 0) {
                height = 300 + 150 * (panels.size() - 1);
            } else if (height < StackedPanels.minHeight(panels.size())) {
                throw new IllegalArgumentException("a plot of " + height + " pixels is too small for " + panels.size()
                        + " panels; use height(" + StackedPanels.minHeight(panels.size()) + ") or more, or fewer panels");
            }
            return new LivePlot(this, Objects.requireNonNull(display, "display"));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LivePlot[%s, %d traces]", title, series.size());
    }
}
