package dev.notebench.plots;

import dev.notebench.display.Html;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Renders a Tablesaw {@link Table} as an HTML table in the style Jupyter users know from pandas
 * ({@code class="dataframe"}), showing at most a fixed number of rows: the first half and the
 * last half of the budget, with a marker row between them.
 *
 * <pre>{@code
 * String html = TableHtml.withMaxRows(20).html(table);
 * }</pre>
 */
public final class TableHtml {
    /** The row budget used when none is given. */
    public static final int DEFAULT_MAX_ROWS = 20;

    private final int maxRows;

    private TableHtml(int maxRows) {
        if (maxRows < 2) {
            throw new IllegalArgumentException("maxRows must be at least 2, got " + maxRows);
        }
        this.maxRows = maxRows;
    }

    /**
     * Returns a renderer that shows at most {@code maxRows} rows.
     *
     * @param maxRows the row budget, at least 2
     */
    public static TableHtml withMaxRows(int maxRows) {
        return new TableHtml(maxRows);
    }

    /** Returns the row budget. */
    public int maxRows() {
        return maxRows;
    }

    /**
     * Returns the HTML fragment for {@code table}.
     *
     * @param table the table
     */
    public String html(Table table) {
        int rows = table.rowCount();
        boolean cut = rows > maxRows;
        int head = cut ? (maxRows + 1) / 2 : rows;
        int tail = cut ? maxRows / 2 : 0;
        StringBuilder out = new StringBuilder(256 + 64 * Math.min(rows, maxRows) * Math.max(1, table.columnCount()));
        out.append("<div class=\"notebench-table\">\n<table class=\"dataframe\" border=\"1\">\n");
        out.append("<caption style=\"caption-side: top; text-align: left\">")
                .append(Html.escape(table.name() == null ? "" : table.name()))
                .append(table.name() == null || table.name().isEmpty() ? "" : ": ")
                .append(rows).append(rows == 1 ? " row" : " rows").append(" &times; ")
                .append(table.columnCount()).append(table.columnCount() == 1 ? " column" : " columns")
                .append("</caption>\n<thead>\n<tr><th></th>");
        for (Column<?> c : table.columns()) {
            out.append("<th title=\"").append(Html.escape(c.type().name())).append("\">")
                    .append(Html.escape(c.name())).append("</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        for (int r = 0; r < head; r++) {
            row(out, table, r);
        }
        if (cut) {
            out.append("<tr><th>&hellip;</th>");
            for (int c = 0; c < table.columnCount(); c++) {
                out.append("<td>&hellip;</td>");
            }
            out.append("</tr>\n");
            for (int r = rows - tail; r < rows; r++) {
                row(out, table, r);
            }
        }
        out.append("</tbody>\n</table>\n</div>\n");
        return out.toString();
    }

    /**
     * Returns the plain-text form for {@code table}, for consoles and exports without HTML.
     *
     * @param table the table
     */
    public String text(Table table) {
        return table.print(maxRows);
    }

    private static void row(StringBuilder out, Table table, int r) {
        out.append("<tr><th>").append(r).append("</th>");
        for (Column<?> c : table.columns()) {
            out.append("<td>").append(Html.escape(c.getString(r))).append("</td>");
        }
        out.append("</tr>\n");
    }
}
