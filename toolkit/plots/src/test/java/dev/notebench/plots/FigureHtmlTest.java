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
        String html = new FigureHtml("fig").fragment(figure(), "fig_1");
        assertTrue(html.startsWith("<div id=\"fig_1\" class=\"notebench-figure\"></div>\n"), html);
        assertTrue(html.contains("if (window.Plotly) { draw(); } else { (window.__notebenchPlotlyQueue"), html);
        assertFalse(html.contains("cdn"), html);
        assertFalse(html.contains("Title </script>"), "a title cannot end the script early");
        assertTrue(FigureHtml.needsPlotly(html));
        assertFalse(FigureHtml.needsPlotly("<p>no figure</p>"));
    }

    @Test
    void pageInlinesThePinnedPlotlyOnceAndDrawsEveryFigure() {
        String page = new FigureHtml("fig").page("Two", figure(), figure());
        assertEquals(1, count(page, PlotlyJs.source()));
        assertTrue(page.contains("<div id=\"fig_1\"") && page.contains("<div id=\"fig_2\""));
        assertTrue(PlotlyJs.source().contains("2.35.3"), "bundled plotly.js is the pinned " + PlotlyJs.VERSION);
    }

    @Test
    void idsAreValidJavaScriptNamesBecauseTablesawUsesThemInItsScript() {
        FigureHtml html = new FigureHtml();
        String id = html.newDivId();
        assertTrue(id.matches("nbfig_[0-9a-f]{12}_1"), id);
        assertEquals("figure id 'fig-1' must start with a letter and have only letters, digits and '_': "
                + "Tablesaw uses it in JavaScript variable names",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> html.fragment(figure(), "fig-1")).getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new FigureHtml("9x"));
    }

    @Test
    void fragmentScriptIsValidJavaScript(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String html = new FigureHtml().fragment(figure(), "nbfig_abc_1");
        String js = html.substring(html.indexOf("<script type=\"text/javascript\">") + 31, html.lastIndexOf("</script>"));
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("fig.js"), js);
        Process node = new ProcessBuilder("node", "--check", file.toString()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes());
        assertEquals(0, node.waitFor(), "node --check: " + out);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
