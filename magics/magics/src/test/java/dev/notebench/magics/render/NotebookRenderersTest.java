package dev.notebench.magics.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.display.Html;
import dev.notebench.plots.FigureHtml;
import dev.notebench.plots.LivePlot;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.ScatterPlot;

class NotebookRenderersTest {
    private final Renderer renderer = new Renderer();

    NotebookRenderersTest() {
        NotebookRenderers.builder().maxRows(4).figures(new FigureHtml("t")).build().registerInto(renderer);
    }

    @Test
    void tableRendersAsHtmlWithTheRowCapAndAsText() {
        Table t = Table.create("nums", IntColumn.create("n", 1, 2, 3, 4, 5, 6, 7, 8));
        DisplayData d = renderer.render(t);
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertEquals(6, html.split("<tr><th>", -1).length - 1, "the header, 4 rows and the marker row");
        assertTrue(html.contains("nums: 8 rows &times; 1 column"));
        assertEquals(t.print(4), d.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void figureRendersAsAPlotThatWaitsForTheBundledPlotly() {
        Table t = Table.create("xy", DoubleColumn.create("x", 1, 2), DoubleColumn.create("y", 2, 1));
        DisplayData d = renderer.render(ScatterPlot.create("Points", t, "x", "y"));
        assertTrue(FigureHtml.needsPlotly((String) d.getData(MIMEType.TEXT_HTML)));
        assertTrue(((String) d.getData(MIMEType.TEXT_HTML)).startsWith("<div id=\"t_1\""));
        assertEquals("Figure 'Points' with 1 trace (interactive in a notebook)", d.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void aLivePlotsFigureRendersAsAPlotThatWaitsForTheBundledPlotly() {
        LivePlot plot = LivePlot.builder("Loss").xTitle("step").panel("loss").trace("loss").panel("lr").trace("lr")
                .show(dev.notebench.display.Display.NONE);
        plot.add(0, 1, 2.5);
        DisplayData d = renderer.render(plot.figure());
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(FigureHtml.needsPlotly(html));
        assertTrue(html.startsWith("<div id=\"t_1\""), html);
        assertTrue(html.contains("\"yaxis2\":{\"title\":{\"text\":\"lr\"}"), html);
        assertEquals("Figure 'Loss' with 2 traces (interactive in a notebook)", d.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void htmlRendersAsItselfWithItsTextFallback() {
        DisplayData d = renderer.render(new Html("<b>hi</b>", "hi"));
        assertEquals("<b>hi</b>", d.getData(MIMEType.TEXT_HTML));
        assertEquals("hi", d.getData(MIMEType.TEXT_PLAIN));
    }
}
