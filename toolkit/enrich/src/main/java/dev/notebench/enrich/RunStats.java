package dev.notebench.enrich;

import dev.notebench.http.CallStats;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tech.tablesaw.api.Table;

/**
 * The counters of one enrichment run, safe to bump from every worker: rows settled, calls (and
 * answers from the cache), rows re-asked, context splits, tokens, calls in flight; and the HTTP
 * counters of the annotator, of which the run reports its own share.
 */
final class RunStats {
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong cached = new AtomicLong();
    private final AtomicLong reasked = new AtomicLong();
    private final AtomicLong splits = new AtomicLong();
    private final AtomicLong tokensIn = new AtomicLong();
    private final AtomicLong tokensOut = new AtomicLong();
    private final CallStats http;
    private final long httpAttempts0;
    private final long retries0;
    private final long throttled0;

    /**
     * Starts counting.
     *
     * @param http the annotator's HTTP counters (shared by its runs); null for a local annotator
     */
    RunStats(CallStats http) {
        this.http = http;
        this.httpAttempts0 = http == null ? 0 : http.attempts();
        this.retries0 = http == null ? 0 : http.retries();
        this.throttled0 = http == null ? 0 : http.throttledCount();
    }

    /** A call starts. */
    void callStarted() {
        inFlight.incrementAndGet();
    }

    /** A call ended, with an answer or not. */
    void callEnded() {
        inFlight.decrementAndGet();
    }

    /** A call was made that brought no usable answer (unreadable, or too long for the context). */
    void unanswered() {
        calls.incrementAndGet();
    }

    /** An answer arrived, from the server or the cache. */
    void answered(Answer answer) {
        if (answer.cached()) {
            cached.incrementAndGet();
        } else {
            calls.incrementAndGet();
        }
        tokensIn.addAndGet(answer.tokensIn());
        tokensOut.addAndGet(answer.tokensOut());
    }

    /** Rows were settled with values. */
    void labelled(int rows) {
        done.addAndGet(rows);
    }

    /** Rows were settled as failed. */
    void failed(int rows) {
        failed.addAndGet(rows);
    }

    /** Rows are asked again. */
    void reasked(int rows) {
        reasked.addAndGet(rows);
    }

    /** A batch was split in halves for the context. */
    void split() {
        splits.incrementAndGet();
    }

    /** Rows settled by this run, labelled or failed. */
    int settled() {
        return done.get() + failed.get();
    }

    /** The progress bar's note: calls in flight and the limit, rows re-asked and failed. */
    String note(int limit) {
        return String.format(Locale.ROOT, "%d in flight (limit %d) · %d re-asked · %d failed", inFlight.get(), limit, reasked.get(),
                failed.get());
    }

    /** The summary of a run of live calls (no batch job); see the next method. */
    EnrichSummary summary(int rows, int labelled, int failedRows, int resumed, int failedBefore, Prices prices, Duration wall,
                          Table labels, Table failures) {
        return summary(rows, labelled, failedRows, resumed, failedBefore, prices, wall, labels, failures, List.of());
    }

    /**
     * The summary of the run.
     *
     * @param rows the table's rows
     * @param labelled rows with values (this run's and resumed ones)
     * @param failedRows rows failed for good
     * @param resumed rows taken from the journal
     * @param failedBefore rows that had failed before and were asked again
     * @param prices prices for the cost; null for none
     * @param wall the run's wall time
     * @param labels the label counts
     * @param failures the failed rows
     * @param batchJobs the provider batch jobs collected (empty for live calls)
     */
    EnrichSummary summary(int rows, int labelled, int failedRows, int resumed, int failedBefore, Prices prices, Duration wall,
                          Table labels, Table failures, List<String> batchJobs) {
        long tin = tokensIn.get();
        long tout = tokensOut.get();
        return new EnrichSummary(rows, labelled, failedRows, resumed, failedBefore, calls.get(), cached.get(), reasked.get(),
                splits.get(), http == null ? 0 : http.attempts() - httpAttempts0, http == null ? 0 : http.retries() - retries0,
                http == null ? 0 : http.throttledCount() - throttled0, tin, tout,
                prices == null ? OptionalDouble.empty() : OptionalDouble.of(prices.cost(tin, tout)), wall, labels, failures,
                batchJobs);
    }
}
