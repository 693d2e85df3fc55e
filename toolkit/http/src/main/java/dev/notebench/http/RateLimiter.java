package dev.notebench.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Interceptor;
import okhttp3.RequestBody;

/**
 * Requests-per-minute and tokens-per-minute limits as token buckets refilled continuously, each
 * holding at most one second of its allowance, so that requests are spread evenly rather than
 * sent in a burst and then refused. A request larger than a bucket is let through when the bucket
 * is full and leaves it in debt, so big requests are slowed, never stuck. Tokens are estimated from
 * the request body (4 bytes a token, the usual figure for English text).
 */
public final class RateLimiter {
    private final Bucket requests;
    private final Bucket tokens;

    /**
     * Creates the limits.
     *
     * @param requestsPerMinute the most requests a minute; 0 for no limit
     * @param tokensPerMinute the most (estimated) prompt tokens a minute; 0 for no limit
     */
    public RateLimiter(long requestsPerMinute, long tokensPerMinute) {
        if (requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (none) or more");
        }
        this.requests = requestsPerMinute == 0 ? null : new Bucket(requestsPerMinute);
        this.tokens = tokensPerMinute == 0 ? null : new Bucket(tokensPerMinute);
    }

    /**
     * Waits until a request of about {@code estimatedTokens} tokens may be sent.
     *
     * @param estimatedTokens the request's prompt tokens (an estimate)
     * @throws InterruptedException when interrupted while waiting
     */
    public void acquire(long estimatedTokens) throws InterruptedException {
        if (requests != null) {
            requests.take(1);
        }
        if (tokens != null) {
            tokens.take(estimatedTokens);
        }
    }

    /** An interceptor that waits for both limits before each attempt. */
    public Interceptor interceptor() {
        return chain -> {
            RequestBody body = chain.request().body();
            long bytes = body == null ? 0 : Math.max(0, body.contentLength());
            try {
                acquire(Math.max(1, bytes / 4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the rate limit");
            }
            return chain.proceed(chain.request());
        };
    }

    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private double level;
        private long last = System.nanoTime();

        Bucket(long perMinute) {
            this.perNano = perMinute / 60e9;
            this.capacity = Math.max(1, perMinute / 60.0);
            this.level = capacity;
        }

        synchronized void take(long amount) throws InterruptedException {
            while (true) {
                long now = System.nanoTime();
                level = Math.min(capacity, level + (now - last) * perNano);
                last = now;
                double needed = Math.min(amount, capacity);
                if (level >= needed) {
                    level -= amount;
                    return;
                }
                long waitNanos = (long) Math.ceil((needed - level) / perNano);
                wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
            }
        }
    }
}
