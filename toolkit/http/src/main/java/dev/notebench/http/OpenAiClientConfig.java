package dev.notebench.http;

import dev.notebench.NotebenchException;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * What an OpenAI-compatible client was configured with ({@link OpenAiClientBuilder}), and the
 * steps every such client takes with it: the endpoint under the base URL, the key from its
 * variable, and an OkHttp client with the {@link RetryInterceptor} first.
 *
 * <pre>{@code
 * HttpUrl url = config.endpoint("embeddings");
 * ApiKey key = config.key();                                   // null without a key variable
 * OkHttpClient client = ModelApis.finish(config.startClient(stats), key, Secrets.NONE);
 * }</pre>
 *
 * @param baseUrl the API's base URL, ending in {@code /v1}
 * @param apiKeyEnv the variable holding the key; null for a server without keys
 * @param environment where the variable is read
 * @param maxRetries retries of one request
 * @param backoff the first backoff between retries
 * @param timeout the time limit of one request
 * @param client the OkHttp client to build on; null for a new one (then owned by the client)
 */
public record OpenAiClientConfig(String baseUrl, String apiKeyEnv, Map<String, String> environment, int maxRetries,
                                 Duration backoff, Duration timeout, OkHttpClient client) {
    /** The longest backoff between retries. */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /**
     * The endpoint under the base URL, e.g. {@code chat, completions}.
     *
     * @throws NotebenchException (CONFIG_INVALID) when the base URL is not an http(s) URL
     */
    public HttpUrl endpoint(String... segments) {
        return ModelApis.endpoint(baseUrl, segments);
    }

    /**
     * The key from its variable, or null when no variable is named.
     *
     * @throws NotebenchException (CONFIG_INVALID) when the variable is unset or blank
     */
    public ApiKey key() {
        return apiKeyEnv == null ? null : ApiKey.fromEnvironment(apiKeyEnv, environment);
    }

    /**
     * Starts the OkHttp client ({@link ModelApis#start}) with this configuration's timeout and
     * retries, counting into {@code stats}; callers add their interceptors and then
     * {@link ModelApis#finish} it.
     */
    public OkHttpClient.Builder startClient(CallStats stats) {
        return ModelApis.start(client, timeout, RetryInterceptor.builder().maxRetries(maxRetries).backoff(backoff, MAX_BACKOFF)
                .stats(stats).build());
    }

    /** Whether the client built from this configuration is its own (no client was given), to release on close. */
    public boolean ownsClient() {
        return client == null;
    }
}
