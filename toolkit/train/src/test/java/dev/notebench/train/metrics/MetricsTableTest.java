package dev.notebench.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.NotebenchException;
import dev.notebench.train.MetricsLog;
import dev.notebench.train.TinyRuns;
import dev.notebench.train.TrainRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class MetricsTableTest {
    @TempDir
    static Path tmp;
    static Path run;
    static Table live;

    @BeforeAll
    static void train() throws Exception {
        TrainRun r = TrainRun.create(TinyRuns.gpt(tmp, "metrics").steps(20).eval(10, 1).build());
        MetricsTable listener = new MetricsTable("metrics");
        r.listener(listener).run();
        run = r.directory();
        live = listener.table();
    }

    private static List<JsonObject> records() throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve(MetricsLog.FILE), StandardCharsets.UTF_8)) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            if (!o.get("type").getAsString().equals("checkpoint")) {
                out.add(o);
            }
        }
        return out;
    }

    @Test
    void aRunsLogBecomesOneRowPerValue() throws Exception {
        Table t = MetricsTable.read(run);
        assertEquals(MetricsTable.COLUMNS, t.columnNames());
        assertEquals(20 * 5 + 2 * 2, t.rowCount(), "5 metrics per step, 2 per evaluation");
        Table loss = t.where(t.stringColumn("split").isEqualTo("train").and(t.stringColumn("metric").isEqualTo("loss")));
        List<JsonObject> steps = records().stream().filter(o -> o.get("type").getAsString().equals("step")).toList();
        assertEquals(20, loss.rowCount());
        for (int i = 0; i < 20; i++) {
            assertEquals(steps.get(i).get("step").getAsLong(), loss.longColumn("step").get(i));
            assertEquals(steps.get(i).get("loss").getAsDouble(), loss.doubleColumn("value").get(i));
            assertEquals(Instant.parse(steps.get(i).get("time").getAsString()).truncatedTo(ChronoUnit.MILLIS),
                    loss.instantColumn("time").get(i), "Tablesaw keeps milliseconds");
        }
        Table val = t.where(t.stringColumn("split").isEqualTo("val"));
        assertEquals(List.of(9L, 9L, 19L, 19L), val.longColumn("step").asList());
        assertEquals(List.of("loss", "ppl", "loss", "ppl"), val.stringColumn("metric").asList());
        assertEquals(Math.exp(val.doubleColumn("value").get(2)), val.doubleColumn("value").get(3), 1e-9);
        assertEquals(List.of("metrics"), t.stringColumn("run").unique().asList());
    }

    @Test
    void theLiveTableHasTheLogsValues() throws Exception {
        Table logged = MetricsTable.read(run);
        assertEquals(logged.rowCount(), live.rowCount());
        assertEquals(logged.stringColumn("metric").asList(), live.stringColumn("metric").asList());
        assertEquals(logged.longColumn("step").asList(), live.longColumn("step").asList());
        for (int i = 0; i < logged.rowCount(); i++) {
            if (!logged.stringColumn("metric").get(i).endsWith("_s")) { // timings are measured apart
                assertEquals(logged.doubleColumn("value").get(i), live.doubleColumn("value").get(i), "row " + i);
            }
        }
    }

    @Test
    void aTableWrittenBackGivesTheLogsRecordsAndReadsTheSame() throws Exception {
        Table t = MetricsTable.read(run);
        List<String> lines = MetricsTable.toJsonLines(t);
        List<JsonObject> original = records();
        assertEquals(original.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = original.get(i).deepCopy();
            JsonObject back = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            o.remove("best"); // not a metric
            assertEquals(Instant.parse(o.remove("time").getAsString()).truncatedTo(ChronoUnit.MILLIS),
                    Instant.parse(back.remove("time").getAsString()));
            assertEquals(o, back);
        }
        Path copy = tmp.resolve("copy/metrics");
        Files.createDirectories(copy);
        Files.write(copy.resolve(MetricsLog.FILE), lines, StandardCharsets.UTF_8);
        Table again = MetricsTable.read(copy);
        assertEquals(t.doubleColumn("value").asList(), again.doubleColumn("value").asList());
        assertEquals(t.instantColumn("time").asList(), again.instantColumn("time").asList());
        assertEquals(t.stringColumn("run").asList(), again.stringColumn("run").asList());
    }

    @Test
    void theWideTableHasAColumnPerSplitAndMetric() {
        Table w = MetricsTable.wide(MetricsTable.read(List.of(run, run)));
        assertEquals(List.of("run", "step", "train loss", "train lr", "train grad_norm", "train tokens_per_s",
                "train elapsed_s", "val loss", "val ppl"), w.columnNames());
        assertEquals(20, w.rowCount(), "the same run twice is the same rows");
        assertEquals(18, w.doubleColumn("val loss").countMissing());
        assertTrue(w.doubleColumn("val loss").get(9) > 0);
    }

    @Test
    void aLastLineCutOffByACrashIsLeftOutButABrokenLineInTheMiddleIsAnError() throws Exception {
        Path dir = tmp.resolve("broken/cut");
        Files.createDirectories(dir);
        List<String> lines = Files.readAllLines(run.resolve(MetricsLog.FILE), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(MetricsLog.FILE), lines.get(0) + "\n" + lines.get(1).substring(0, 30), StandardCharsets.UTF_8);
        assertEquals(5, MetricsTable.read(dir).rowCount());

        Files.writeString(dir.resolve(MetricsLog.FILE), lines.get(0) + "\nnot json\n" + lines.get(1) + "\n", StandardCharsets.UTF_8);
        NotebenchException e = assertThrows(NotebenchException.class, () -> MetricsTable.read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(MetricsLog.FILE) + " line 2 is not a metrics record"), e.getMessage());

        NotebenchException none = assertThrows(NotebenchException.class, () -> MetricsTable.read(tmp.resolve("nowhere")));
        assertTrue(none.getMessage().endsWith("has no metrics.jsonl; give a run directory (runs/<run_id>, see runs)"), none.getMessage());
    }
}
