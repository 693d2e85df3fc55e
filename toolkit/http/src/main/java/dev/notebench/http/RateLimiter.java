package dev.notebench.http;

import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Interceptor;
import okhttp3.RequestBody;

/**
 * Requests-per-minute and tokens-per-minute limits as token buckets refilled continuously, each
 * holding at most one second of its allowance, so that requests are spread evenly rather than
 * sent in a burst and then refused. A request larger than a bucket is let through when the bucket
 * is full and leaves it in debt, so big requests are slowed, never stuck. Tokens are estimated from
 * the request body (4 bytes a token, the usual figure for English text). Time is a {@link Ticker}:
 * the system's, or in tests one that moves only when asked to wait.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(new RateLimiter(500, 200_000).interceptor())   // 500 requests, 200k tokens a minute
 *     .build();
 * }</pre>
 */
public final class RateLimiter {
    /** A nanosecond clock that can wait. */
    public interface Ticker {
        /** The system's: {@link System#nanoTime()} and {@link TimeUnit#sleep}. */
        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };

        /** Now, in nanoseconds from an arbitrary origin. */
        long nanoTime();

        /**
         * Waits.
         *
         * @param nanos how long
         * @throws InterruptedException when the thread is interrupted
         */
        void sleep(long nanos) throws InterruptedException;
    }

    private final Bucket requests;
    private final Bucket tokens;

    /**
     * Creates the limits on the system's clock.
     *
     * @param requestsPerMinute the most requests a minute; 0 for no limit
     * @param tokensPerMinute the most (estimated) prompt tokens a minute; 0 for no limit
     */
    public RateLimiter(long requestsPerMinute, long tokensPerMinute) {
        this(requestsPerMinute, tokensPerMinute, Ticker.SYSTEM);
    }

    /**
     * Creates the limits on a clock.
     *
     * @param requestsPerMinute the most requests a minute; 0 for no limit
     * @param tokensPerMinute the most (estimated) prompt tokens a minute; 0 for no limit
     * @param ticker the time the buckets refill by, and the waiting
     */
    public RateLimiter(long requestsPerMinute, long tokensPerMinute, Ticker ticker) {
        if (requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (none) or more");
        }
        Objects.requireNonNull(ticker, "ticker");
        this.requests = requestsPerMinute == 0 ? null : new Bucket(requestsPerMinute, ticker);
        this.tokens = tokensPerMinute == 0 ? null : new Bucket(tokensPerMinute, ticker);
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

    /** One allowance; a waiting taker holds the lock, so takers are served in turn and each can be interrupted. */
    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private final Ticker ticker;
        private final ReentrantLock lock = new ReentrantLock(true);
        private double level;
        private long last;

        Bucket(long perMinute, Ticker ticker) {
            this.perNano = perMinute / 60e9;
            this.capacity = Math.max(1, perMinute / 60.0);
            this.level = capacity;
            this.ticker = ticker;
            this.last = ticker.nanoTime();
        }

        void take(long amount) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (true) {
                    long now = ticker.nanoTime();
                    level = Math.min(capacity, level + (now - last) * perNano);
                    last = now;
                    double needed = Math.min(amount, capacity);
                    if (level >= needed) {
                        level -= amount;
                        return;
                    }
                    ticker.sleep(Math.max(1, (long) Math.ceil((needed - level) / perNano)));
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
