package dev.notebench.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableHtmlTest {

    @Test
    void smallTableRendersEveryRowWithEscapedCellsAndTypedHeaders() {
        Table t = Table.create("pets", StringColumn.create("name", "<cat>", "dog & co"), IntColumn.create("legs", 4, 3));
        assertEquals("<div class=\"notebench-table\">\n<table class=\"dataframe\" border=\"1\">\n"
                + "<caption style=\"caption-side: top; text-align: left\">pets: 2 rows &times; 2 columns</caption>\n"
                + "<thead>\n<tr><th></th><th title=\"STRING\">name</th><th title=\"INTEGER\">legs</th></tr>\n</thead>\n<tbody>\n"
                + "<tr><th>0</th><td>&lt;cat&gt;</td><td>4</td></tr>\n"
                + "<tr><th>1</th><td>dog &amp; co</td><td>3</td></tr>\n"
                + "</tbody>\n</table>\n</div>\n", TableHtml.withMaxRows(20).html(t));
    }

    @Test
    void longTableShowsHeadAndTailAroundAMarkerRow() {
        Table t = Table.create("n", IntColumn.create("i", 0, 1, 2, 3, 4, 5, 6));
        String html = TableHtml.withMaxRows(3).html(t);
        assertEquals("<tr><th>0</th><td>0</td></tr>\n<tr><th>1</th><td>1</td></tr>\n"
                + "<tr><th>&hellip;</th><td>&hellip;</td></tr>\n<tr><th>6</th><td>6</td></tr>\n",
                html.substring(html.indexOf("<tbody>\n") + 8, html.indexOf("</tbody>")));
        assertEquals("n: 7 rows &times; 1 column", html.substring(html.indexOf("left\">") + 6, html.indexOf("</caption>")));
    }

    @Test
    void rowBudgetBelowTwoIsRejected() {
        assertEquals("maxRows must be at least 2, got 1",
                assertThrows(IllegalArgumentException.class, () -> TableHtml.withMaxRows(1)).getMessage());
    }
}
