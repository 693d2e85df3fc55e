package dev.notebench.train.magic;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.train.TrainRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The runs of a directory as a table. */
public final class RunsTable {
    private RunsTable() {
    }

    /**
     * Reads every run under a directory.
     *
     * @param runsDir the runs directory
     * @return one row per run: id, family, status, step, steps, best val loss, heartbeat age in seconds
     */
    public static Table of(Path runsDir) {
        StringColumn id = StringColumn.create("run");
        StringColumn family = StringColumn.create("family");
        StringColumn status = StringColumn.create("status");
        IntColumn step = IntColumn.create("step");
        IntColumn steps = IntColumn.create("steps");
        DoubleColumn best = DoubleColumn.create("best val loss");
        DoubleColumn age = DoubleColumn.create("heartbeat age (s)");
        if (Files.isDirectory(runsDir)) {
            try (Stream<Path> s = Files.list(runsDir)) {
                for (Path dir : s.filter(p -> Files.isRegularFile(p.resolve(TrainRun.MANIFEST))).sorted().toList()) {
                    JsonObject m = read(dir.resolve(TrainRun.MANIFEST));
                    JsonObject st = Files.exists(dir.resolve(TrainRun.STATUS)) ? read(dir.resolve(TrainRun.STATUS)) : new JsonObject();
                    id.append(dir.getFileName().toString());
                    family.append(m.getAsJsonObject("config").get("family").getAsString());
                    status.append(st.has("status") ? st.get("status").getAsString() : "created");
                    step.append(st.has("step") ? st.get("step").getAsInt() + 1 : 0);
                    steps.append(m.getAsJsonObject("config").get("steps").getAsInt());
                    JsonElement b = m.has("summary") ? m.getAsJsonObject("summary").get("best_val_loss") : null;
                    best.append(b == null || b.isJsonNull() ? Double.NaN : b.getAsDouble());
                    age.append(st.has("heartbeat")
                            ? Duration.between(Instant.parse(st.get("heartbeat").getAsString()), Instant.now()).toMillis() / 1000.0
                            : Double.NaN);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return Table.create("runs in " + runsDir, id, family, status, step, steps, best, age);
    }

    private static JsonObject read(Path f) throws IOException {
        return JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
