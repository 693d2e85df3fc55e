package dev.notebench.train.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.RunState;
import dev.notebench.train.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The runs of a directory as a table, each with its {@link RunStatus}: a run whose trainer is gone reads lost. */
public final class RunsTable {
    private RunsTable() {
    }

    /**
     * Reads every run under a directory.
     *
     * @param runsDir the runs directory
     * @return one row per run: id, family, status, step, steps, best val loss, latest checkpoint
     *     (where a resume continues), owner (the process that trains it, or trained a lost run)
     *     and heartbeat age in seconds
     */
    public static Table of(Path runsDir) {
        return of(runsDir, Clock.systemUTC());
    }

    /**
     * Reads every run under a directory, ageing heartbeats by a clock.
     *
     * @param runsDir the runs directory
     * @param clock the time
     * @return the table of {@link #of(Path)}
     */
    public static Table of(Path runsDir, Clock clock) {
        if (!Files.exists(runsDir)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "there is no runs directory " + runsDir + "; train a run first"
                    + " (" + FrontEnd.command("train") + ") or give --runs-dir DIR");
        }
        if (!Files.isDirectory(runsDir)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, runsDir + " is a file, not a runs directory; give --runs-dir DIR");
        }
        StringColumn id = StringColumn.create("run");
        StringColumn family = StringColumn.create("family");
        StringColumn status = StringColumn.create("status");
        IntColumn step = IntColumn.create("step");
        IntColumn steps = IntColumn.create("steps");
        DoubleColumn best = DoubleColumn.create("best val loss");
        StringColumn checkpoint = StringColumn.create("checkpoint");
        StringColumn owner = StringColumn.create("owner");
        DoubleColumn age = DoubleColumn.create("heartbeat age (s)");
        for (RunDirectory run : RunDirectory.list(runsDir)) {
            RunDirectory dir = run.withClock(clock);
            JsonObject m = dir.manifest();
            RunStatus st = dir.status();
            id.append(dir.id());
            family.append(m.getAsJsonObject("config").get("family").getAsString());
            status.append(st.state().json());
            step.append((int) (st.step() + 1));
            steps.append((int) st.steps());
            JsonElement b = m.has("summary") ? m.getAsJsonObject("summary").get("best_val_loss") : null;
            best.append(b == null || b.isJsonNull() ? Double.NaN : b.getAsDouble());
            checkpoint.append(st.checkpoint() == null ? "" : st.checkpoint());
            owner.append((st.active() || st.state() == RunState.LOST) && st.pid() != null
                    ? "pid " + st.pid() + (st.host() == null ? "" : " on " + st.host()) : "");
            age.append(st.heartbeat() != null ? Duration.between(st.heartbeat(), clock.instant()).toMillis() / 1000.0
                    : Double.NaN);
        }
        return Table.create("runs in " + runsDir, id, family, status, step, steps, best, checkpoint, owner, age);
    }
}
