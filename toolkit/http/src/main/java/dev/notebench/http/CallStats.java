package dev.notebench.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one client's HTTP traffic, safe to update from any thread: requests sent (every
 * attempt), retries, 429 answers, other failed attempts, and tokens in and out as reported by the
 * server's {@code usage}. A {@link RetryInterceptor} and the caller that reads {@code usage} fill it.
 */
public final class CallStats {
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong tokensIn = new AtomicLong();
    private final AtomicLong tokensOut = new AtomicLong();

    /** Counts one request sent to the server. */
    public void attempt() {
        attempts.incrementAndGet();
    }

    /** Counts one retry of a request. */
    public void retry() {
        retries.incrementAndGet();
    }

    /** Counts one 429 answer. */
    public void throttled() {
        throttled.incrementAndGet();
    }

    /** Counts one failed attempt (5xx, timeout, connection error). */
    public void failure() {
        failures.incrementAndGet();
    }

    /**
     * Adds the tokens one answer reports.
     *
     * @param in prompt tokens
     * @param out completion tokens
     */
    public void tokens(long in, long out) {
        tokensIn.addAndGet(in);
        tokensOut.addAndGet(out);
    }

    /** Requests sent, retries included. */
    public long attempts() {
        return attempts.get();
    }

    /** Retries. */
    public long retries() {
        return retries.get();
    }

    /** 429 answers. */
    public long throttledCount() {
        return throttled.get();
    }

    /** Failed attempts other than 429. */
    public long failures() {
        return failures.get();
    }

    /** Prompt tokens reported by the server. */
    public long tokensIn() {
        return tokensIn.get();
    }

    /** Completion tokens reported by the server. */
    public long tokensOut() {
        return tokensOut.get();
    }

    @Override
    public String toString() {
        return "CallStats[attempts=" + attempts + ", retries=" + retries + ", 429s=" + throttled + ", failures=" + failures
                + ", tokensIn=" + tokensIn + ", tokensOut=" + tokensOut + "]";
    }
}
