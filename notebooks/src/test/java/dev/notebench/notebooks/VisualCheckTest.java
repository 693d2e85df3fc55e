package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link VisualCheck} judges what plotly reports of a figure (the browser part is in {@link VisualCheckIT}). */
class VisualCheckTest {
    private static String axis(String domain, String anchor, String title) {
        return "{\"domain\": " + domain + ", \"anchor\": \"" + anchor + "\", \"overlaying\": \"\", \"side\": \"\", \"title\": \"" + title
                + "\", \"visible\": true}";
    }

    private static String trace(String name, String x, String y, int points, String legend) {
        return "{\"name\": \"" + name + "\", \"type\": \"scatter\", \"xaxis\": \"" + x + "\", \"yaxis\": \"" + y
                + "\", \"visible\": true, \"points\": " + points + ", \"legend\": \"" + legend
                + "\", \"legendgroup\": \"\", \"showlegend\": true}";
    }

    private static JsonObject figure(String declared, String axes, String legends, String... traces) {
        return JsonParser.parseString("{\"id\": \"f_1\", \"drawn\": true, \"title\": \"T\", \"declaredAxes\": " + declared
                + ", \"axes\": {" + axes + "}, \"legends\": {" + legends + "}, \"showlegend\": true, \"traces\": ["
                + String.join(",", traces) + "]}").getAsJsonObject();
    }

    @Test
    void sideBySidePanelsSharingABandAndAnAxisOverlayingItsPanelAreRight() {
        JsonObject f = figure("[\"xaxis\", \"yaxis\", \"xaxis2\", \"yaxis2\", \"yaxis3\"]",
                "\"x\": " + axis("[0, 0.45]", "y", "step") + ", \"y\": " + axis("[0, 1]", "x", "loss")
                        + ", \"x2\": " + axis("[0.55, 1]", "y2", "step") + ", \"y2\": " + axis("[0, 1]", "x2", "lr")
                        + ", \"y3\": {\"domain\": [0, 1], \"anchor\": \"x\", \"overlaying\": \"y\", \"side\": \"right\","
                        + " \"title\": \"accuracy\", \"visible\": true}",
                "\"legend\": {\"x\": 1.02, \"y\": 1}, \"legend2\": {\"x\": 1.02, \"y\": 0.5}",
                trace("loss", "x", "y", 3, "legend"), trace("accuracy", "x", "y3", 3, "legend"), trace("lr", "x2", "y2", 3, "legend2"));
        assertEquals(List.of(), VisualCheck.problems("p.html", f));
    }

    @Test
    void anUndeclaredAxisAnEmptyTraceAMissingTitleAndALegendOutsideItsBandAreEachNamed() {
        JsonObject f = figure("[\"xaxis\", \"yaxis\", \"yaxis2\"]",
                "\"x\": " + axis("[0, 1]", "y3", "step") + ", \"y\": " + axis("[0.6, 1]", "x", "loss")
                        + ", \"y2\": " + axis("[0.3, 0.5]", "x", "") + ", \"y3\": " + axis("[0, 0.2]", "x", "tokens/s"),
                "\"legend\": {\"x\": 1.02, \"y\": 1}, \"legend2\": {\"x\": 1.02, \"y\": 0.9}, \"legend3\": {\"x\": 1.02, \"y\": 0.2}",
                trace("loss", "x", "y", 3, "legend"), trace("val loss", "x", "y", 0, "legend"), trace("lr", "x", "y2", 3, "legend2"),
                trace("tokens/s", "x", "y3", 3, "legend3"));
        String f1 = "p.html, figure 'T' (f_1)";
        assertEquals(List.of(
                f1 + ": trace 'tokens/s' sits on axis y3, which the layout does not declare (plotly spreads it over 0.00-0.20 of the figure)",
                f1 + ": trace 'val loss' is shown but has no points",
                f1 + ": axis y2 has no title",
                f1 + ": the legend of panel y2 sits at 0.90 of the height, outside its band 0.30-0.50"),
                VisualCheck.problems("p.html", f));
    }

    @Test
    void aFigureThatDidNotDrawIsNamed() {
        assertEquals(List.of("p.html, figure f_9: plotly did not draw it"),
                VisualCheck.problems("p.html", JsonParser.parseString("{\"id\": \"f_9\", \"drawn\": false}").getAsJsonObject()));
    }
}
