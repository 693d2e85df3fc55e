package dev.notebench.train.notify;

import com.google.gson.Gson;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.internal.RetryAfter;
import dev.notebench.secrets.Secrets;
import dev.notebench.train.RunListener;
import dev.notebench.train.RunState;
import dev.notebench.train.TrainRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a run's events to a webhook: Discord ({@code {"content": ...}}), Slack
 * ({@code {"text": ...}}) or any other endpoint (both fields plus a {@code notebench} object with
 * the event's values). The start and the end of a run are always sent; evaluations and
 * checkpoints closer than {@link Builder#minInterval} to the previous message are skipped, so a
 * fast run does not flood a channel. Messages go out in order from a thread of the notifier's own,
 * never slowing training; {@link #close} waits briefly for the last of them.
 *
 * <p>The URL is a secret (it carries the channel's token): it is never logged, and does not go
 * into a run's manifest. Pass it through the environment, {@value #ENV}, rather than a command
 * line or a notebook cell; the application reads the environment (the CLI, the kernel) and
 * passes it in:
 *
 * <pre>{@code
 * try (WebhookNotifier n = WebhookNotifier.fromEnvironment(System.getenv()).build()) {
 *     TrainRun.create(config).listener(n).run();
 * }
 * }</pre>
 */
public final class WebhookNotifier implements RunListener, AutoCloseable {
    /** The environment variable that holds the webhook URL. */
    public static final String ENV = "NOTEBENCH_WEBHOOK_URL";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_RETRY_AFTER_S = 30;

    private final HttpUrl url;
    private final Secrets secrets;
    private final Format format;
    private final Duration minInterval;
    private final Clock clock;
    private final OkHttpClient client;
    private final ThreadPoolExecutor sender;
    private final Gson gson = new Gson();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private String runId = "run";
    private long steps;
    private long lastStep = -1;
    private double lastLoss = Double.NaN;
    private double bestVal = Double.NaN;
    private Instant lastSent;
    private boolean anySent;

    /** What a webhook accepts. */
    public enum Format {
        /** {@code {"content": text}} (discord.com, discordapp.com). */
        DISCORD,
        /** {@code {"text": text}} (hooks.slack.com). */
        SLACK,
        /** {@code {"text", "content", "notebench": {event values}}}: any other endpoint. */
        GENERIC;

        /** The format a URL's host implies. */
        static Format of(HttpUrl url) {
            String host = url.host();
            if (host.equals("discord.com") || host.endsWith(".discord.com") || host.equals("discordapp.com")
                    || host.endsWith(".discordapp.com")) {
                return DISCORD;
            }
            if (host.equals("hooks.slack.com")) {
                return SLACK;
            }
            return GENERIC;
        }
    }

    private WebhookNotifier(Builder b) {
        this.url = b.url;
        this.secrets = secretsOf(b.url);
        this.format = b.format != null ? b.format : Format.of(b.url);
        this.minInterval = b.minInterval;
        this.clock = b.clock;
        this.client = b.client != null ? b.client : new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(b.queue), r -> {
            Thread t = new Thread(r, "notebench-webhook");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts building a notifier.
     *
     * @param url the webhook URL (http or https)
     * @return a builder
     * @throws NotebenchException (CONFIG_INVALID) when the URL is not an http(s) URL; the message
     *     does not repeat it
     */
    public static Builder builder(String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "the webhook URL is not an http(s) URL; set " + ENV + " to the URL your Discord or Slack channel gave you");
        }
        return new Builder(parsed);
    }

    /**
     * A notifier builder for the URL in {@value #ENV} of an environment.
     *
     * @param environment the environment, e.g. {@code System.getenv()} read by the application
     * @return the builder
     * @throws NotebenchException (CONFIG_INVALID) when the variable is not set or not a URL
     */
    public static Builder fromEnvironment(Map<String, String> environment) {
        String url = environment.get(ENV);
        if (url == null || url.isBlank()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "notifications need the webhook URL in the environment variable "
                    + ENV + " (of the kernel or the shell); it is kept out of commands, notebooks and logs");
        }
        return builder(url);
    }

    /** Returns how many messages were delivered. */
    public int sent() {
        return sent.get();
    }

    /** Returns how many messages could not be delivered (each logged, without the URL). */
    public int failed() {
        return failed.get();
    }

    /** Returns how many evaluations and checkpoints were skipped by the rate limit. */
    public int skipped() {
        return skipped.get();
    }

    @Override
    public synchronized void started(TrainRun run, long step) {
        runId = run.config().runId();
        steps = run.config().steps();
        Map<String, Object> v = values("started", step);
        v.put("device", run.config().device());
        v.put("family", run.config().model().family());
        post(true, String.format(Locale.ROOT, "notebench %s: %s at step %d/%d (%s, device %s)", runId,
                step == 0 ? "started" : "resumed", step + 1, steps, run.config().model().family(), run.config().device()), v);
    }

    @Override
    public synchronized void step(Step s) {
        lastStep = s.step();
        lastLoss = s.loss();
    }

    @Override
    public synchronized void eval(Eval e) {
        if (!(bestVal <= e.loss())) {
            bestVal = e.loss();
        }
        Map<String, Object> v = values("eval", e.step());
        v.put("val_loss", e.loss());
        v.put("val_ppl", e.perplexity());
        v.put("best", e.best());
        post(false, String.format(Locale.ROOT, "notebench %s: step %d/%d, val loss %.4f (ppl %.2f)%s, train loss %.4f", runId,
                e.step() + 1, steps, e.loss(), e.perplexity(), e.best() ? ", best so far" : "", lastLoss), v);
    }

    @Override
    public synchronized void checkpoint(long step, Path dir) {
        Map<String, Object> v = values("checkpoint", step);
        v.put("checkpoint", dir.getFileName().toString());
        post(false, String.format(Locale.ROOT, "notebench %s: checkpoint %s at step %d/%d", runId, dir.getFileName(), step + 1,
                steps), v);
    }

    @Override
    public synchronized void ended(RunState status, String message) {
        Map<String, Object> v = values(status.json(), lastStep);
        v.put("train_loss", Double.isFinite(lastLoss) ? lastLoss : null);
        v.put("best_val_loss", Double.isFinite(bestVal) ? bestVal : null);
        if (message != null) {
            v.put("message", message);
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "notebench %s: %s after step %d/%d", runId, status,
                lastStep + 1, steps));
        if (Double.isFinite(lastLoss)) {
            text.append(String.format(Locale.ROOT, ", train loss %.4f", lastLoss));
        }
        if (Double.isFinite(bestVal)) {
            text.append(String.format(Locale.ROOT, ", best val loss %.4f", bestVal));
        }
        if (message != null) {
            text.append(": ").append(message);
        }
        post(true, text.toString(), v);
    }

    private Map<String, Object> values(String event, long step) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("event", event);
        v.put("run_id", runId);
        v.put("step", step + 1);
        v.put("steps", steps);
        return v;
    }

    private void post(boolean always, String text, Map<String, Object> values) {
        Instant now = clock.instant();
        if (!always && anySent && Duration.between(lastSent, now).compareTo(minInterval) < 0) {
            skipped.incrementAndGet();
            return;
        }
        anySent = true;
        lastSent = now;
        Map<String, Object> body = new LinkedHashMap<>();
        if (format != Format.DISCORD) {
            body.put("text", text);
        }
        if (format != Format.SLACK) {
            body.put("content", text);
        }
        if (format == Format.GENERIC) {
            body.put("notebench", values);
        }
        String json = gson.toJson(body);
        try {
            sender.execute(() -> deliver(json));
        } catch (RejectedExecutionException e) {
            failed.incrementAndGet();
            LOG.warn("webhook notification dropped: {}", sender.isShutdown() ? "the notifier is closed" : "too many are waiting");
        }
    }

    private void deliver(String json) {
        for (int attempt = 1; ; attempt++) {
            Request request = new Request.Builder().url(url).post(RequestBody.create(json, JSON)).build();
            try (Response r = client.newCall(request).execute()) {
                if (r.isSuccessful()) {
                    sent.incrementAndGet();
                    return;
                }
                boolean retry = attempt == 1 && (r.code() == 429 || r.code() >= 500);
                if (!retry) {
                    failed.incrementAndGet();
                    LOG.warn("webhook notification failed: HTTP {}{}", r.code(), r.message().isEmpty() ? "" : " "
                            + redact(r.message()));
                    return;
                }
                Thread.sleep(retryAfterMillis(r.header("Retry-After"), clock));
            } catch (IOException e) {
                if (attempt > 1) {
                    failed.incrementAndGet();
                    LOG.warn("webhook notification failed: {}: {}", e.getClass().getSimpleName(), redact(e.getMessage()));
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.incrementAndGet();
                return;
            }
        }
    }

    /**
     * The wait a {@code Retry-After} asks for ({@link RetryAfter}, a date read against {@code clock}),
     * at most 30 s; 1 s when it says nothing usable.
     */
    static long retryAfterMillis(String header, Clock clock) {
        return RetryAfter.parse(header, clock).map(d -> Math.min(d.toMillis(), MAX_RETRY_AFTER_S * 1000L))
                .orElse(1000L);
    }

    /** The URL as secrets: the whole of it, its path and its query (where a token is), as written and decoded. */
    private static Secrets secretsOf(HttpUrl url) {
        Secrets.Builder b = Secrets.builder().value(url.toString());
        if (url.encodedPath().length() > 1) {
            b.value(url.encodedPath()).value(String.join("/", url.pathSegments()));
        }
        if (url.encodedQuery() != null) {
            b.value(url.encodedQuery()).value(url.query());
        }
        return b.build();
    }

    /** Removes the URL, and its path and query (where the token is), from a message: what a server or an error says. */
    String redact(String message) {
        return message == null ? "" : secrets.scrub(message);
    }

    /** Waits up to 10 seconds for the messages still going out, then stops the sending thread. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
                sender.shutdownNow();
                LOG.warn("webhook notifications still unsent after 10 s were dropped");
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "WebhookNotifier{" + url.scheme() + "://" + url.host() + "/<redacted>, " + format + "}";
    }

    /** Builds a {@link WebhookNotifier}. */
    public static final class Builder {
        private final HttpUrl url;
        private Format format;
        private Duration minInterval = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private OkHttpClient client;
        private int queue = 64;

        private Builder(HttpUrl url) {
            this.url = url;
        }

        /**
         * Sets the payload format; by default it follows the host (Discord, Slack, else generic).
         *
         * @param format the format
         * @return this builder
         */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Sets the least time between two messages about evaluations or checkpoints (default 30 s).
         *
         * @param minInterval the interval, zero to send every one
         * @return this builder
         */
        public Builder minInterval(Duration minInterval) {
            if (minInterval.isNegative()) {
                throw new IllegalArgumentException("minInterval must not be negative, got " + minInterval);
            }
            this.minInterval = minInterval;
            return this;
        }

        /**
         * Sets the clock the least time between messages is measured by (default: the system's).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the HTTP client, e.g. one shared with the rest of an application or with a proxy.
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Builds the notifier, which owns a sending thread until {@link #close}. */
        public WebhookNotifier build() {
            return new WebhookNotifier(this);
        }
    }
}
