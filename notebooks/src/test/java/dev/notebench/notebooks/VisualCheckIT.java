package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.display.Html;
import dev.notebench.plots.FigureHtml;
import dev.notebench.plots.LivePlot;
import dev.notebench.plots.PlotlyJs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * The visual check itself, in a real headless Chromium: it catches the training view as Tablesaw's
 * layout template drew it, and passes live plots of 1 to 8 panels, drawn whole or grown in place
 * with {@code extendTraces}. Screenshots go to {@code build/screenshots/}.
 */
class VisualCheckIT {
    @TempDir
    Path tmp;

    static Path screenshots() {
        return JupyterSandbox.projectHome().resolve("build/screenshots");
    }

    /** A fake notebook page: every output a plot shows, in order, each at its latest version. */
    static final class Page implements Display {
        final List<List<String>> outputs = new ArrayList<>();

        @Override
        public synchronized DisplayHandle show(Object value) {
            List<String> versions = new ArrayList<>(List.of(((Html) value).html()));
            outputs.add(versions);
            String id = "out" + outputs.size();
            return new DisplayHandle() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public void update(Object v) {
                    synchronized (Page.this) {
                        versions.add(((Html) v).html());
                    }
                }
            };
        }

        synchronized String latest(int output) {
            List<String> v = outputs.get(output);
            return v.get(v.size() - 1);
        }
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n<title>" + title + "</title>\n"
                + PlotlyJs.loaderScript() + "</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    @Test
    void theCheckFindsTheTrainingViewAsTablesawsTemplateDrewItWithoutABandForTokensPerSecond() throws Exception {
        // the view before the fix: four panels declared through Tablesaw, whose template writes no yaxis4
        double[] x = {1, 2, 3};
        List<Trace> traces = new ArrayList<>();
        String[] names = {"train loss", "lr", "grad norm", "tokens/s"};
        for (int p = 0; p < 4; p++) {
            traces.add(ScatterTrace.builder(x, new double[] {3 - p, 2, 1}).name(names[p]).yAxis(p == 0 ? "y" : "y" + (p + 1))
                    .mode(ScatterTrace.Mode.LINE).build());
        }
        Layout layout = Layout.builder("Training: gpt-sotu").height(750).xAxis(Axis.builder().title("step").build())
                .yAxis(Axis.builder().title("loss").domain(0.63f, 1f).build())
                .yAxis2(Axis.builder().title("learning rate").domain(0.42f, 0.57f).build())
                .yAxis3(Axis.builder().title("grad norm").domain(0.21f, 0.36f).build())
                .yAxis4(Axis.builder().title("tokens/s").domain(0f, 0.15f).build()).build();
        Path html = Files.writeString(tmp.resolve("tablesaw-view.html"),
                new FigureHtml("old").page("Training", new Figure(layout, traces.toArray(new Trace[0]))), StandardCharsets.UTF_8);

        VisualCheck.Result r = VisualCheck.check(html, tmp.resolve("check"), screenshots().resolve("check-tablesaw-view.png"));
        String f = "tablesaw-view.html, figure 'Training: gpt-sotu' (old_1)";
        assertEquals(List.of(
                f + ": trace 'tokens/s' sits on axis y4, which the layout does not declare (plotly spreads it over 0.00-1.00 of the figure)",
                f + ": the panels of y axes y (band 0.63-1.00) and y4 (band 0.00-1.00) overlap",
                f + ": the panels of y axes y2 (band 0.42-0.57) and y4 (band 0.00-1.00) overlap",
                f + ": the panels of y axes y3 (band 0.21-0.36) and y4 (band 0.00-1.00) overlap",
                f + ": the x axis x sits at 0.63 of the height, not at the bottom of its lowest panel (0.00)",
                f + ": axis y4 has no title",
                f + ": panels xy and xy2 share the legend group legend/",
                f + ": panels xy2 and xy3 share the legend group legend/",
                f + ": panels xy3 and xy4 share the legend group legend/"), r.problems());
        assertEquals(List.of(), r.consoleErrors());
    }

    @Test
    void livePlotsOfOneToEightPanelsDrawEachPanelOnItsOwnBandWithTheStepAxisAtTheBottom() throws Exception {
        FigureHtml figures = new FigureHtml("panels");
        StringBuilder body = new StringBuilder();
        for (int n = 1; n <= 8; n++) {
            LivePlot.Builder b = LivePlot.builder(n + (n == 1 ? " panel" : " panels")).xTitle("step").refresh(Duration.ofHours(1));
            for (int p = 0; p < n; p++) {
                b.panel("metric " + (p + 1), p == 0 ? 2 : 1).trace("raw " + (p + 1), LivePlot.Style.FAINT).trace("smooth " + (p + 1));
            }
            b.trace("evaluations", LivePlot.Style.MARKERS);
            LivePlot plot = b.show(Display.NONE);
            for (int step = 1; step <= 40; step++) {
                for (int t = 0; t < plot.traces() - 1; t++) {
                    plot.add(t, step, (t + 1) * 100.0 / step + (step % 3));
                }
                if (step % 10 == 0) {
                    plot.add(plot.traces() - 1, step, 50.0 / step);
                }
            }
            plot.close();
            body.append(figures.fragment(plot.figure(), figures.newDivId()));
        }
        Path html = Files.writeString(tmp.resolve("panels.html"), page("1 to 8 panels", body.toString()), StandardCharsets.UTF_8);

        VisualCheck.Result r = VisualCheck.check(html, tmp.resolve("check"), screenshots().resolve("live-plot-1-to-8-panels.png"));
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(), r.consoleErrors());
        assertEquals(8, r.drawn());
        for (int n = 1; n <= 8; n++) {
            JsonObject figure = r.figures().get(n - 1);
            assertEquals(n + 1, figure.getAsJsonObject("axes").size(), "one x axis and " + n + " y axes");
            assertEquals(2 * n + 1, figure.getAsJsonArray("traces").size());
            for (JsonElement t : figure.getAsJsonArray("traces")) {
                assertEquals(t.getAsJsonObject().get("name").getAsString().equals("evaluations") ? 4 : 40,
                        t.getAsJsonObject().get("points").getAsInt());
            }
        }
    }

    @Test
    void aLivePlotGrownInPlaceByItsUpdateScriptsIsRightAndRunningAScriptTwiceAddsNothing() throws Exception {
        Page nb = new Page();
        LivePlot plot = LivePlot.builder("Training: live").xTitle("step").ids("live").refresh(Duration.ofHours(1))
                .panel("loss", 2.5).trace("train loss", LivePlot.Style.FAINT).trace("val loss", LivePlot.Style.MARKERS)
                .panel("learning rate").trace("lr")
                .panel("grad norm").trace("grad norm")
                .panel("tokens/s").trace("tokens/s")
                .show(nb);
        StringBuilder body = new StringBuilder(nb.latest(0)); // drawn empty, as at the start of a run
        for (int step = 1; step <= 30; step++) {
            plot.add(0, step, 5.0 - step / 10.0);
            plot.add(2, step, 0.001 * step);
            plot.add(3, step, 1.0 + step % 4);
            plot.add(4, step, 20_000 + 100 * step);
            if (step % 10 == 0) {
                plot.add(1, step, 5.1 - step / 10.0);
                plot.flush();
                String update = nb.latest(1);
                assertTrue(update.contains("Plotly.extendTraces"), update);
                body.append(update).append(update); // a reopened page may run an update again
            }
        }
        assertEquals(1, plot.redraws(), "the figure was only extended");
        Path html = Files.writeString(tmp.resolve("live.html"), page("live", body.toString()), StandardCharsets.UTF_8);

        VisualCheck.Result r = VisualCheck.check(html, tmp.resolve("check"), screenshots().resolve("live-plot-extended.png"));
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(), r.consoleErrors());
        assertEquals(1, r.drawn());
        List<Integer> points = new ArrayList<>();
        r.figures().get(0).getAsJsonArray("traces").forEach(t -> points.add(t.getAsJsonObject().get("points").getAsInt()));
        assertEquals(List.of(30, 3, 30, 30, 30), points);
    }
}
