package dev.notebench.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackedPanelsTest {
    @Test
    void theTrainingViewsFourPanelsAreLaidOutExactly() {
        // 750 px: 630 for the panels; 30 px gaps are 0.0476 of that; loss weighs 2.5, the others 1
        String layout = StackedPanels.layout("Training: gpt-sotu", "step", 750,
                List.of("loss", "learning rate", "grad norm", "tokens/s"), List.of(2.5, 1.0, 1.0, 1.0), true);
        assertEquals("{\"title\":{\"text\":\"Training: gpt-sotu\"},\"height\":750,\"margin\":{\"t\":60,\"b\":60},\"showlegend\":true,"
                + "\"xaxis\":{\"title\":{\"text\":\"step\"},\"domain\":[0,1],\"anchor\":\"y4\"},"
                + "\"yaxis\":{\"title\":{\"text\":\"loss\"},\"domain\":[0.6104,1],\"anchor\":\"x\"},"
                + "\"yaxis2\":{\"title\":{\"text\":\"learning rate\"},\"domain\":[0.4069,0.5628],\"anchor\":\"x\"},"
                + "\"yaxis3\":{\"title\":{\"text\":\"grad norm\"},\"domain\":[0.2035,0.3593],\"anchor\":\"x\"},"
                + "\"yaxis4\":{\"title\":{\"text\":\"tokens/s\"},\"domain\":[0,0.1558],\"anchor\":\"x\"},"
                + "\"legend\":{\"x\":1.02,\"xanchor\":\"left\",\"y\":1,\"yanchor\":\"top\",\"tracegroupgap\":0},"
                + "\"legend2\":{\"x\":1.02,\"xanchor\":\"left\",\"y\":0.5628,\"yanchor\":\"top\",\"tracegroupgap\":0},"
                + "\"legend3\":{\"x\":1.02,\"xanchor\":\"left\",\"y\":0.3593,\"yanchor\":\"top\",\"tracegroupgap\":0},"
                + "\"legend4\":{\"x\":1.02,\"xanchor\":\"left\",\"y\":0.1558,\"yanchor\":\"top\",\"tracegroupgap\":0}}", layout);
    }

    @Test
    void onePanelIsOneBandOverTheWholeHeightWithPlotlysOwnLegend() {
        assertEquals("{\"title\":{\"text\":\"\"},\"height\":300,\"margin\":{\"t\":30,\"b\":60},\"showlegend\":false,"
                + "\"xaxis\":{\"title\":{\"text\":\"step\"},\"domain\":[0,1],\"anchor\":\"y\"},"
                + "\"yaxis\":{\"title\":{\"text\":\"loss\"},\"domain\":[0,1],\"anchor\":\"x\"}}",
                StackedPanels.layout("", "step", 300, List.of("loss"), List.of(1.0), false));
    }

    @Test
    void eightPanelsOfEqualWeightGetEqualBandsThirtyPixelsApart() {
        // 1350 px, the default for 8 panels: 1230 for the panels, gaps of 30/1230 = 0.0244, bands of 0.1037
        assertEquals(List.of(new StackedPanels.Band(0.8963, 1), new StackedPanels.Band(0.7683, 0.872),
                new StackedPanels.Band(0.6402, 0.7439), new StackedPanels.Band(0.5122, 0.6159),
                new StackedPanels.Band(0.3841, 0.4878), new StackedPanels.Band(0.2561, 0.3598),
                new StackedPanels.Band(0.128, 0.2317), new StackedPanels.Band(0, 0.1037)),
                StackedPanels.bands(Collections.nCopies(8, 1.0), 1350, true));
    }

    @Test
    void oneToEightPanelsEachHaveAnAxisABandAndALegendOfTheirOwnAndShareTheXAxisAtTheBottom() {
        for (int n = 1; n <= StackedPanels.MAX; n++) {
            List<String> titles = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                titles.add("panel " + (p + 1));
            }
            int height = 300 + 150 * (n - 1);
            JsonObject layout = JsonParser.parseString(StackedPanels.layout("t", "step", height, titles,
                    Collections.nCopies(n, 1.0), true)).getAsJsonObject();
            List<String> keys = new ArrayList<>(List.of("title", "height", "margin", "showlegend", "xaxis"));
            for (int p = 0; p < n; p++) {
                keys.add(p == 0 ? "yaxis" : "yaxis" + (p + 1));
            }
            for (int p = 0; n > 1 && p < n; p++) {
                keys.add(p == 0 ? "legend" : "legend" + (p + 1));
            }
            assertEquals(keys, new ArrayList<>(layout.keySet()), n + " panels");

            JsonObject x = layout.getAsJsonObject("xaxis");
            assertEquals("step", x.getAsJsonObject("title").get("text").getAsString());
            assertEquals(StackedPanels.yAxis(n - 1), x.get("anchor").getAsString(), "the x axis sits on the lowest panel");
            double plot = height - StackedPanels.TOP - StackedPanels.BOTTOM;
            double above = Double.NaN;
            for (int p = 0; p < n; p++) {
                JsonObject y = layout.getAsJsonObject(p == 0 ? "yaxis" : "yaxis" + (p + 1));
                assertEquals("panel " + (p + 1), y.getAsJsonObject("title").get("text").getAsString());
                assertEquals("x", y.get("anchor").getAsString());
                double lo = y.getAsJsonArray("domain").get(0).getAsDouble();
                double hi = y.getAsJsonArray("domain").get(1).getAsDouble();
                if (p == 0) {
                    assertEquals(1, hi, "the top panel reaches the top");
                } else {
                    assertTrue((above - hi) * plot >= StackedPanels.GAP - 0.2, n + " panels: panel " + p + " ends "
                            + (above - hi) * plot + " px below panel " + (p - 1));
                }
                if (p == n - 1) {
                    assertEquals(0, lo, "the bottom panel reaches the x axis");
                }
                assertTrue((hi - lo) * plot > 100, n + " panels: panel " + p + " is " + (hi - lo) * plot + " px high");
                if (n > 1) {
                    assertEquals(hi, layout.getAsJsonObject(StackedPanels.legend(p)).get("y").getAsDouble(),
                            "the legend of panel " + p + " starts at its top");
                }
                above = lo;
            }
        }
    }

    @Test
    void textIsEscapedSoThatNoTitleEndsTheScriptItIsWrittenInto() {
        assertEquals("\"a \\u003c/script\\u003e \\\"b\\\" \\u0026 c\\nd\"", Json.string("a </script> \"b\" & c\nd"));
        assertEquals("[0,1.5,-2,1.0E-4]", Json.numbers(new double[] {0, 1.5, -2, 1e-4, 9}, 0, 4));
    }
}
