package dev.notebench.notebooks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person sees in a page's plotly figures, checked in a real browser: the page is opened in
 * headless Chromium with the network off, plotly's own view of each figure after it drew
 * ({@code gd._fullLayout}, {@code gd._fullData}) is read back, and judged:
 * <ul>
 *   <li>every figure drew;</li>
 *   <li>each trace sits on x and y axes that the figure's layout declares (plotly makes up an
 *       undeclared axis spanning the whole figure, over the others);</li>
 *   <li>the panels (subplots) of a figure do not overlap, and an x axis sits at the bottom of the
 *       panels it serves;</li>
 *   <li>every axis that carries a visible trace has a title;</li>
 *   <li>no visible trace is empty;</li>
 *   <li>with several panels, each panel's legend entries are grouped apart from the others',
 *       and a legend of its own sits beside its panel.</li>
 * </ul>
 * A full-page screenshot is saved for a reviewer.
 */
final class VisualCheck {
    private static final Pattern RESULT = Pattern.compile("id=\"notebench-visual-check\"[^>]*data-result=\"([A-Za-z0-9+/=]*)\"");
    private static final Pattern HEAD = Pattern.compile("<head[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final double EPS = 1e-6;

    private VisualCheck() {
    }

    /** What the browser reported about a page, and what is wrong with it. */
    record Result(Path page, List<JsonObject> figures, List<String> problems, List<String> consoleErrors) {
        /** The figures that drew. */
        long drawn() {
            return figures.stream().filter(f -> f.get("drawn").getAsBoolean()).count();
        }
    }

    /**
     * Opens a page in headless Chromium with the network off, reads back every figure and saves a
     * screenshot of the whole page.
     *
     * @param page a self-contained HTML file (a notebook's nbconvert export, a report)
     * @param work a directory for the instrumented copy and browser profiles
     * @param screenshot where the PNG goes
     */
    static Result check(Path page, Path work, Path screenshot) throws IOException, InterruptedException {
        Files.createDirectories(work);
        String name = page.getFileName().toString().replaceAll("\\.html?$", "");
        String html = Files.readString(page, StandardCharsets.UTF_8);
        String script = "<script type=\"text/javascript\">\n" + script() + "\n</script>\n";
        // first thing in the page, so that it sees every figure's layout as given
        Matcher head = HEAD.matcher(html);
        String instrumented = head.find() ? html.substring(0, head.end()) + script + html.substring(head.end()) : script + html;
        Path copy = Files.writeString(work.resolve(name + ".visual-check.html"), instrumented, StandardCharsets.UTF_8);
        HeadlessBrowser.Page loaded = HeadlessBrowser.open(copy, work.resolve(name + "-profile"), null);
        Matcher m = RESULT.matcher(loaded.dom());
        if (!m.find()) {
            return new Result(page, List.of(), List.of(page.getFileName() + ": the check script did not report"
                    + " (did the page's scripts stop it?)"), loaded.consoleErrors());
        }
        JsonObject result = JsonParser.parseString(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8))
                .getAsJsonObject();
        HeadlessBrowser.screenshot(page, work.resolve(name + "-shot-profile"), screenshot, result.get("pageHeight").getAsInt());
        List<JsonObject> figures = new ArrayList<>();
        result.getAsJsonArray("figures").forEach(f -> figures.add(f.getAsJsonObject()));
        List<String> problems = new ArrayList<>();
        for (JsonObject f : figures) {
            problems.addAll(problems(page.getFileName().toString(), f));
        }
        return new Result(page, figures, problems, loaded.consoleErrors());
    }

    private static String script() throws IOException {
        try (InputStream in = VisualCheck.class.getResourceAsStream("visual-check.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private record Axis(String id, double lo, double hi, String anchor, String overlaying, double position, String side,
            String title) {
        static Axis of(String id, JsonObject a) {
            return new Axis(id, a.getAsJsonArray("domain").get(0).getAsDouble(), a.getAsJsonArray("domain").get(1).getAsDouble(),
                    string(a, "anchor"), string(a, "overlaying"), a.has("position") ? a.get("position").getAsDouble() : 0,
                    string(a, "side"), string(a, "title"));
        }

        String band() {
            return String.format(Locale.ROOT, "%.2f-%.2f", lo, hi);
        }
    }

    private record Trace(String name, String xaxis, String yaxis, boolean visible, int points, String legend, String legendgroup,
            boolean showlegend) {
        boolean cartesian() {
            return !xaxis.isEmpty() && !yaxis.isEmpty();
        }
    }

    /**
     * What is wrong with one figure as plotly drew it (the JSON that visual-check.js reports).
     *
     * @param page the page's name, for the messages
     * @param figure the figure's report
     * @return one sentence per problem; empty when the figure is right
     */
    static List<String> problems(String page, JsonObject figure) {
        if (!figure.get("drawn").getAsBoolean()) {
            return List.of(page + ", figure " + string(figure, "id") + ": plotly did not draw it");
        }
        Drawn d = new Drawn(page + ", figure '" + string(figure, "title") + "' (" + string(figure, "id") + ")", figure);
        d.tracesOnDeclaredAxes();
        d.noEmptyVisibleTrace();
        d.panelsApart();
        d.xAxesAtTheBottom();
        d.titledAxes();
        d.legendPerPanel();
        return d.problems;
    }

    /** One figure as plotly drew it, and what is wrong with it so far. */
    private static final class Drawn {
        final String where;
        final Set<String> declared = new LinkedHashSet<>();
        final Map<String, Axis> axes = new LinkedHashMap<>();
        final List<Trace> traces = new ArrayList<>();
        /** One per (x axis, y axis) pair with a visible trace; an overlaying axis shares its base's panel. */
        final Map<String, List<Trace>> panels = new LinkedHashMap<>();
        final JsonObject legends;
        final List<String> problems = new ArrayList<>();

        Drawn(String where, JsonObject figure) {
            this.where = where;
            figure.getAsJsonArray("declaredAxes").forEach(e -> declared.add(axisId(e.getAsString())));
            for (Map.Entry<String, JsonElement> e : figure.getAsJsonObject("axes").entrySet()) {
                axes.put(e.getKey(), Axis.of(e.getKey(), e.getValue().getAsJsonObject()));
            }
            figure.getAsJsonArray("traces").forEach(e -> {
                JsonObject t = e.getAsJsonObject();
                JsonElement visible = t.get("visible"); // true, false or "legendonly"
                traces.add(new Trace(string(t, "name"), string(t, "xaxis"), string(t, "yaxis"),
                        visible != null && visible.isJsonPrimitive() && visible.getAsJsonPrimitive().isBoolean()
                                && visible.getAsBoolean(),
                        t.get("points").getAsInt(), string(t, "legend"), string(t, "legendgroup"), t.get("showlegend").getAsBoolean()));
            });
            for (Trace t : traces) {
                if (t.cartesian() && t.visible() && axes.containsKey(t.xaxis()) && axes.containsKey(t.yaxis())) {
                    panels.computeIfAbsent(base(t.xaxis()) + base(t.yaxis()), k -> new ArrayList<>()).add(t);
                }
            }
            this.legends = figure.getAsJsonObject("legends");
        }

        /** The axis a (possibly overlaying) axis shares its panel with. */
        String base(String id) {
            Axis a = axes.get(id);
            return a == null || a.overlaying().isEmpty() || !axes.containsKey(a.overlaying()) ? id : a.overlaying();
        }

        Axis x(List<Trace> panel) {
            return axes.get(base(panel.get(0).xaxis()));
        }

        Axis y(List<Trace> panel) {
            return axes.get(base(panel.get(0).yaxis()));
        }

        /** Plotly makes up an axis a trace names but the layout lacks, over the whole figure. */
        void tracesOnDeclaredAxes() {
            for (Trace t : traces) {
                for (String axis : t.cartesian() ? List.of(t.xaxis(), t.yaxis()) : List.<String>of()) {
                    // 'x' and 'y' are plotly's defaults, always there
                    if (!axis.equals("x") && !axis.equals("y") && !declared.contains(axis)) {
                        Axis a = axes.get(axis);
                        problems.add(where + ": trace '" + t.name() + "' sits on axis " + axis + ", which the layout does not declare"
                                + (a == null ? "" : " (plotly spreads it over " + a.band() + " of the figure)"));
                    }
                }
            }
        }

        void noEmptyVisibleTrace() {
            for (Trace t : traces) {
                if (t.visible() && t.points() == 0) {
                    problems.add(where + ": trace '" + t.name() + "' is shown but has no points");
                }
            }
        }

        /** Two panels overlap when both their x and y domains do (side by side panels share a band). */
        void panelsApart() {
            List<List<Trace>> all = new ArrayList<>(panels.values());
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    Axis ay = y(all.get(i));
                    Axis by = y(all.get(j));
                    if (overlap(x(all.get(i)), x(all.get(j))) && overlap(ay, by)) {
                        problems.add(where + ": the panels of y axes " + ay.id() + " (band " + ay.band() + ") and " + by.id()
                                + " (band " + by.band() + ") overlap");
                    }
                }
            }
        }

        /** A (bottom) x axis sits at the bottom of the lowest panel it serves. */
        void xAxesAtTheBottom() {
            Map<Axis, Double> bottom = new LinkedHashMap<>();
            for (List<Trace> panel : panels.values()) {
                bottom.merge(x(panel), y(panel).lo(), Math::min);
            }
            for (Map.Entry<Axis, Double> e : bottom.entrySet()) {
                Axis x = e.getKey();
                if (x.side().equals("top")) {
                    continue;
                }
                double at = x.anchor().equals("free") ? x.position() : axes.containsKey(x.anchor()) ? axes.get(x.anchor()).lo() : 0;
                if (Math.abs(at - e.getValue()) > EPS) {
                    problems.add(where + String.format(Locale.ROOT, ": the x axis %s sits at %.2f of the height, not at the"
                            + " bottom of its lowest panel (%.2f)", x.id(), at, e.getValue()));
                }
            }
        }

        /** Every axis that carries a visible trace has a title. */
        void titledAxes() {
            Set<String> used = new LinkedHashSet<>();
            for (List<Trace> panel : panels.values()) {
                for (Trace t : panel) {
                    used.add(t.xaxis());
                    used.add(t.yaxis());
                }
            }
            for (String id : used) {
                if (axes.get(id).title().isBlank()) {
                    problems.add(where + ": axis " + id + " has no title");
                }
            }
        }

        /**
         * With several panels, a panel's legend entries are in one legend (group) that no other
         * panel's entries are in, and a legend a panel has to itself starts within its band.
         */
        void legendPerPanel() {
            if (panels.size() < 2) {
                return;
            }
            Map<String, String> panelOfGroup = new LinkedHashMap<>();
            for (Map.Entry<String, List<Trace>> e : panels.entrySet()) {
                Set<String> groups = new LinkedHashSet<>();
                e.getValue().stream().filter(Trace::showlegend).forEach(t -> groups.add(t.legend() + "/" + t.legendgroup()));
                if (groups.size() > 1) {
                    problems.add(where + ": the legend entries of panel " + e.getKey() + " are split over " + groups);
                }
                for (String g : groups) {
                    String other = panelOfGroup.put(g, e.getKey());
                    if (other != null && !other.equals(e.getKey())) {
                        problems.add(where + ": panels " + other + " and " + e.getKey() + " share the legend group " + g);
                    }
                }
            }
            for (List<Trace> panel : panels.values()) {
                String legend = panel.get(0).legend();
                boolean own = panels.values().stream().filter(p -> p != panel)
                        .noneMatch(p -> p.stream().anyMatch(o -> o.legend().equals(legend)));
                if (own && legends.has(legend)) {
                    Axis y = y(panel);
                    double at = legends.getAsJsonObject(legend).get("y").getAsDouble();
                    if (at < y.lo() - EPS || at > y.hi() + EPS) {
                        problems.add(where + String.format(Locale.ROOT, ": the legend of panel %s sits at %.2f of the height,"
                                + " outside its band %s", y.id(), at, y.band()));
                    }
                }
            }
        }
    }

    private static boolean overlap(Axis a, Axis b) {
        return Math.min(a.hi(), b.hi()) - Math.max(a.lo(), b.lo()) > EPS;
    }

    /** 'yaxis3' -> 'y3'. */
    private static String axisId(String layoutKey) {
        return layoutKey.charAt(0) + layoutKey.substring("xaxis".length());
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
