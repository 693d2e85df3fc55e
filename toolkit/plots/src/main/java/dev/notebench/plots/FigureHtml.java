package dev.notebench.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import tech.tablesaw.plotly.components.Figure;

/**
 * Turns plotly figures, Notebench's own ({@link PlotlyFigure}) and Tablesaw's ({@link Figure}),
 * into HTML that draws offline.
 *
 * <p>A fragment ({@link #fragment}) is a {@code <div>} plus a script that draws as soon as
 * {@code window.Plotly} exists, or queues itself until {@link PlotlyJs#loaderScript()} runs.
 * A page ({@link #page}) is a complete, self-contained HTML document.
 *
 * <pre>{@code
 * FigureHtml html = new FigureHtml();
 * Files.writeString(Path.of("loss.html"), html.page("Loss", figure));
 * }</pre>
 */
public final class FigureHtml {
    static final String QUEUE = "__notebenchPlotlyQueue";
    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final String idPrefix;
    private final AtomicLong nextId = new AtomicLong();

    /** Creates a renderer whose div ids start with a random prefix, unique across kernels. */
    public FigureHtml() {
        this("nbfig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    /**
     * Creates a renderer with a fixed div id prefix (for reproducible output).
     *
     * @param idPrefix the prefix of every div id this renderer creates: letters, digits and '_'
     *     (Tablesaw's script uses the id inside JavaScript variable names)
     */
    public FigureHtml(String idPrefix) {
        this.idPrefix = checkId(idPrefix);
    }

    private static String checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("figure id '" + id + "' must start with a letter and have only letters,"
                    + " digits and '_': Tablesaw uses it in JavaScript variable names");
        }
        return id;
    }

    /**
     * Returns whether an HTML fragment draws a figure made by {@link #fragment}, so that the page
     * must load plotly.js ({@link PlotlyJs#loaderScript()}) once for it to draw.
     *
     * @param html an HTML fragment
     */
    public static boolean needsPlotly(String html) {
        return html.contains(QUEUE);
    }

    /** Returns a new unique div id. */
    public String newDivId() {
        return idPrefix + "_" + nextId.incrementAndGet();
    }

    /**
     * Returns a {@code <div>} and the script that draws {@code figure} into it, without plotly.js.
     *
     * @param figure the figure
     * @param divId the id of the div to draw into: letters, digits and '_'
     * @throws IllegalArgumentException for an id that cannot be part of a JavaScript name
     */
    public String fragment(PlotlyFigure figure, String divId) {
        checkId(divId);
        return wrap(divId, "Plotly.newPlot(document.getElementById('" + divId + "'), " + figure.data() + ", "
                + figure.layout() + ", {\"responsive\": true});");
    }

    /**
     * Returns a {@code <div>} and the script that draws a Tablesaw {@code figure} into it, without plotly.js.
     *
     * @param figure the figure
     * @param divId the id of the div to draw into: letters, digits and '_'
     * @throws IllegalArgumentException for an id that cannot be part of a JavaScript name
     */
    public String fragment(Figure figure, String divId) {
        checkId(divId);
        String script = figure.asJavascript(divId).trim();
        if (script.startsWith("<script>")) {
            script = script.substring("<script>".length());
        }
        if (script.endsWith("</script>")) {
            script = script.substring(0, script.length() - "</script>".length());
        }
        return wrap(divId, script);
    }

    /** The div, and a script that draws into it now if plotly.js is there, or once it is loaded. */
    private static String wrap(String divId, String draw) {
        return "<div id=\"" + divId + "\" class=\"notebench-figure\"></div>\n"
                + "<script type=\"text/javascript\">\n(function() {\nfunction draw() {\n"
                + draw.replace("</script", "<\\/script")
                + "\n}\nif (window.Plotly) { draw(); } else { (window." + QUEUE + " = window." + QUEUE
                + " || []).push(draw); }\n})();\n</script>\n";
    }

    /**
     * Returns a complete HTML page that shows the figures with plotly.js inlined; it opens from
     * {@code file://} with no network.
     *
     * @param title the page title
     * @param figures the figures, top to bottom
     */
    public String page(String title, PlotlyFigure... figures) {
        List<String> fragments = new ArrayList<>();
        for (PlotlyFigure figure : figures) {
            fragments.add(fragment(figure, newDivId()));
        }
        return document(title, fragments);
    }

    /**
     * Returns a complete HTML page that shows Tablesaw figures with plotly.js inlined; it opens
     * from {@code file://} with no network.
     *
     * @param title the page title
     * @param figures the figures, top to bottom
     */
    public String page(String title, Figure... figures) {
        List<String> fragments = new ArrayList<>();
        for (Figure figure : figures) {
            fragments.add(fragment(figure, newDivId()));
        }
        return document(title, fragments);
    }

    private static String document(String title, List<String> fragments) {
        StringBuilder out = new StringBuilder(PlotlyJs.source().length() + 4096);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n<title>")
                .append(dev.notebench.display.Html.escape(title))
                .append("</title>\n")
                .append(PlotlyJs.loaderScript())
                .append("</head>\n<body>\n");
        fragments.forEach(out::append);
        out.append("</body>\n</html>\n");
        return out.toString();
    }
}
