package dev.notebench.plots;

import java.util.Objects;

/**
 * A plotly figure as plotly.js takes it: its traces and its layout, as JSON that Notebench writes
 * itself rather than through a template, so that every axis a trace names is declared in the
 * layout. {@link LivePlot#figure()} makes them; {@link FigureHtml} draws them, and a notebook shows
 * one passed to {@code display}.
 *
 * <pre>{@code
 * PlotlyFigure f = plot.figure();
 * Files.writeString(Path.of("training.html"), new FigureHtml().page("Training", f));
 * }</pre>
 */
public final class PlotlyFigure {
    private final String title;
    private final String data;
    private final String layout;
    private final int traces;

    PlotlyFigure(String title, String data, String layout, int traces) {
        this.title = Objects.requireNonNull(title, "title");
        this.data = Objects.requireNonNull(data, "data");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.traces = traces;
    }

    /** Returns the figure's title. */
    public String title() {
        return title;
    }

    /** Returns the traces: the JSON array that is {@code Plotly.newPlot}'s data argument. */
    public String data() {
        return data;
    }

    /** Returns the layout: the JSON object that is {@code Plotly.newPlot}'s layout argument. */
    public String layout() {
        return layout;
    }

    /** Returns the number of traces. */
    public int traces() {
        return traces;
    }

    @Override
    public String toString() {
        return "Figure" + (title.isEmpty() ? "" : " '" + title + "'") + " with " + traces + (traces == 1 ? " trace" : " traces")
                + " (interactive in a notebook)";
    }
}
