package dev.notebench.spark.enrich;

import dev.notebench.http.ApiKey;
import dev.notebench.enrich.AnnotatorOptions;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An annotator's configuration as it travels from the driver to the executors: what
 * {@link AnnotatorOptions} say, with the API key itself in place of the environment it was read
 * from. It travels inside the serialized task (never as a {@code spark.*} setting, so it is not in
 * Spark's configuration, UI or event log); {@link #toString()} names the key's variable, never the
 * key. Each executor JVM rebuilds the options from it and opens one annotator through the
 * provider ({@code openai}, {@code local}, ...), shared by its tasks.
 *
 * <p>The {@link Limits} it carries (calls in flight, requests and tokens per minute) are the
 * cluster-wide ones; {@link SparkEnricher} gives each executor its {@link Limits#share}.
 */
public final class SparkAnnotator implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String provider;
    private final String model;
    private final String baseUrl;
    private final String apiKeyEnv;
    private final String key;
    private final double temperature;
    private final int maxTokens;
    private final Limits limits;
    private final Duration timeout;
    private final int retries;
    private final String responseCache;
    private final HashMap<String, String> headers;
    private final HashMap<String, String> settings;
    private final boolean logprobs;

    private SparkAnnotator(AnnotatorOptions o, String key) {
        this.provider = o.provider();
        this.model = o.model().orElse(null);
        this.baseUrl = o.baseUrl().orElse(null);
        this.apiKeyEnv = o.apiKeyEnv().orElse(null);
        this.key = key;
        this.temperature = o.temperature();
        this.maxTokens = o.maxTokens();
        this.limits = new Limits(o.workers(), o.requestsPerMinute(), o.tokensPerMinute());
        this.timeout = o.timeout();
        this.retries = o.retries();
        this.responseCache = o.responseCache().map(Path::toString).orElse(null);
        this.headers = new HashMap<>(o.headers());
        this.settings = new HashMap<>(o.settings());
        this.logprobs = o.logprobs();
    }

    private SparkAnnotator(SparkAnnotator o, Limits limits) {
        this.provider = o.provider;
        this.model = o.model;
        this.baseUrl = o.baseUrl;
        this.apiKeyEnv = o.apiKeyEnv;
        this.key = o.key;
        this.temperature = o.temperature;
        this.maxTokens = o.maxTokens;
        this.limits = limits;
        this.timeout = o.timeout;
        this.retries = o.retries;
        this.responseCache = o.responseCache;
        this.headers = o.headers;
        this.settings = o.settings;
        this.logprobs = o.logprobs;
    }

    /**
     * The configuration of these options, the key read now (on the driver) from the options'
     * environment. The response cache file ({@link AnnotatorOptions#responseCache()}) must be a path
     * every executor can open: see {@link SparkEnricher} for why and what it guarantees.
     *
     * @param options the options, as for the local {@code Enricher}
     * @throws dev.notebench.NotebenchException (CONFIG_INVALID) when the key's variable is unset or blank
     */
    public static SparkAnnotator of(AnnotatorOptions options) {
        String key = null;
        if (options.apiKeyEnv().isPresent()) {
            ApiKey.fromEnvironment(options.apiKeyEnv().get(), options.environment()); // its error when the variable is empty
            key = options.environment().get(options.apiKeyEnv().get()).strip();
        }
        return new SparkAnnotator(options, key);
    }

    /**
     * Limits on the calls to a server.
     *
     * @param workers the most calls in flight at once
     * @param requestsPerMinute requests per minute allowed; 0 for no limit
     * @param tokensPerMinute prompt tokens per minute allowed; 0 for no limit
     */
    public record Limits(int workers, long requestsPerMinute, long tokensPerMinute) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * One executor's share: each limit divided by the executors, rounded down so that the shares
         * add up to at most the limit, but at least 1 (a limit below the executors' count cannot be
         * divided: each executor then runs one call at a time, or one request a minute); no limit
         * stays none.
         *
         * @param executors how many executors share the limits, at least 1
         */
        public Limits share(int executors) {
            return new Limits((int) share(workers, executors), share(requestsPerMinute, executors), share(tokensPerMinute, executors));
        }

        private static long share(long limit, int executors) {
            return limit == 0 ? 0 : Math.max(1, limit / executors);
        }
    }

    /** This configuration with other limits (one executor's share). */
    SparkAnnotator withLimits(Limits limits) {
        return new SparkAnnotator(this, limits);
    }

    /** The provider's name, e.g. {@code openai}. */
    public String provider() {
        return provider;
    }

    /** The limits on calls: the cluster's as given, one executor's in a task. */
    public Limits limits() {
        return limits;
    }

    /** The response cache file, if answers are cached. */
    public java.util.Optional<Path> responseCache() {
        return java.util.Optional.ofNullable(responseCache).map(Path::of);
    }

    /** The options again, as the provider reads them; the key in an environment of its variable alone. */
    AnnotatorOptions options() {
        AnnotatorOptions.Builder b = AnnotatorOptions.builder(provider).model(model).baseUrl(baseUrl).apiKeyEnv(apiKeyEnv)
                .environment(key == null ? Map.of() : Map.of(apiKeyEnv, key)).temperature(temperature).maxTokens(maxTokens)
                .workers(limits.workers()).rateLimits(limits.requestsPerMinute(), limits.tokensPerMinute()).timeout(timeout)
                .retries(retries).responseCache(responseCache == null ? null : Path.of(responseCache)).logprobs(logprobs);
        headers.forEach(b::header);
        settings.forEach(b::setting);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparkAnnotator a && a.provider.equals(provider) && Objects.equals(a.model, model)
                && Objects.equals(a.baseUrl, baseUrl) && Objects.equals(a.apiKeyEnv, apiKeyEnv) && Objects.equals(a.key, key)
                && a.temperature == temperature && a.maxTokens == maxTokens && a.limits.equals(limits) && a.timeout.equals(timeout)
                && a.retries == retries && Objects.equals(a.responseCache, responseCache) && a.headers.equals(headers)
                && a.settings.equals(settings) && a.logprobs == logprobs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, model, baseUrl, apiKeyEnv, key, temperature, maxTokens, limits, timeout, retries, responseCache,
                headers, settings, logprobs);
    }

    /** The provider, model, server, the key's variable and the limits; never the key or the headers' values. */
    @Override
    public String toString() {
        return "SparkAnnotator[" + provider + (model == null ? "" : " " + model) + (baseUrl == null ? "" : " @ " + baseUrl)
                + (apiKeyEnv == null ? "" : ", key $" + apiKeyEnv) + ", " + limits + "]";
    }
}
