package dev.notebench.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;
import tech.tablesaw.plotly.components.Figure;

class FigureHtmlTest {
    private static Figure figure() {
        Table t = Table.create("t", DoubleColumn.create("x", 1, 2, 3), DoubleColumn.create("y", 3, 1, 2));
        return LinePlot.create("Title </script> here", t, "x", "y");
    }

    @Test
    void fragmentWaitsForPlotlyAndNeverLoadsItFromACdn() {
        String html = new FigureHtml("fig").fragment(figure(), "fig-1");
        assertTrue(html.startsWith("<div id=\"fig-1\" class=\"notebench-figure\"></div>\n"), html);
        assertTrue(html.contains("if (window.Plotly) { draw(); } else { (window.__notebenchPlotlyQueue"), html);
        assertFalse(html.contains("cdn"), html);
        assertFalse(html.contains("Title </script>"), "a title cannot end the script early");
        assertTrue(FigureHtml.needsPlotly(html));
        assertFalse(FigureHtml.needsPlotly("<p>no figure</p>"));
    }

    @Test
    void pageInlinesThePinnedPlotlyOnceAndDrawsEveryFigure() {
        String page = new FigureHtml("fig").page("Two", figure(), figure());
        assertEquals(1, page.split("Plotly", -1).length > 1 ? count(page, PlotlyJs.source()) : 0);
        assertTrue(page.contains("<div id=\"fig-1\"") && page.contains("<div id=\"fig-2\""));
        assertTrue(PlotlyJs.source().contains("2.35.3"), "bundled plotly.js is the pinned " + PlotlyJs.VERSION);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
