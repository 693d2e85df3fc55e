package dev.notebench.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CountHeatmapTest {
    @Test
    void countsAreWrittenInTheCellsAndShadedByTheirShareOfTheRow() {
        PlotlyFigure f = CountHeatmap.of("Confusion", "predicted", "gold", List.of("spam", "ham"), List.of("spam", "ham", "failed"),
                new long[][] {{3, 1, 0}, {0, 0, 0}});
        assertEquals("[{\"type\":\"heatmap\",\"x\":[\"spam\",\"ham\",\"failed\"],\"y\":[\"spam\",\"ham\"],\"z\":[[0.75,0.25,0],[0,0,0]],"
                + "\"text\":[[\"3\",\"1\",\"0\"],[\"0\",\"0\",\"0\"]],\"texttemplate\":\"%{text}\",\"textfont\":{\"size\":14},"
                + "\"hovertemplate\":\"gold %{y}, predicted %{x}: %{text} (%{z:.1%} of the row)\\u003cextra\\u003e\\u003c/extra\\u003e\","
                + "\"colorscale\":\"Blues\",\"reversescale\":true,\"zmin\":0,\"zmax\":1,\"xgap\":2,\"ygap\":2,"
                + "\"colorbar\":{\"title\":{\"text\":\"share of row\"},\"tickformat\":\".0%\"}}]", f.data());
        assertEquals("{\"title\":{\"text\":\"Confusion\"},\"height\":280,\"width\":596,\"xaxis\":{\"title\":{\"text\":\"predicted\"},"
                + "\"side\":\"bottom\",\"type\":\"category\",\"automargin\":true},\"yaxis\":{\"title\":{\"text\":\"gold\"},"
                + "\"type\":\"category\",\"autorange\":\"reversed\",\"automargin\":true},\"margin\":{\"t\":60,\"l\":80,\"r\":40,\"b\":60}}",
                f.layout());
        assertEquals(1, f.traces());
    }

    @Test
    void countsOfAnotherShapeAreRefused() {
        assertEquals("row 0 has 1 counts for 2 columns", assertThrows(IllegalArgumentException.class,
                () -> CountHeatmap.of("c", "x", "y", List.of("a"), List.of("a", "b"), new long[][] {{1}})).getMessage());
    }
}
