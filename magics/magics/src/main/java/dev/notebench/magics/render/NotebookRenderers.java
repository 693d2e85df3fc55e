package dev.notebench.magics.render;

import dev.notebench.display.Html;
import dev.notebench.plots.FigureHtml;
import dev.notebench.plots.PlotlyFigure;
import dev.notebench.plots.TableHtml;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Registers how Notebench shows values in a notebook:
 * <ul>
 *   <li>a Tablesaw {@link Table} as an HTML table of at most {@code maxRows} rows (text for
 *       consoles);</li>
 *   <li>a Tablesaw plotly {@link Figure} as an interactive plot that draws with the bundled
 *       plotly.js: the fragment waits for {@code window.Plotly}, which the kernel loads into the
 *       page once (see {@link FigureHtml#needsPlotly});</li>
 *   <li>a {@link PlotlyFigure} (a {@code LivePlot}'s {@code figure()}) the same way;</li>
 *   <li>{@link Html} as {@code text/html} with its text fallback.</li>
 * </ul>
 * Images ({@code java.awt.image.RenderedImage}) render as PNG through basekernel's own
 * registration.
 *
 * <pre>{@code
 * NotebookRenderers.builder().maxRows(30).build().registerInto(kernel.getRenderer());
 * }</pre>
 */
public final class NotebookRenderers {
    private final TableHtml tables;
    private final FigureHtml figures;

    private NotebookRenderers(Builder b) {
        this.tables = TableHtml.withMaxRows(b.maxRows);
        this.figures = b.figures;
    }

    /** Returns a builder with the defaults: 20 table rows, random figure ids. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers the renderers; later registrations for the same type come after earlier ones.
     *
     * @param renderer the kernel's renderer
     */
    public void registerInto(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> tables.html(table));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> tables.text(table));
                });
        renderer.createRegistration(Figure.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((figure, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> figures.fragment(figure, figures.newDivId()));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> describe(figure));
                });
        renderer.createRegistration(PlotlyFigure.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((figure, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> figures.fragment(figure, figures.newDivId()));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, figure::toString);
                });
        renderer.createRegistration(Html.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((html, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, html::html);
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, html::text);
                });
    }

    private static String describe(Figure figure) {
        String title = figure.getLayout() == null ? null : figure.getLayout().getTitle();
        int traces = figure.getTraces() == null ? 0 : figure.getTraces().length;
        return "Figure" + (title == null || title.isEmpty() ? "" : " '" + title + "'")
                + " with " + traces + (traces == 1 ? " trace" : " traces")
                + " (interactive in a notebook)";
    }

    /** Configures {@link NotebookRenderers}. */
    public static final class Builder {
        private int maxRows = TableHtml.DEFAULT_MAX_ROWS;
        private FigureHtml figures = new FigureHtml();

        private Builder() {
        }

        /**
         * Sets how many rows of a table are shown.
         *
         * @param maxRows at least 2
         */
        public Builder maxRows(int maxRows) {
            if (maxRows < 2) {
                throw new IllegalArgumentException("maxRows must be at least 2, got " + maxRows);
            }
            this.maxRows = maxRows;
            return this;
        }

        /**
         * Sets the figure renderer, e.g. one with a fixed id prefix for reproducible output.
         *
         * @param figures the figure renderer
         */
        public Builder figures(FigureHtml figures) {
            this.figures = figures;
            return this;
        }

        /** Returns the configured renderers. */
        public NotebookRenderers build() {
            return new NotebookRenderers(this);
        }
    }
}
