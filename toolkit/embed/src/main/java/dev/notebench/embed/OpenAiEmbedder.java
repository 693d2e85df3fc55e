package dev.notebench.embed;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.http.ApiErrors;
import dev.notebench.http.CallStats;
import dev.notebench.http.ModelApis;
import dev.notebench.http.OpenAiClientBuilder;
import dev.notebench.http.OpenAiClientConfig;
import dev.notebench.http.RetryInterceptor;
import dev.notebench.secrets.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An OpenAI-compatible {@code /v1/embeddings} client (OpenAI, vLLM, Ollama, llama.cpp's server, LM
 * Studio) over OkHttp. The API key is read from an environment variable whose name is given, never
 * from code or configuration files, and never logged ({@link ApiKey}); whatever a server echoes of
 * it is scrubbed from its answers before they are read ({@link dev.notebench.http.SecretScrubber}).
 * Retries are the {@link RetryInterceptor}'s: a 429 waits for its {@code Retry-After} (at most 60 s) or backs off;
 * 5xx answers, timeouts and connection errors back off exponentially with jitter; other 4xx answers
 * fail at once with the server's message.
 *
 * <pre>{@code
 * try (OpenAiEmbedder e = OpenAiEmbedder.builder("text-embedding-3-small", 1536)
 *         .environment(System.getenv()).build()) {   // the key from OPENAI_API_KEY, read at the edge
 *     List<float[]> v = cache.embed(e, texts);
 * }
 * }</pre>
 */
public final class OpenAiEmbedder implements Embedder, AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final HttpUrl url;
    private final String model;
    private final int dimension;
    private final int batchSize;
    private final int maxRetries;
    private final OkHttpClient client;
    private final boolean ownsClient;

    private OpenAiEmbedder(Builder b) {
        OpenAiClientConfig config = b.config();
        this.url = config.endpoint("embeddings");
        this.model = b.model;
        this.dimension = b.dimension;
        this.batchSize = b.batchSize;
        this.maxRetries = config.maxRetries();
        this.ownsClient = config.ownsClient();
        this.client = ModelApis.finish(config.startClient(new CallStats()), config.key(), Secrets.NONE);
    }

    /**
     * Starts describing a client.
     *
     * @param model the server's model name, e.g. {@code text-embedding-3-small}
     * @param dimension the length of its vectors
     */
    public static Builder builder(String model, int dimension) {
        return new Builder(model, dimension);
    }

    /** The model name and the server, e.g. {@code text-embedding-3-small@api.openai.com}: part of every cache key. */
    @Override
    public String id() {
        return ModelApis.serverId(model, url);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        JsonObject body = new JsonObject();
        body.addProperty("model", model);
        JsonArray input = new JsonArray();
        texts.forEach(input::add);
        body.add("input", input);
        Request r = new Request.Builder().url(url).post(RequestBody.create(body.toString(), JSON)).build();
        try (Response response = client.newCall(r).execute()) {
            String text = response.body().string();
            if (response.isSuccessful()) {
                return parse(text, texts.size());
            }
            int code = response.code();
            if (code == 429 || code >= 500) {
                throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the embeddings server " + url + " failed "
                        + (maxRetries + 1) + " times (last: HTTP " + code + "); try again later or lower the request rate");
            }
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the embeddings server " + url + " answered " + code
                    + ": " + ApiErrors.message(text) + (code == 401 || code == 403 ? "; check the API key's variable" : ""));
        } catch (InterruptedIOException e) {
            throw new NotebenchException(ErrorCode.CANCELLED, "interrupted while calling " + url, e);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the embeddings server " + url + " failed " + (maxRetries + 1)
                    + " times (last: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); is it running, and is the base URL right?", e);
        }
    }

    private List<float[]> parse(String text, int expected) {
        try {
            JsonArray data = JsonParser.parseString(text).getAsJsonObject().getAsJsonArray("data");
            float[][] out = new float[expected][];
            for (JsonElement e : data) {
                JsonObject item = e.getAsJsonObject();
                int index = item.get("index").getAsInt();
                JsonArray v = item.getAsJsonArray("embedding");
                if (index < 0 || index >= expected || out[index] != null) {
                    throw new IllegalStateException("index " + index + " is out of range or repeated");
                }
                if (v.size() != dimension) {
                    throw new IllegalStateException("a vector of " + v.size() + " floats; " + model + " was declared with "
                            + dimension);
                }
                float[] f = new float[v.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = v.get(i).getAsFloat();
                }
                out[index] = f;
            }
            List<float[]> list = new ArrayList<>(expected);
            for (int i = 0; i < expected; i++) {
                if (out[i] == null) {
                    throw new IllegalStateException("no vector for input " + i);
                }
                list.add(out[i]);
            }
            return list;
        } catch (RuntimeException e) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the embeddings server " + url + " answered something that"
                    + " is not an embeddings response (" + e.getMessage() + "): " + ApiErrors.abbreviate(text, 200), e);
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            ModelApis.release(client);
        }
    }

    @Override
    public String toString() {
        return "OpenAiEmbedder[" + id() + "]"; // never the key
    }

    /** Describes a client: server, key variable, retries and timeout ({@link OpenAiClientBuilder}: 5 retries, 60 s), batch size. */
    public static final class Builder extends OpenAiClientBuilder<Builder> {
        private final String model;
        private final int dimension;
        private int batchSize = 64;

        private Builder(String model, int dimension) {
            super(5, Duration.ofSeconds(60));
            this.model = Objects.requireNonNull(model, "model");
            if (dimension <= 0) {
                throw new IllegalArgumentException("dimension " + dimension + " must be positive");
            }
            this.dimension = dimension;
        }

        /** Sets how many texts one request carries (default 64). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Builds the client; fails when the key's variable is empty. */
        public OpenAiEmbedder build() {
            return new OpenAiEmbedder(this);
        }
    }
}
