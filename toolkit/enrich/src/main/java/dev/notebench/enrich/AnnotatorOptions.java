package dev.notebench.enrich;

import dev.notebench.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AnnotatorProvider} needs to open an annotator: the server and model, the key's
 * variable name (never the key), sampling, concurrency, rate limits, the response cache, the
 * secrets to scrub from whatever a server answers, and provider-specific settings. Immutable; made
 * with {@link #builder(String)}.
 */
public final class AnnotatorOptions {
    private final String provider;
    private final String model;
    private final String baseUrl;
    private final String apiKeyEnv;
    private final double temperature;
    private final int maxTokens;
    private final int workers;
    private final long requestsPerMinute;
    private final long tokensPerMinute;
    private final Duration timeout;
    private final int retries;
    private final Path responseCache;
    private final Map<String, String> headers;
    private final Map<String, String> settings;
    private final Map<String, String> environment;
    private final Secrets secrets;
    private final boolean logprobs;

    private AnnotatorOptions(Builder b) {
        this.provider = b.provider;
        this.model = b.model;
        this.baseUrl = b.baseUrl;
        this.apiKeyEnv = b.apiKeyEnv;
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
        this.workers = b.workers;
        this.requestsPerMinute = b.requestsPerMinute;
        this.tokensPerMinute = b.tokensPerMinute;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.responseCache = b.responseCache;
        this.headers = Map.copyOf(b.headers);
        this.settings = Map.copyOf(b.settings);
        this.environment = b.environment;
        this.secrets = b.secrets;
        this.logprobs = b.logprobs;
    }

    /**
     * Starts describing options for a provider.
     *
     * @param provider the provider's name, e.g. {@code openai} or {@code local}
     */
    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    /** The provider's name. */
    public String provider() {
        return provider;
    }

    /** The model, if given. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** The base URL, if given. */
    public Optional<String> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /** The name of the variable holding the key, if any. */
    public Optional<String> apiKeyEnv() {
        return Optional.ofNullable(apiKeyEnv);
    }

    /** The sampling temperature. */
    public double temperature() {
        return temperature;
    }

    /** The most tokens of one answer; 0 for the server's default. */
    public int maxTokens() {
        return maxTokens;
    }

    /** The most calls in flight. */
    public int workers() {
        return workers;
    }

    /** Requests per minute allowed; 0 for no limit. */
    public long requestsPerMinute() {
        return requestsPerMinute;
    }

    /** Prompt tokens per minute allowed; 0 for no limit. */
    public long tokensPerMinute() {
        return tokensPerMinute;
    }

    /** Whether to ask a model for token log-probabilities, to give each row a confidence (off by default). */
    public boolean logprobs() {
        return logprobs;
    }

    /** The time limit of one answer. */
    public Duration timeout() {
        return timeout;
    }

    /** Retries of one request. */
    public int retries() {
        return retries;
    }

    /** The response cache file, if answers are cached. */
    public Optional<Path> responseCache() {
        return Optional.ofNullable(responseCache);
    }

    /** Headers added to every request. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Provider-specific settings, e.g. the local labeler's {@code modelsDir}. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The environment the key and a provider's variables are read from (empty unless one was given). */
    public Map<String, String> environment() {
        return environment;
    }

    /** The secrets the process knows (the key, headers' values, a webhook URL), scrubbed from every answer. */
    public Secrets secrets() {
        return secrets;
    }

    /** Describes options. */
    public static final class Builder {
        private final String provider;
        private String model;
        private String baseUrl;
        private String apiKeyEnv;
        private double temperature;
        private int maxTokens;
        private int workers = 4;
        private long requestsPerMinute;
        private long tokensPerMinute;
        private Duration timeout = Duration.ofSeconds(120);
        private int retries = 6;
        private Path responseCache;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Map<String, String> environment = Map.of();
        private Secrets secrets = Secrets.NONE;
        private boolean logprobs;

        private Builder(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /**
         * Asks a model stage for token log-probabilities ({@code logprobs: true}) and makes each
         * row's confidence from those of its values' tokens; servers that return none give no
         * confidence. Default off.
         */
        public Builder logprobs(boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /** The model. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The base URL, ending in /v1. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The name of the environment variable holding the key; null for none. */
        public Builder apiKeyEnv(String apiKeyEnv) {
            this.apiKeyEnv = apiKeyEnv;
            return this;
        }

        /** The sampling temperature (default 0). */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** The most tokens of one answer (default 0: the server's). */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** The most calls in flight (default 4). */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Requests and prompt tokens per minute (default 0: no limits). */
        public Builder rateLimits(long requestsPerMinute, long tokensPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
            this.tokensPerMinute = tokensPerMinute;
            return this;
        }

        /** The time limit of one answer (default 120 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Retries of one request (default 6). */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** Caches answers in this file; null for no cache. */
        public Builder responseCache(Path file) {
            this.responseCache = file;
            return this;
        }

        /** Adds a header to every request. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Sets a provider-specific setting. */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /**
         * The environment the key's variable (and a provider's own variables, e.g. the local
         * labeler's model and cache paths) are read from; default none. The application reads its
         * environment at its edge (the CLI, the kernel) and passes it here.
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The secrets to scrub from every answer besides the key and the headers' values (default none). */
        public Builder secrets(Secrets secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /** Builds the options. */
        public AnnotatorOptions build() {
            return new AnnotatorOptions(this);
        }
    }
}
