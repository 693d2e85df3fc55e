package dev.notebench.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.display.Html;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivePlotTest {
    @TempDir
    Path tmp;

    /** A fake notebook: records what is shown and every update of it, as HTML. */
    static final class Recording implements Display {
        final List<List<String>> outputs = new ArrayList<>();

        @Override
        public synchronized DisplayHandle show(Object value) {
            List<String> versions = new ArrayList<>();
            versions.add(((Html) value).html());
            outputs.add(versions);
            String id = "out" + outputs.size();
            return new DisplayHandle() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public void update(Object v) {
                    synchronized (Recording.this) {
                        versions.add(((Html) v).html());
                    }
                }
            };
        }

        String figure() {
            List<String> v = outputs.get(0);
            return v.get(v.size() - 1);
        }

        String delta() {
            List<String> v = outputs.get(1);
            return v.get(v.size() - 1);
        }

        int updates(int output) {
            return outputs.get(output).size() - 1;
        }
    }

    private static LivePlot plot(Recording nb, Duration refresh) {
        return plot(nb, refresh, System::nanoTime);
    }

    private static LivePlot plot(Recording nb, Duration refresh, java.util.function.LongSupplier clock) {
        return LivePlot.builder("Training").xTitle("step").ids("nbtest").refresh(refresh).clock(clock)
                .panel("loss", 2).trace("train loss", LivePlot.Style.FAINT).trace("val loss", LivePlot.Style.MARKERS)
                .panel("lr").trace("lr")
                .show(nb);
    }

    @Test
    void aPlotIsAFigureAndAnEmptyScriptOutput() {
        Recording nb = new Recording();
        LivePlot p = plot(nb, Duration.ofHours(1));
        assertEquals(2, nb.outputs.size());
        assertTrue(nb.figure().startsWith("<div id=\"nbtest_1\" class=\"notebench-figure\"></div>"), nb.figure());
        assertTrue(FigureHtml.needsPlotly(nb.figure()));
        assertTrue(nb.figure().contains("\"yaxis2\":{\"title\":{\"text\":\"lr\"},\"domain\":[0,0.303],\"anchor\":\"x\"}"),
                nb.figure());
        assertEquals("", nb.delta());
        assertEquals(3, p.traces());
    }

    @Test
    void onlyPointsAddedSinceTheFigureWasDrawnAreSentAndNotBeforeTheRefreshInterval() {
        Recording nb = new Recording();
        LivePlot p = plot(nb, Duration.ofHours(1));
        p.add(0, 0, 4.5);
        p.add(0, 1, 4.25);
        p.add(2, 1, 0.001);
        assertEquals(0, nb.updates(1), "within the refresh interval nothing is sent");
        p.flush();
        assertEquals(1, nb.updates(1));
        assertEquals(0, nb.updates(0), "the figure itself is not sent again");
        assertTrue(nb.delta().contains("var xs = [[0,1],[],[1]], ys = [[4.5,4.25],[],[0.001]], base = [0,0,0];"), nb.delta());
        p.flush();
        assertEquals(1, nb.updates(1), "nothing new, nothing sent");
        p.add(1, 1, 4.0);
        p.flush();
        assertTrue(nb.delta().contains("var xs = [[0,1],[1],[1]], ys = [[4.5,4.25],[4],[0.001]], base = [0,0,0];"),
                nb.delta());
    }

    @Test
    void pointsAreSentByThemselvesOnceTheIntervalHasPassed() {
        Recording nb = new Recording();
        long[] now = {1_000_000_000L};
        LivePlot p = plot(nb, Duration.ofMillis(500), () -> now[0]);
        now[0] += 499_999_999L;
        p.add(0, 0, 1.0);
        assertEquals(0, nb.updates(1), "a nanosecond before the interval ends nothing is sent");
        now[0] += 1;
        p.add(0, 1, 2.0);
        assertEquals(1, nb.updates(1), "the interval has passed: both points are sent");
        now[0] += 499_999_999L;
        p.add(0, 2, 3.0);
        assertEquals(1, nb.updates(1), "the third point waits for the next interval");
        now[0] += 1;
        p.add(0, 3, 4.0);
        assertEquals(2, nb.updates(1));
        assertTrue(nb.delta().contains("var xs = [[0,1,2,3],[],[]]"), nb.delta());
    }

    @Test
    void theScriptAppendsEachPointOnceEvenWhenItRunsAgain() throws Exception {
        Recording nb = new Recording();
        LivePlot p = plot(nb, Duration.ofHours(1));
        p.add(0, 0, 4.5);
        p.add(0, 1, 4.25);
        p.add(2, 1, 0.001);
        p.flush();
        String first = script(nb.delta());
        p.add(0, 2, 4.0);
        p.add(1, 2, 4.1);
        p.flush();
        String second = script(nb.delta());
        // a drawn figure with no points yet, the first update run twice, then the second
        String js = "var d = {data: [{x: [], y: []}, {x: [], y: []}, {x: [], y: []}]};\n"
                + "var document = {getElementById: function (id) { return id === 'nbtest_1' ? d : null; }};\n"
                + "var Plotly = {extendTraces: function (div, u, idx) { for (var k = 0; k < idx.length; k++) {\n"
                + "  div.data[idx[k]].x = div.data[idx[k]].x.concat(u.x[k]);\n"
                + "  div.data[idx[k]].y = div.data[idx[k]].y.concat(u.y[k]); } }};\n"
                + "var window = {Plotly: Plotly};\n"
                + first + first + second + second
                + "console.log(JSON.stringify(d.data));\n";
        Path file = Files.writeString(tmp.resolve("delta.js"), js, StandardCharsets.UTF_8);
        Process node = new ProcessBuilder("node", file.toString()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, node.waitFor(), out);
        assertEquals("[{\"x\":[0,1,2],\"y\":[4.5,4.25,4]},{\"x\":[2],\"y\":[4.1]},{\"x\":[1],\"y\":[0.001]}]", out);
    }

    @Test
    void theFigureIsDrawnAgainWhenNewPointsOutnumberTheDrawnOnes() {
        Recording nb = new Recording();
        LivePlot p = plot(nb, Duration.ofHours(1));
        for (int i = 0; i < 1000; i++) {
            p.add(0, i, 1.0 / (i + 1));
            p.flush();
        }
        // redrawn at 257 new points, then when the new ones outnumber the drawn ones: 515
        assertEquals(3, p.redraws());
        assertEquals(2, nb.updates(0));
        assertTrue(nb.figure().contains("<div id=\"nbtest_3\""), "each drawing has a div of its own");
        assertTrue(nb.delta().contains("base = [515,0,0]"), nb.delta().substring(0, 200));
        assertTrue(nb.delta().contains("getElementById('nbtest_3')"));
    }

    @Test
    void closingDrawsEveryPointAndEmptiesTheScript() {
        Recording nb = new Recording();
        LivePlot p = plot(nb, Duration.ofHours(1));
        p.add(0, 0, 3.0);
        p.add(0, 1, Double.NaN);
        p.add(2, 1, 0.5);
        p.flush();
        p.close();
        assertEquals("", nb.delta());
        assertTrue(nb.figure().contains("{\"type\":\"scatter\",\"name\":\"train loss\",\"x\":[0],\"y\":[3],\"xaxis\":\"x\","
                + "\"yaxis\":\"y\",\"legend\":\"legend\",\"mode\":\"lines\",\"line\":{\"width\":1},\"opacity\":0.35}"), nb.figure());
        assertTrue(nb.figure().contains("{\"type\":\"scatter\",\"name\":\"val loss\",\"x\":[],\"y\":[],\"xaxis\":\"x\","
                + "\"yaxis\":\"y\",\"legend\":\"legend\",\"mode\":\"markers\",\"marker\":{\"size\":7},\"visible\":false}"),
                "a trace with no points has no legend entry in the final figure: " + nb.figure());
        assertTrue(nb.figure().contains("{\"type\":\"scatter\",\"name\":\"lr\",\"x\":[1],\"y\":[0.5],\"xaxis\":\"x\","
                + "\"yaxis\":\"y2\",\"legend\":\"legend2\",\"mode\":\"lines\",\"line\":{\"width\":2}}"), nb.figure());
        assertEquals(1, p.points(0), "NaN is left out");
        assertEquals(0, p.points(1));
        assertEquals(1, p.points(2));
        p.add(0, 2, 1.0);
        assertEquals(1, p.points(0), "a closed plot takes no points");
        int updates = nb.updates(0);
        p.close();
        assertEquals(updates, nb.updates(0), "closing twice draws once");
    }

    @Test
    void theTrainingViewsFourthPanelHasABandAnAxisAndALegendOfItsOwn() {
        // Tablesaw's layout template wrote no yaxis4: tokens/s covered the whole figure
        Recording nb = new Recording();
        LivePlot.builder("Training: gpt-sotu").xTitle("step").ids("nbtest").refresh(Duration.ofHours(1))
                .panel("loss", 2.5).trace("train loss", LivePlot.Style.FAINT).trace("train loss (smoothed)")
                .trace("val loss", LivePlot.Style.MARKERS)
                .panel("learning rate").trace("lr")
                .panel("grad norm").trace("grad norm")
                .panel("tokens/s").trace("tokens/s")
                .show(nb);
        String figure = nb.figure();
        assertTrue(figure.contains("\"yaxis4\":{\"title\":{\"text\":\"tokens/s\"},\"domain\":[0,0.1558],\"anchor\":\"x\"}"), figure);
        assertTrue(figure.contains("\"xaxis\":{\"title\":{\"text\":\"step\"},\"domain\":[0,1],\"anchor\":\"y4\"}"),
                "the step axis sits at the bottom: " + figure);
        assertTrue(figure.contains("\"name\":\"tokens/s\",\"x\":[],\"y\":[],\"xaxis\":\"x\",\"yaxis\":\"y4\",\"legend\":\"legend4\","),
                figure);
        assertTrue(figure.contains("\"name\":\"val loss\",\"x\":[],\"y\":[],\"xaxis\":\"x\",\"yaxis\":\"y\",\"legend\":\"legend\","
                + "\"mode\":\"markers\",\"marker\":{\"size\":7}}"), "while live, an empty trace stays visible for the points to come");
    }

    @Test
    void oneToEightPanelsDeclareEveryAxisTheirTracesSitOn() {
        for (int n = 1; n <= 8; n++) {
            LivePlot.Builder b = LivePlot.builder("t").xTitle("step").refresh(Duration.ofHours(1));
            for (int p = 0; p < n; p++) {
                b.panel("panel " + p).trace("a" + p).trace("b" + p, LivePlot.Style.MARKERS);
            }
            LivePlot plot = b.show(Display.NONE);
            for (int t = 0; t < plot.traces(); t++) {
                plot.add(t, 1, t);
            }
            PlotlyFigure figure = plot.figure();
            JsonObject layout = JsonParser.parseString(figure.layout()).getAsJsonObject();
            JsonArray data = JsonParser.parseString(figure.data()).getAsJsonArray();
            assertEquals(2 * n, data.size());
            assertEquals(2 * n, figure.traces());
            for (int t = 0; t < data.size(); t++) {
                JsonObject trace = data.get(t).getAsJsonObject();
                int panel = t / 2;
                String y = trace.get("yaxis").getAsString();
                assertEquals(StackedPanels.yAxis(panel), y);
                JsonObject axis = layout.getAsJsonObject("yaxis" + y.substring(1));
                assertEquals("panel " + panel, axis.getAsJsonObject("title").get("text").getAsString(), n + " panels, trace " + t);
                assertEquals(n == 1 ? null : StackedPanels.legend(panel),
                        trace.has("legend") ? trace.get("legend").getAsString() : null);
                assertEquals("[1]", trace.get("x").toString());
                assertEquals("[" + t + "]", trace.get("y").toString());
            }
        }
    }

    @Test
    void theFigureScriptHandsPlotlyTheFiguresDataAndLayout() throws Exception {
        LivePlot plot = LivePlot.builder("Loss </script> & more").xTitle("step").refresh(Duration.ofHours(1))
                .panel("loss").trace("loss").panel("lr").trace("lr").show(Display.NONE);
        plot.add(0, 1, 2.5);
        plot.add(1, 1, 0.001);
        PlotlyFigure figure = plot.figure();
        String html = new FigureHtml("fig").fragment(figure, "fig_1");
        assertFalse(html.contains("Loss </script>"), "a title cannot end the script early");
        String js = "var calls = [];\n"
                + "var document = {getElementById: function (id) { return {id: id}; }};\n"
                + "var window = {Plotly: {newPlot: function (gd, data, layout, config) { calls.push([gd.id, data, layout, config]); }}};\n"
                + "var Plotly = window.Plotly;\n"
                + html.substring(html.indexOf("<script type=\"text/javascript\">") + 31, html.lastIndexOf("</script>"))
                + "\nconsole.log(JSON.stringify(calls));\n";
        Path file = Files.writeString(tmp.resolve("draw.js"), js, StandardCharsets.UTF_8);
        Process node = new ProcessBuilder("node", file.toString()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, node.waitFor(), out);
        JsonArray calls = JsonParser.parseString(out).getAsJsonArray();
        assertEquals(1, calls.size());
        JsonArray call = calls.get(0).getAsJsonArray();
        assertEquals("fig_1", call.get(0).getAsString());
        assertEquals(JsonParser.parseString(figure.data()), call.get(1));
        assertEquals(JsonParser.parseString(figure.layout()), call.get(2));
        assertEquals("Loss </script> & more", call.get(2).getAsJsonObject().getAsJsonObject("title").get("text").getAsString());
        assertEquals("{\"responsive\":true}", call.get(3).toString());
        assertEquals("Figure 'Loss </script> & more' with 2 traces (interactive in a notebook)", figure.toString());
    }

    @Test
    void badPlotsAreRefusedWithAReason() {
        assertEquals("a live plot needs at least one trace",
                assertThrows(IllegalStateException.class, () -> LivePlot.builder("t").show(Display.NONE)).getMessage());
        assertEquals("refresh every 10 ms would flood the notebook; use 50 ms or more",
                assertThrows(IllegalArgumentException.class, () -> LivePlot.builder("t").refresh(Duration.ofMillis(10)))
                        .getMessage());
        LivePlot.Builder b = LivePlot.builder("t");
        for (int p = 1; p <= 8; p++) {
            b.panel("panel " + p).trace("trace " + p);
        }
        assertEquals("a live plot has at most 8 panels; use a second plot",
                assertThrows(IllegalArgumentException.class, () -> b.panel("ninth")).getMessage());
        assertEquals("a plot of 600 pixels is too small for 8 panels; use height(640) or more, or fewer panels",
                assertThrows(IllegalArgumentException.class, () -> b.height(600).show(Display.NONE)).getMessage());
        assertFalse(LivePlot.builder("t").trace("x").show(Display.NONE).toString().isEmpty());
    }

    private static String script(String html) {
        return html.substring(html.indexOf('>') + 1, html.lastIndexOf("</script>"));
    }
}
