package dev.notebench.plots;

import java.util.List;

/**
 * A heatmap of counts with each count written in its cell, rows top to bottom as given: a
 * confusion matrix, say. Cells are shaded by their share of their row, so that a row of few
 * counts reads as well as a big one, and the text colour flips on dark cells.
 *
 * <pre>{@code
 * PlotlyFigure f = CountHeatmap.of("Confusion matrix", "predicted", "gold",
 *         List.of("spam", "ham"), List.of("spam", "ham", "failed"), new long[][] {{40, 3, 1}, {2, 50, 0}});
 * display(f);
 * }</pre>
 */
public final class CountHeatmap {
    private static final int CELL = 56;

    private CountHeatmap() {
    }

    /**
     * Draws the counts.
     *
     * @param title the figure's title
     * @param xTitle the title of the columns' axis
     * @param yTitle the title of the rows' axis
     * @param rows the rows' names, top to bottom
     * @param columns the columns' names, left to right
     * @param counts {@code counts[row][column]}
     * @throws IllegalArgumentException when the counts do not have the rows' and columns' shape
     */
    public static PlotlyFigure of(String title, String xTitle, String yTitle, List<String> rows, List<String> columns, long[][] counts) {
        if (counts.length != rows.size()) {
            throw new IllegalArgumentException(counts.length + " rows of counts for " + rows.size() + " row names");
        }
        StringBuilder z = new StringBuilder("[");
        StringBuilder text = new StringBuilder("[");
        for (int r = 0; r < counts.length; r++) {
            if (counts[r].length != columns.size()) {
                throw new IllegalArgumentException("row " + r + " has " + counts[r].length + " counts for " + columns.size() + " columns");
            }
            long sum = 0;
            for (long c : counts[r]) {
                sum += c;
            }
            double[] share = new double[counts[r].length];
            StringBuilder t = new StringBuilder("[");
            for (int c = 0; c < share.length; c++) {
                share[c] = sum == 0 ? 0 : Double.parseDouble(Json.fraction((double) counts[r][c] / sum));
                t.append(c == 0 ? "" : ",").append(Json.string(Long.toString(counts[r][c])));
            }
            String sep = r == 0 ? "" : ",";
            z.append(sep).append(Json.numbers(share, 0, share.length));
            text.append(sep).append(t.append(']'));
        }
        String data = "[{\"type\":\"heatmap\",\"x\":" + strings(columns) + ",\"y\":" + strings(rows) + ",\"z\":" + z.append(']')
                + ",\"text\":" + text.append(']') + ",\"texttemplate\":\"%{text}\",\"textfont\":{\"size\":14}"
                + ",\"hovertemplate\":" + Json.string(yTitle + " %{y}, " + xTitle + " %{x}: %{text} (%{z:.1%} of the row)<extra></extra>")
                + ",\"colorscale\":\"Blues\",\"reversescale\":true,\"zmin\":0,\"zmax\":1,\"xgap\":2,\"ygap\":2"
                + ",\"colorbar\":{\"title\":{\"text\":\"share of row\"},\"tickformat\":\".0%\"}}]";
        int height = Math.max(280, 160 + CELL * rows.size());
        int width = Math.max(420, 260 + CELL * 2 * columns.size());
        String layout = "{\"title\":{\"text\":" + Json.string(title) + "},\"height\":" + height + ",\"width\":" + width
                + ",\"xaxis\":{\"title\":{\"text\":" + Json.string(xTitle) + "},\"side\":\"bottom\",\"type\":\"category\","
                + "\"automargin\":true},\"yaxis\":{\"title\":{\"text\":" + Json.string(yTitle) + "},\"type\":\"category\","
                + "\"autorange\":\"reversed\",\"automargin\":true},\"margin\":{\"t\":60,\"l\":80,\"r\":40,\"b\":60}}";
        return new PlotlyFigure(title, data, layout, 1);
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ",").append(Json.string(values.get(i)));
        }
        return b.append(']').toString();
    }
}
