package dev.notebench.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        return LivePlot.builder("Training").xTitle("step").ids("nbtest").refresh(refresh)
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
        assertTrue(nb.figure().contains("yaxis2: {\n    title: 'lr',\n    domain: [0.00, 0.31],"), nb.figure());
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
    void pointsAreSentByThemselvesOnceTheIntervalHasPassed() throws Exception {
        Recording nb = new Recording();
        // an interval long enough that the second add cannot fall after it on a loaded machine
        LivePlot p = plot(nb, Duration.ofMillis(500));
        Thread.sleep(520);
        p.add(0, 0, 1.0);
        assertEquals(1, nb.updates(1));
        p.add(0, 1, 2.0);
        assertEquals(1, nb.updates(1), "the second point waits for the next interval");
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
        assertTrue(nb.figure().contains("x: [\"0.0\"],\ny: [\"3.0\"],"), nb.figure());
        assertTrue(nb.figure().contains("x: [\"1.0\"],\ny: [\"0.5\"],"), nb.figure());
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
    void badPlotsAreRefusedWithAReason() {
        assertEquals("a live plot needs at least one trace",
                assertThrows(IllegalStateException.class, () -> LivePlot.builder("t").show(Display.NONE)).getMessage());
        assertEquals("refresh every 10 ms would flood the notebook; use 50 ms or more",
                assertThrows(IllegalArgumentException.class, () -> LivePlot.builder("t").refresh(Duration.ofMillis(10)))
                        .getMessage());
        LivePlot.Builder b = LivePlot.builder("t").panel("a").panel("b").panel("c").panel("d");
        assertEquals("a live plot has at most 4 panels; use a second plot",
                assertThrows(IllegalArgumentException.class, () -> b.panel("e")).getMessage());
        assertFalse(LivePlot.builder("t").trace("x").show(Display.NONE).toString().isEmpty());
    }

    private static String script(String html) {
        return html.substring(html.indexOf('>') + 1, html.lastIndexOf("</script>"));
    }
}
