package dev.notebench.enrich;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a job did: rows labelled and failed, calls and what they cost, how fast it went; with the
 * label counts and the failed rows as tables.
 *
 * @param rows the table's rows
 * @param labelled rows with values (this run and resumed ones)
 * @param failed rows that failed for good (each has its reason in {@link #failures()})
 * @param resumed rows taken from the journal of an earlier run (labelled ones, and failed ones kept with --keep-failed)
 * @param failedBefore rows that had failed in an earlier run and were asked again by this one
 * @param calls annotator calls made by this run (cached answers not counted)
 * @param cachedAnswers answers taken from the response cache
 * @param reasked rows asked again because an answer missed, repeated or botched them
 * @param contextSplits batches split in halves because they did not fit the model's context
 * @param httpAttempts HTTP requests sent, retries included (0 for local annotators)
 * @param retries HTTP retries
 * @param throttled 429 answers
 * @param tokensIn prompt tokens reported by the server
 * @param tokensOut completion tokens reported by the server
 * @param cost the estimated cost when prices were given
 * @param wall the run's wall time
 * @param labels label, count and share of rows (for label schemas; empty otherwise)
 * @param failures row, text and reason of every failed row
 * @param batchJobs the provider batch jobs whose answers this run collected ({@code --batch-api}); empty for live calls
 */
public record EnrichSummary(int rows, int labelled, int failed, int resumed, int failedBefore, long calls, long cachedAnswers,
                            long reasked, long contextSplits, long httpAttempts, long retries, long throttled, long tokensIn, long tokensOut, OptionalDouble cost,
                            Duration wall, Table labels, Table failures, List<String> batchJobs) {
    /** Copies the job ids. */
    public EnrichSummary {
        batchJobs = List.copyOf(batchJobs);
    }

    /** Whether every row has its values (none failed, none left undone). */
    public boolean complete() {
        return labelled == rows;
    }

    /** Rows settled by this run per second of wall time. */
    public double rowsPerSecond() {
        double s = wall.toNanos() / 1e9;
        return s <= 0 ? 0 : (labelled + failed - resumed) / s;
    }

    /** The figures as a two-column table, for notebooks and reports. */
    public Table overview() {
        StringColumn what = StringColumn.create("measure");
        StringColumn value = StringColumn.create("value");
        add(what, value, "rows", Integer.toString(rows));
        add(what, value, "labelled", Integer.toString(labelled));
        add(what, value, "failed", Integer.toString(failed));
        add(what, value, "resumed from journal", Integer.toString(resumed));
        add(what, value, "failed before, asked again", Integer.toString(failedBefore));
        if (!batchJobs.isEmpty()) {
            add(what, value, "batch jobs", String.join(", ", batchJobs));
        }
        add(what, value, batchJobs.isEmpty() ? "calls" : "batch requests answered", Long.toString(calls));
        add(what, value, "answers from cache", Long.toString(cachedAnswers));
        add(what, value, "rows re-asked", Long.toString(reasked));
        add(what, value, "batches split for the context", Long.toString(contextSplits));
        add(what, value, "HTTP retries", Long.toString(retries));
        add(what, value, "429 answers", Long.toString(throttled));
        add(what, value, "tokens in / out", tokensIn + " / " + tokensOut);
        add(what, value, "estimated cost", cost.isPresent() ? String.format(Locale.ROOT, "%.4f", cost.getAsDouble()) : "(no prices given)");
        add(what, value, "wall time", String.format(Locale.ROOT, "%.2f s", wall.toNanos() / 1e9));
        add(what, value, "rows/s", String.format(Locale.ROOT, "%.1f", rowsPerSecond()));
        return Table.create("enrichment summary", what, value);
    }

    private static void add(StringColumn what, StringColumn value, String w, String v) {
        what.append(w);
        value.append(v);
    }

    static Table emptyLabels() {
        return Table.create("labels", StringColumn.create("label"), IntColumn.create("rows"), DoubleColumn.create("share"));
    }

    @Override
    public String toString() {
        return (batchJobs.isEmpty() ? "" : "batch " + String.join(", ", batchJobs) + ": ") + String.format(Locale.ROOT, "%d rows: %d labelled, %d failed, %d resumed, %d failed before; %d calls (%d cached),"
                + " %d re-asked, %d context splits, %d retries, %d 429s, tokens %d/%d; %.2f s, %.1f rows/s", rows, labelled, failed,
                resumed, failedBefore, calls, cachedAnswers, reasked, contextSplits, retries, throttled, tokensIn, tokensOut,
                wall.toNanos() / 1e9, rowsPerSecond());
    }
}
