package dev.notebench.plots;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The plotly.js library bundled with Notebench (npm {@code plotly.js-dist-min}, MIT license),
 * so that figures draw with no network: in the notebook, in nbconvert exports and in reports.
 */
public final class PlotlyJs {
    /** The bundled plotly.js version. */
    public static final String VERSION = "2.35.3";

    private static final String RESOURCE = "plotly.min.js";

    private PlotlyJs() {
    }

    /** Returns the minified plotly.js source. */
    public static String source() {
        return Holder.SOURCE;
    }

    /**
     * Returns an HTML {@code <script>} element that defines {@code window.Plotly} and then draws
     * every figure that was waiting for it.
     *
     * <p>plotly's bundle registers itself with RequireJS when a page has it (the classic Jupyter
     * notebook does), which would leave {@code window.Plotly} undefined; the bundle runs here
     * with {@code define}, {@code module} and {@code exports} shadowed so it always becomes a
     * global.
     */
    public static String loaderScript() {
        return "<script type=\"text/javascript\">\n"
                + "if (!window.Plotly) { (function(define, module, exports) {\n"
                + source().replace("</script", "<\\/script")
                + "\n}).call(window); }\n"
                + "(function() { var q = window." + FigureHtml.QUEUE + " || []; window."
                + FigureHtml.QUEUE + " = []; q.forEach(function(draw) { draw(); }); })();\n"
                + "</script>\n";
    }

    private static final class Holder {
        static final String SOURCE = load();

        private static String load() {
            try (InputStream in = PlotlyJs.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING,
                            "plotly.min.js is missing from notebench-plots; rebuild with ./mvnw package");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled plotly.min.js", e);
            }
        }
    }
}
