package dev.notebench.http;

import dev.notebench.internal.RetryAfter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries what a model API expects clients to retry: a 429 after its {@code Retry-After} (seconds
 * or an HTTP date, capped; a date already past retries at once, RFC 9110 §10.2.3), 5xx answers, timeouts and connection errors after an exponential backoff
 * with full jitter; not a 5xx that says the request does not fit the model's context
 * ({@link ApiErrors#isContextOverflow}), which asking again cannot change. Other answers (2xx, 4xx)
 * pass through at once. Add it as an application
 * interceptor, before an {@link AdaptiveConcurrency#interceptor()}, so that a request waiting to be
 * retried holds no concurrency permit:
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(RetryInterceptor.builder().maxRetries(6).stats(stats).build())
 *     .addInterceptor(concurrency.interceptor())
 *     .build();
 * }</pre>
 *
 * <p>When the retries are spent, the last answer (a 429 or 5xx) is returned, or the last
 * {@link IOException} thrown, for the caller to report. Waiting is interruptible and a cancelled
 * call stops retrying.
 */
public final class RetryInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);
    private static final long MAX_PEEK = 64 * 1024;

    /** Waits between attempts; replaced in tests. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Waits.
         *
         * @param millis how long
         * @throws InterruptedException when the thread is interrupted
         */
        void sleep(long millis) throws InterruptedException;
    }

    private final int maxRetries;
    private final long baseBackoffMs;
    private final long maxBackoffMs;
    private final long maxRetryAfterMs;
    private final CallStats stats;
    private final Sleeper sleeper;
    private final Clock clock;

    private RetryInterceptor(Builder b) {
        this.maxRetries = b.maxRetries;
        this.baseBackoffMs = b.baseBackoff.toMillis();
        this.maxBackoffMs = b.maxBackoff.toMillis();
        this.maxRetryAfterMs = b.maxRetryAfter.toMillis();
        this.stats = b.stats;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
    }

    /** Starts describing a retry policy: 5 retries, backoff from 500 ms up to 30 s, Retry-After up to 60 s. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        for (int attempt = 0; ; attempt++) {
            stats.attempt();
            long waitMs;
            String why;
            try {
                Response response = chain.proceed(request);
                int code = response.code();
                if (code == 429) {
                    stats.throttled();
                } else if (code >= 500) {
                    stats.failure();
                    if (ApiErrors.isContextOverflow(code, response.peekBody(MAX_PEEK).string())) {
                        return response; // a request too long for the model's context (older llama.cpp: 500) stays too long
                    }
                } else {
                    return response;
                }
                if (attempt >= maxRetries || chain.call().isCanceled()) {
                    return response;
                }
                waitMs = code == 429 ? retryAfter(response.header("Retry-After"), attempt) : backoff(attempt);
                why = "HTTP " + code;
                response.close();
            } catch (IOException e) {
                stats.failure();
                if (attempt >= maxRetries || chain.call().isCanceled() || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                waitMs = backoff(attempt);
                why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            stats.retry();
            LOG.debug("{} {}: {}; retry {} of {} in {} ms", request.method(), request.url().redact(), why, attempt + 1,
                    maxRetries, waitMs);
            try {
                sleeper.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException stop = new InterruptedIOException("interrupted while waiting to retry " + request.url().redact());
                stop.initCause(e);
                throw stop;
            }
        }
    }

    /** The wait before retry {@code attempt + 1}: uniform in [0, min(max, base * 2^attempt)] (full jitter), at least 1 ms. */
    long backoff(int attempt) {
        long ceiling = Math.min(maxBackoffMs, baseBackoffMs << Math.min(attempt, 20));
        return 1 + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
    }

    /**
     * The wait a 429's {@code Retry-After} asks for ({@link RetryAfter}: delta seconds, fractional
     * accepted, or an HTTP date, 0 when it is past), capped; a backoff when the header is absent or
     * unreadable.
     */
    long retryAfter(String header, int attempt) {
        return RetryAfter.parse(header, clock).map(d -> Math.min(maxRetryAfterMs, d.toMillis())).orElseGet(() -> backoff(attempt));
    }

    /** Describes a retry policy. */
    public static final class Builder {
        private int maxRetries = 5;
        private Duration baseBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private CallStats stats = new CallStats();
        private Sleeper sleeper = Thread::sleep;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** How many times one request is retried (default 5); 0 disables retries. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("retries " + maxRetries + " must be 0 or more");
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** The first backoff (default 500 ms) and the longest (default 30 s); each retry doubles the ceiling. */
        public Builder backoff(Duration base, Duration max) {
            if (base.isNegative() || max.compareTo(base) < 0) {
                throw new IllegalArgumentException("backoff " + base + " .. " + max + " must be 0 or more and increasing");
            }
            this.baseBackoff = base;
            this.maxBackoff = max;
            return this;
        }

        /** The longest {@code Retry-After} honoured (default 60 s); longer asks wait this long. */
        public Builder maxRetryAfter(Duration max) {
            this.maxRetryAfter = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Where attempts, retries, 429s and failures are counted. */
        public Builder stats(CallStats stats) {
            this.stats = Objects.requireNonNull(stats, "stats");
            return this;
        }

        /** How waiting is done (tests record waits instead of sleeping). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The clock that {@code Retry-After} dates are read against (tests fix it). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the interceptor. */
        public RetryInterceptor build() {
            return new RetryInterceptor(this);
        }
    }
}
