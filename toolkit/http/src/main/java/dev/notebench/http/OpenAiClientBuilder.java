package dev.notebench.http;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The settings every OpenAI-compatible client shares (embeddings, chat): the server's base URL, the
 * environment variable holding the key and the environment it is read from, retries, the time limit
 * of one request and the OkHttp client to build on. A client's own builder extends this one, so that these settings are declared,
 * checked and documented once; it reads them back as an {@link OpenAiClientConfig}.
 *
 * <pre>{@code
 * public static final class Builder extends OpenAiClientBuilder<Builder> {
 *     private Builder() {
 *         super(5, Duration.ofSeconds(60));   // this client's default retries and timeout
 *     }
 *     public MyClient build() {
 *         return new MyClient(config(), ...);
 *     }
 * }
 * }</pre>
 *
 * @param <B> the client's builder, returned by every setter
 */
public abstract class OpenAiClientBuilder<B extends OpenAiClientBuilder<B>> {
    private String baseUrl = "https://api.openai.com/v1";
    private String apiKeyEnv = "OPENAI_API_KEY";
    private Map<String, String> environment = Map.of();
    private int maxRetries;
    private Duration backoff = Duration.ofMillis(500);
    private Duration timeout;
    private OkHttpClient client;

    /**
     * Starts with a client's defaults.
     *
     * @param maxRetries retries of one request by default
     * @param timeout the time limit of one request by default
     */
    protected OpenAiClientBuilder(int maxRetries, Duration timeout) {
        this.maxRetries = maxRetries;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The API's base URL, ending in {@code /v1} (default {@code https://api.openai.com/v1}). */
    public B baseUrl(String baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        return self();
    }

    /** The environment variable holding the API key (default {@code OPENAI_API_KEY}); null for a server without keys. */
    public B apiKeyEnv(String variable) {
        this.apiKeyEnv = variable;
        return self();
    }

    /**
     * The environment the key's variable is read from (default: none, so a key variable needs one):
     * the application reads its environment at its edge (the CLI, the kernel) and passes it here.
     */
    public B environment(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
        return self();
    }

    /** How many times a failed request is retried, and the first backoff (default 500 ms). */
    public B retries(int maxRetries, Duration backoff) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("retries " + maxRetries + " must be 0 or more");
        }
        this.maxRetries = maxRetries;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return self();
    }

    /** The time limit of one request. */
    public B timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /** Builds on this OkHttp client (its interceptors, proxy, pool) instead of a new one. */
    public B client(OkHttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
        return self();
    }

    /** The settings as given so far. */
    public final OpenAiClientConfig config() {
        return new OpenAiClientConfig(baseUrl, apiKeyEnv, environment, maxRetries, backoff, timeout, client);
    }
}
