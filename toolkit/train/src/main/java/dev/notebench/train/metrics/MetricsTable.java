package dev.notebench.train.metrics;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.train.MetricsLog;
import dev.notebench.train.RunListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Training metrics as a long Tablesaw table, one row per value: {@code run, step, time, split,
 * metric, value}. Split is {@code train} (metrics {@code loss}, {@code lr}, {@code grad_norm},
 * {@code tokens_per_s}, {@code elapsed_s}) or {@code val} ({@code loss}, {@code ppl}); a step
 * skipped for an fp16 overflow has no {@code grad_norm} row. Filter, aggregate and join it as any
 * table, or pivot it with {@link #wide(Table)}:
 *
 * <pre>{@code
 * Table m = MetricsTable.read(Path.of("runs/gpt-sotu"));
 * Table val = m.where(m.stringColumn("split").isEqualTo("val"));
 * }</pre>
 *
 * <p>As a {@link RunListener} it fills a table while a run trains; {@link #table()} returns a copy
 * at any moment, from any thread.
 */
public final class MetricsTable implements RunListener {
    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("run", "step", "time", "split", "metric", "value");

    private final String run;
    private final Table table = empty("metrics");

    /**
     * Creates an empty table for a run that is about to train.
     *
     * @param run the run's id, written in the {@code run} column
     */
    public MetricsTable(String run) {
        this.run = run;
    }

    /** Returns a copy of the rows so far. */
    public synchronized Table table() {
        return table.copy();
    }

    @Override
    public synchronized void step(Step s) {
        add(table, run, s, Instant.now());
    }

    @Override
    public synchronized void eval(Eval e) {
        add(table, run, e, Instant.now());
    }

    /**
     * Reads a run's {@code metrics.jsonl}; the run column holds the directory's name. A last line
     * cut off by a crash is left out; checkpoint lines have no metrics.
     *
     * @param runDir a run directory
     * @return the long table
     * @throws NotebenchException if the directory has no metrics log or a line in the middle is not
     *     a metrics record
     */
    public static Table read(Path runDir) {
        Path file = runDir.resolve(MetricsLog.FILE);
        if (!Files.isRegularFile(file)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, runDir + " has no " + MetricsLog.FILE
                    + "; give a run directory (runs/<run_id>, see " + FrontEnd.command("runs") + ")");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "cannot read " + file + ": " + e.getMessage(), e);
        }
        String name = runDir.toAbsolutePath().normalize().getFileName().toString();
        Table t = empty(name);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                add(t, name, JsonParser.parseString(line).getAsJsonObject());
            } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NullPointerException
                     | DateTimeParseException e) {
                if (i == lines.size() - 1) {
                    break; // the line a crash cut off
                }
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, file + " line " + (i + 1)
                        + " is not a metrics record (" + e.getMessage() + "); fix or delete that line");
            }
        }
        return t;
    }

    /**
     * Reads several runs into one table, for comparing them.
     *
     * @param runDirs run directories
     * @return their rows, run after run
     */
    public static Table read(List<Path> runDirs) {
        Table all = empty("metrics");
        for (Path dir : runDirs) {
            all.append(read(dir));
        }
        return all;
    }

    /**
     * Pivots a long table to one row per run and step with a column per split and metric
     * ({@code train loss}, {@code val loss}, {@code train lr}, ...); a missing value is empty.
     *
     * @param metrics a table in this class's long format
     * @return the wide table, in order of first appearance
     */
    public static Table wide(Table metrics) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        Map<String, DoubleColumn> columns = new LinkedHashMap<>();
        StringColumn runs = StringColumn.create("run");
        LongColumn steps = LongColumn.create("step");
        for (int i = 0; i < metrics.rowCount(); i++) {
            String key = metrics.stringColumn("run").get(i) + '\u0000' + metrics.longColumn("step").get(i);
            Integer row = rows.get(key);
            if (row == null) {
                row = rows.size();
                rows.put(key, row);
                runs.append(metrics.stringColumn("run").get(i));
                steps.append(metrics.longColumn("step").get(i));
                for (DoubleColumn c : columns.values()) {
                    c.appendMissing();
                }
            }
            String name = metrics.stringColumn("split").get(i) + " " + metrics.stringColumn("metric").get(i);
            DoubleColumn c = columns.computeIfAbsent(name, n -> {
                DoubleColumn created = DoubleColumn.create(n);
                for (int r = 0; r < rows.size(); r++) {
                    created.appendMissing();
                }
                return created;
            });
            c.set(row.intValue(), metrics.doubleColumn("value").getDouble(i));
        }
        Table t = Table.create(metrics.name(), runs, steps);
        columns.values().forEach(t::addColumns);
        return t;
    }

    /**
     * Writes a long table back as {@code metrics.jsonl} lines (step and eval records, one per run
     * and step, in order of first appearance), the inverse of {@link #read(Path)} for one run.
     *
     * @param metrics a table in this class's long format
     * @return the lines
     */
    public static List<String> toJsonLines(Table metrics) {
        Map<String, JsonObject> records = new LinkedHashMap<>();
        for (int i = 0; i < metrics.rowCount(); i++) {
            boolean val = metrics.stringColumn("split").get(i).equals("val");
            long step = metrics.longColumn("step").get(i);
            String key = metrics.stringColumn("run").get(i) + '\u0000' + step + '\u0000' + val;
            JsonObject o = records.computeIfAbsent(key, k -> {
                JsonObject r = new JsonObject();
                r.addProperty("type", val ? "eval" : "step");
                r.addProperty("step", step);
                return r;
            });
            String metric = metrics.stringColumn("metric").get(i);
            o.addProperty(val ? "val_" + metric : metric, metrics.doubleColumn("value").get(i));
            Instant time = metrics.instantColumn("time").get(i);
            if (time != null) {
                o.addProperty("time", time.toString());
            }
        }
        List<String> out = new ArrayList<>();
        for (JsonObject o : records.values()) {
            JsonElement time = o.remove("time");
            if (time != null) {
                o.add("time", time); // last, as the log writes it
            }
            out.add(o.toString());
        }
        return out;
    }

    private static Table empty(String name) {
        return Table.create(name, StringColumn.create("run"), LongColumn.create("step"), InstantColumn.create("time"),
                StringColumn.create("split"), StringColumn.create("metric"), DoubleColumn.create("value"));
    }

    private static void add(Table t, String run, JsonObject o) {
        String type = o.get("type").getAsString();
        long step = o.get("step").getAsLong();
        Instant time = o.has("time") ? Instant.parse(o.get("time").getAsString()) : null;
        switch (type) {
            case "step" -> {
                for (String m : List.of("loss", "lr", "grad_norm", "tokens_per_s", "elapsed_s")) {
                    if (o.has(m) && !o.get(m).isJsonNull()) {
                        row(t, run, step, time, "train", m, o.get(m).getAsDouble());
                    }
                }
            }
            case "eval" -> {
                row(t, run, step, time, "val", "loss", o.get("val_loss").getAsDouble());
                row(t, run, step, time, "val", "ppl", o.get("val_ppl").getAsDouble());
            }
            default -> {
                // checkpoints: no metrics
            }
        }
    }

    private static void add(Table t, String run, Step s, Instant time) {
        row(t, run, s.step(), time, "train", "loss", s.loss());
        row(t, run, s.step(), time, "train", "lr", s.lr());
        if (Double.isFinite(s.gradNorm())) {
            row(t, run, s.step(), time, "train", "grad_norm", s.gradNorm());
        }
        row(t, run, s.step(), time, "train", "tokens_per_s", s.tokensPerSecond());
        row(t, run, s.step(), time, "train", "elapsed_s", s.elapsedSeconds());
    }

    private static void add(Table t, String run, Eval e, Instant time) {
        row(t, run, e.step(), time, "val", "loss", e.loss());
        row(t, run, e.step(), time, "val", "ppl", e.perplexity());
    }

    private static void row(Table t, String run, long step, Instant time, String split, String metric, double value) {
        t.stringColumn("run").append(run);
        t.longColumn("step").append(step);
        t.instantColumn("time").append(time);
        t.stringColumn("split").append(split);
        t.stringColumn("metric").append(metric);
        t.doubleColumn("value").append(value);
    }
}
