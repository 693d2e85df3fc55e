package dev.notebench.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * How many requests may be in flight at once, adapted to what the server allows by AIMD: each
 * successful answer to a request sent while at least half the limit was in use raises the limit
 * by {@code 1/limit} (about one more request per round of answers; a limit far above what callers
 * use does not grow; within one request of the limit that drew the last 429, a quarter of that), each 429 lowers it to {@code limit * decrease} (default 0.75) once per round (429s
 * of requests sent before the last decrease do not lower it again). The limit stays within
 * [1, max]. Throughput therefore converges to the server's allowance instead of hammering it.
 *
 * <p>{@link #interceptor()} takes a permit around every attempt; put it after the
 * {@link RetryInterceptor} so that waiting requests hold none. One instance is shared by every
 * thread sending to the same server.
 */
public final class AdaptiveConcurrency {
    private final int max;
    private final double decrease;
    private double limit;
    private double ceiling = Double.POSITIVE_INFINITY;
    private int inFlight;
    private int peakInFlight;
    private long epoch;
    private long decreases;

    /**
     * Creates a limiter that starts at its maximum.
     *
     * @param max the most requests in flight (the user's {@code workers})
     */
    public AdaptiveConcurrency(int max) {
        this(max, max, 0.75);
    }

    /**
     * Creates a limiter.
     *
     * @param max the most requests in flight
     * @param initial the first limit, 1..max
     * @param decrease the factor applied on a 429, in (0, 1)
     */
    public AdaptiveConcurrency(int max, int initial, double decrease) {
        if (max < 1 || initial < 1 || initial > max) {
            throw new IllegalArgumentException("concurrency " + initial + " of at most " + max + ": both must be at least 1");
        }
        if (!(decrease > 0 && decrease < 1)) {
            throw new IllegalArgumentException("decrease " + decrease + " must be between 0 and 1");
        }
        this.max = max;
        this.limit = initial;
        this.decrease = decrease;
    }

    /** A permit for one request, remembering the round it started in. */
    public static final class Permit {
        private final long epoch;
        private final boolean saturated;
        private boolean released;

        private Permit(long epoch, boolean saturated) {
            this.epoch = epoch;
            this.saturated = saturated;
        }
    }

    /**
     * Waits until fewer than {@link #limit()} requests are in flight and takes a permit.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized Permit acquire() throws InterruptedException {
        while (inFlight >= (int) limit) {
            wait();
        }
        inFlight++;
        peakInFlight = Math.max(peakInFlight, inFlight);
        return new Permit(epoch, 2 * inFlight >= limit);
    }

    /**
     * Gives a permit back with the answer's outcome.
     *
     * @param permit the permit from {@link #acquire()}
     * @param throttled whether the server answered 429
     * @param success whether the server answered (not 429, not 5xx, no I/O error); neither raises nor lowers the limit otherwise
     */
    public synchronized void release(Permit permit, boolean throttled, boolean success) {
        if (permit.released) {
            return;
        }
        permit.released = true;
        inFlight--;
        if (throttled) {
            if (permit.epoch == epoch) {
                ceiling = limit;
                limit = Math.max(1, limit * decrease);
                epoch++;
                decreases++;
            }
        } else if (success && permit.saturated) {
            double step = 1 / limit;
            if (limit + 1 > ceiling) {
                step /= 4; // near the limit that drew the last 429: probe slowly
            }
            limit = Math.min(max, limit + step);
            if (limit >= ceiling + 1) {
                ceiling = Double.POSITIVE_INFINITY; // the server allows more now
            }
        }
        notifyAll();
    }

    /** The current limit (whole requests). */
    public synchronized int limit() {
        return (int) limit;
    }

    /** The current limit with its fraction (the additive increase accumulates there). */
    public synchronized double exactLimit() {
        return limit;
    }

    /** The largest number of requests that were in flight at once. */
    public synchronized int peakInFlight() {
        return peakInFlight;
    }

    /** Requests in flight now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** How many times a 429 lowered the limit. */
    public synchronized long decreases() {
        return decreases;
    }

    /** The configured maximum. */
    public int max() {
        return max;
    }

    /** An interceptor that holds a permit for each attempt and feeds its outcome back. */
    public Interceptor interceptor() {
        return chain -> {
            Permit permit;
            try {
                permit = acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a free request slot");
            }
            boolean throttled = false;
            boolean success = false;
            try {
                Response response = chain.proceed(chain.request());
                throttled = response.code() == 429;
                success = response.code() < 500 && !throttled;
                return response;
            } catch (IOException | RuntimeException e) {
                throw e;
            } finally {
                release(permit, throttled, success);
            }
        };
    }

    @Override
    public synchronized String toString() {
        return "AdaptiveConcurrency[limit=" + String.format(java.util.Locale.ROOT, "%.2f", limit) + ", max=" + max
                + ", inFlight=" + inFlight + "]";
    }
}
