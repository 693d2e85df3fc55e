package dev.notebench.plots;

import java.util.ArrayList;
import java.util.List;

/**
 * The plotly layout of panels stacked top to bottom that share one x axis: every panel has a y
 * axis of its own ({@code y}, {@code y2}, ... {@code y8}) with a band of the height ({@code domain})
 * that no other panel's band overlaps, the x axis sits at the bottom of the lowest panel, and,
 * with several panels, each panel has a legend of its own ({@code legend}, {@code legend2}, ...)
 * beside its top.
 *
 * <p>Written as JSON here, with every axis declared: Tablesaw's layout template (0.44.4) writes
 * no {@code yaxis4}, and plotly spreads a trace on an undeclared axis over the whole figure.
 */
final class StackedPanels {
    /** The most panels a figure has. */
    static final int MAX = 8;
    /** Pixels between two panels: room for the tick labels at their edges. */
    static final int GAP = 30;
    /** The top margin with a title, and without. */
    static final int TOP = 60;
    static final int TOP_UNTITLED = 30;
    /** The bottom margin: tick labels and the x axis title. */
    static final int BOTTOM = 60;
    /** The least height in pixels per panel that {@link #minHeight} allows. */
    static final int PANEL_PIXELS = 80;

    private StackedPanels() {
    }

    /** A panel's band: the part of the plot's height it takes, from 0 (bottom) to 1 (top). */
    record Band(double lo, double hi) {
    }

    /** The least height of a figure of {@code panels} panels: 100 pixels, and 80 per panel. */
    static int minHeight(int panels) {
        return Math.max(100, PANEL_PIXELS * panels);
    }

    /** The y axis of a panel, numbered from 0 at the top: y, y2, y3, ... */
    static String yAxis(int panel) {
        return panel == 0 ? "y" : "y" + (panel + 1);
    }

    /** The legend of a panel, numbered from 0 at the top: legend, legend2, ... */
    static String legend(int panel) {
        return panel == 0 ? "legend" : "legend" + (panel + 1);
    }

    /**
     * The bands of the panels, top to bottom: heights in proportion to the weights, {@link #GAP}
     * pixels apart, rounded to 4 decimals; the first ends at 1 and the last starts at 0.
     *
     * @param weights each panel's weight, positive
     * @param height the figure's height in pixels, margins included
     * @param titled whether the figure has a title (a larger top margin)
     */
    static List<Band> bands(List<Double> weights, int height, boolean titled) {
        int n = weights.size();
        double plot = height - (titled ? TOP : TOP_UNTITLED) - BOTTOM;
        double gap = n > 1 ? GAP / plot : 0;
        double usable = 1 - gap * (n - 1);
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        List<Band> bands = new ArrayList<>(n);
        double top = 1;
        for (int p = 0; p < n; p++) {
            double lo = p == n - 1 ? 0 : top - usable * weights.get(p) / total;
            bands.add(new Band(round(lo), round(top)));
            top = lo - gap;
        }
        return bands;
    }

    private static double round(double d) {
        return Math.max(0, Double.parseDouble(Json.fraction(d)));
    }

    /**
     * The layout JSON.
     *
     * @param title the figure's title ("" for none)
     * @param xTitle the shared x axis's title
     * @param height the figure's height in pixels
     * @param yTitles each panel's y axis title, top to bottom
     * @param weights each panel's weight
     * @param showLegend whether legends are shown
     */
    static String layout(String title, String xTitle, int height, List<String> yTitles, List<Double> weights, boolean showLegend) {
        int n = yTitles.size();
        boolean titled = !title.isEmpty();
        List<Band> bands = bands(weights, height, titled);
        StringBuilder b = new StringBuilder(256 + 160 * n);
        b.append("{\"title\":{\"text\":").append(Json.string(title)).append('}')
                .append(",\"height\":").append(height)
                .append(",\"margin\":{\"t\":").append(titled ? TOP : TOP_UNTITLED).append(",\"b\":").append(BOTTOM).append('}')
                .append(",\"showlegend\":").append(showLegend)
                .append(",\"xaxis\":{\"title\":{\"text\":").append(Json.string(xTitle)).append("},\"domain\":[0,1],\"anchor\":")
                .append(Json.string(yAxis(n - 1))).append('}');
        for (int p = 0; p < n; p++) {
            Band band = bands.get(p);
            b.append(",\"yaxis").append(p == 0 ? "" : String.valueOf(p + 1)).append("\":{\"title\":{\"text\":")
                    .append(Json.string(yTitles.get(p))).append("},\"domain\":[").append(Json.fraction(band.lo())).append(',')
                    .append(Json.fraction(band.hi())).append("],\"anchor\":\"x\"}");
        }
        if (n > 1) {
            for (int p = 0; p < n; p++) {
                b.append(",\"").append(legend(p)).append("\":{\"x\":1.02,\"xanchor\":\"left\",\"y\":")
                        .append(Json.fraction(bands.get(p).hi())).append(",\"yanchor\":\"top\",\"tracegroupgap\":0}");
            }
        }
        return b.append('}').toString();
    }
}
