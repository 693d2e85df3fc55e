package dev.notebench.http;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.secrets.Secrets;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * What every OpenAI-compatible client (embeddings, chat) does the same way: resolve an endpoint
 * under a base URL, name the server for cache keys and journals, build its OkHttp client with the
 * retry interceptor first, then the key, then the {@link SecretScrubber} (innermost: every answer is
 * scrubbed of the key and the other secrets before any other part sees it), and release a client it owns.
 */
public final class ModelApis {
    private ModelApis() {
    }

    /**
     * The endpoint under a base URL, e.g. {@code https://api.openai.com/v1} + {@code chat, completions}.
     *
     * @throws NotebenchException (CONFIG_INVALID) when the base URL is not an http(s) URL
     */
    public static HttpUrl endpoint(String baseUrl, String... segments) {
        HttpUrl base = HttpUrl.parse(baseUrl);
        if (base == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "base URL '" + baseUrl + "' is not an http(s) URL; give e.g."
                    + " https://api.openai.com/v1 or http://localhost:11434/v1 (Ollama)");
        }
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    /** {@code model@host}, with the port when it is not the scheme's default: never a key. */
    public static String serverId(String model, HttpUrl url) {
        return model + "@" + url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port());
    }

    /**
     * Starts an OkHttp client: from {@code base} (its proxy, pool, interceptors) or a new one, with
     * the read and write timeouts and the retry interceptor; callers add their own interceptors and
     * then {@link #finish} it.
     */
    public static OkHttpClient.Builder start(OkHttpClient base, Duration timeout, RetryInterceptor retry) {
        return (base != null ? base.newBuilder() : new OkHttpClient.Builder())
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .addInterceptor(retry);
    }

    /**
     * Adds the key (if any), then a {@link SecretScrubber} of the key and {@code secrets} as the
     * innermost interceptor, and builds the client.
     *
     * @param http the builder from {@link #start}, with the caller's interceptors
     * @param key the key; null for a server without keys
     * @param secrets other secrets the process knows (extra headers' values, a webhook URL)
     */
    public static OkHttpClient finish(OkHttpClient.Builder http, ApiKey key, Secrets secrets) {
        Secrets all = secrets;
        if (key != null) {
            http.addInterceptor(key.interceptor());
            all = key.secrets().and(secrets);
        }
        http.addInterceptor(new SecretScrubber(all));
        return http.build();
    }

    /** Stops the threads and connections of a client the caller created. */
    public static void release(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
