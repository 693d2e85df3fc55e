package dev.notebench.train.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Plotly figures of {@link MetricsTable} tables: the curves of one run, or of several overlaid for
 * comparison.
 *
 * <pre>{@code
 * Table m = MetricsTable.read(List.of(Path.of("runs/a"), Path.of("runs/b")));
 * display(MetricsPlots.loss(m, 0.9));
 * }</pre>
 */
public final class MetricsPlots {
    private MetricsPlots() {
    }

    /**
     * Training loss (smoothed; with one run also the raw values, faint) and validation loss of each
     * run in the table, on one set of axes.
     *
     * @param metrics a long metrics table
     * @param smoothing the weight of the moving average, in [0, 1); 0 for none
     */
    public static Figure loss(Table metrics, double smoothing) {
        Set<String> runs = runs(metrics);
        List<Trace> traces = new ArrayList<>();
        for (String run : runs) {
            String prefix = runs.size() > 1 ? run + ": " : "";
            double[][] train = series(metrics, run, "train", "loss");
            if (runs.size() == 1 && smoothing > 0) {
                traces.add(line(train, prefix + "train loss", 1, 0.35));
            }
            traces.add(line(new double[][] {train[0], Smoothing.of(train[1], smoothing)},
                    prefix + (smoothing > 0 ? "train loss (smoothed)" : "train loss"), 2, 1));
            double[][] val = series(metrics, run, "val", "loss");
            if (val[0].length > 0) {
                traces.add(ScatterTrace.builder(val[0], val[1]).name(prefix + "val loss").mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                        .marker(Marker.builder().size(7).build()).build());
            }
        }
        Layout layout = Layout.builder(runs.size() > 1 ? "Loss: " + String.join(" vs ", runs) : "Loss: " + first(runs))
                .height(400).xAxis(Axis.builder().title("step").build()).yAxis(Axis.builder().title("loss").build()).build();
        return new Figure(layout, traces.toArray(new Trace[0]));
    }

    /**
     * One training metric of each run in the table (learning rate, gradient norm, tokens/s).
     *
     * @param metrics a long metrics table
     * @param metric {@code lr}, {@code grad_norm}, {@code tokens_per_s} or {@code elapsed_s}
     */
    public static Figure train(Table metrics, String metric) {
        Set<String> runs = runs(metrics);
        List<Trace> traces = new ArrayList<>();
        for (String run : runs) {
            traces.add(line(series(metrics, run, "train", metric), runs.size() > 1 ? run : metric, 2, 1));
        }
        Layout layout = Layout.builder(metric + (runs.size() > 1 ? "" : ": " + first(runs))).height(250)
                .xAxis(Axis.builder().title("step").build()).yAxis(Axis.builder().title(metric).build()).build();
        return new Figure(layout, traces.toArray(new Trace[0]));
    }

    /** The steps (x) and values (y) of one run's metric, in table order. */
    static double[][] series(Table metrics, String run, String split, String metric) {
        Table t = metrics.where(metrics.stringColumn("run").isEqualTo(run)
                .and(metrics.stringColumn("split").isEqualTo(split)).and(metrics.stringColumn("metric").isEqualTo(metric)));
        double[] x = new double[t.rowCount()];
        for (int i = 0; i < x.length; i++) {
            x[i] = t.longColumn("step").get(i) + 1; // steps done, as the live view counts them
        }
        return new double[][] {x, t.doubleColumn("value").asDoubleArray()};
    }

    private static Trace line(double[][] xy, String name, int width, double opacity) {
        return ScatterTrace.builder(xy[0], xy[1]).name(name).mode(ScatterTrace.Mode.LINE)
                .line(Line.builder().width(width).build()).opacity(opacity).build();
    }

    private static Set<String> runs(Table metrics) {
        Set<String> runs = new LinkedHashSet<>(metrics.stringColumn("run").asList());
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("the metrics table has no rows: has the run made a step yet?");
        }
        return runs;
    }

    private static String first(Set<String> runs) {
        return runs.iterator().next();
    }
}
