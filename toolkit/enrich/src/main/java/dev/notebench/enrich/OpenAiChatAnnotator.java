package dev.notebench.enrich;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.http.AdaptiveConcurrency;
import dev.notebench.http.ApiErrors;
import dev.notebench.http.ApiKey;
import dev.notebench.http.ModelApis;
import dev.notebench.http.OpenAiClientBuilder;
import dev.notebench.http.OpenAiClientConfig;
import dev.notebench.http.CallStats;
import dev.notebench.http.RateLimiter;
import dev.notebench.http.RetryInterceptor;
import dev.notebench.http.SecretScrubber;
import dev.notebench.internal.Ranges;
import dev.notebench.secrets.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Annotates rows with an OpenAI-compatible chat-completions server: OpenAI, Ollama, vLLM,
 * llama.cpp's server, LM Studio. The rows go in one user message as JSON lines with their ids; the
 * answer is asked for as JSON through {@code response_format}: a {@code json_schema} first (the
 * batch's rows keyed by id, every id required, so that a server enforcing it cannot leave a row
 * out), and when the server refuses it, {@code json_object}, then plain text read tolerantly
 * (fenced, prefixed or cut-off JSON; keyed or as a list of rows). HTTP concerns are OkHttp interceptors, outermost first: retries
 * ({@link RetryInterceptor}: Retry-After, backoff with jitter), adaptive concurrency
 * ({@link AdaptiveConcurrency}: fewer requests in flight after 429s), rate limits
 * ({@link RateLimiter}), the key ({@link ApiKey}) and extra headers, and innermost the
 * {@link SecretScrubber}: whatever a server echoes of the key, the extra headers' values or other
 * secrets given to {@link Builder#secrets} is replaced by {@value Secrets#REDACTED} before it is
 * parsed, cached, journalled or put in an error message. A request too long for the model's context
 * is signalled with {@link ContextOverflowException}, so that the rows are asked in smaller batches.
 *
 * <pre>{@code
 * try (OpenAiChatAnnotator llm = OpenAiChatAnnotator.builder("gpt-4o-mini").apiKeyEnv("OPENAI_API_KEY")
 *         .environment(System.getenv()).workers(4).build()) {        // the environment, read at the edge
 *     EnrichResult r = Enricher.builder(llm, OutputSchema.multiLabel(List.of("spam", "urgent"))).build()
 *         .run(table, RowText.columns("subject"));
 * }
 * }</pre>
 */
public final class OpenAiChatAnnotator implements Annotator {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    /** How the answer's format is asked for; servers that refuse one get the next. */
    public enum Format {
        /**
         * {@code response_format: {type: json_schema}}, strict, asking for the batch's rows keyed by
         * id, every id required ({@link OutputSchema#keyedAnswerJsonSchema}).
         */
        JSON_SCHEMA,
        /** {@code response_format: {type: json_object}}. */
        JSON_OBJECT,
        /** No {@code response_format}; JSON is asked for in the prompt and extracted tolerantly. */
        TEXT
    }

    private final HttpUrl url;
    private final HttpUrl filesUrl;
    private final HttpUrl batchesUrl;
    private final String model;
    private final double temperature;
    private final int maxTokens;
    private final boolean logprobs;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private final CallStats stats;
    private final AdaptiveConcurrency concurrency;
    private final ResponseCache cache;
    private final AtomicReference<Format> format;
    private final String keyVariable;
    private final Secrets secrets;

    private OpenAiChatAnnotator(Builder b) {
        OpenAiClientConfig config = b.config();
        this.url = config.endpoint("chat", "completions");
        this.filesUrl = config.endpoint("files");
        this.batchesUrl = config.endpoint("batches");
        this.model = b.model;
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
        this.logprobs = b.logprobs;
        this.stats = new CallStats();
        this.concurrency = new AdaptiveConcurrency(b.workers);
        this.cache = b.cache;
        this.format = new AtomicReference<>(b.format);
        this.keyVariable = config.apiKeyEnv();
        ApiKey key = config.key();
        OkHttpClient.Builder http = config.startClient(stats);
        http.addInterceptor(concurrency.interceptor());
        if (b.requestsPerMinute > 0 || b.tokensPerMinute > 0) {
            http.addInterceptor(new RateLimiter(b.requestsPerMinute, b.tokensPerMinute).interceptor());
        }
        Map<String, String> headers = Map.copyOf(b.headers);
        Secrets.Builder secrets = Secrets.builder().add(b.secrets);
        headers.forEach(secrets::header);
        if (!headers.isEmpty()) {
            http.addInterceptor(chain -> {
                Request.Builder r = chain.request().newBuilder();
                headers.forEach(r::header);
                return chain.proceed(r.build());
            });
        }
        this.secrets = key == null ? secrets.build() : key.secrets().and(secrets.build());
        this.client = ModelApis.finish(http, key, this.secrets);
        this.ownsClient = config.ownsClient();
    }

    /**
     * Starts describing a client of a model.
     *
     * @param model the server's model name, e.g. {@code gpt-4o-mini} or {@code llama3.2}
     */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    @Override
    public String id() {
        return ModelApis.serverId(model, url) + String.format(Locale.ROOT, " t=%s", temperature);
    }

    /** The format now used for answers (it only moves down the list, when a server refuses one). */
    public Format format() {
        return format.get();
    }

    @Override
    public Optional<CallStats> callStats() {
        return Optional.of(stats);
    }

    @Override
    public Optional<int[]> concurrency() {
        return Optional.of(new int[] {concurrency.limit(), concurrency.max()});
    }

    /** The secrets scrubbed from every answer: the key, the extra headers' values, those given to {@link Builder#secrets}. */
    @Override
    public Secrets secrets() {
        return secrets;
    }

    /** The adaptive limit of requests in flight. */
    public AdaptiveConcurrency limiter() {
        return concurrency;
    }

    @Override
    public Answer annotate(AnnotationRequest request) {
        while (true) {
            Format f = format.get();
            String body = body(request, f);
            String key = cache == null ? null : ResponseCache.key(url.toString(), body);
            if (cache != null) {
                Optional<String> hit = cache.get(key);
                if (hit.isPresent()) {
                    return parse(secrets.scrub(hit.get()), true, null, request); // stored by a process that may have known other secrets
                }
            }
            Request http = new Request.Builder().url(url).post(RequestBody.create(body, JSON)).build();
            try (Response response = client.newCall(http).execute()) {
                String text = response.body().string();
                if (response.isSuccessful()) {
                    return parse(text, false, key == null ? null : new Receipt(key, text), request);
                }
                int code = response.code();
                String message = ApiErrors.message(text);
                if (ApiErrors.isContextOverflow(code, text)) {
                    throw new ContextOverflowException(ApiErrors.abbreviate(message, 300));
                }
                if ((code == 400 || code == 422) && f != Format.TEXT && mentionsFormat(message)) {
                    format.compareAndSet(f, f == Format.JSON_SCHEMA ? Format.JSON_OBJECT : Format.TEXT);
                    continue;
                }
                throw httpError(code, message);
            } catch (InterruptedIOException e) {
                throw new NotebenchException(ErrorCode.CANCELLED, "the call to " + url + " was interrupted", e);
            } catch (IOException e) {
                throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "cannot reach " + url + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ") after retries; is the server running and"
                        + " the base URL right?", e);
            }
        }
    }

    /** The batch API of this server, on this annotator's client (key, retries, scrubbing). */
    @Override
    public Optional<BatchJobs> batchJobs() {
        return Optional.of(new BatchJobs(client, filesUrl, batchesUrl, secrets, this::body, this::parseCompletion));
    }

    /** The body of a request in the format now used, as a batch job's line carries it. */
    String body(AnnotationRequest request) {
        return body(request, format.get());
    }

    /**
     * Reads a chat completion answered in a batch job's output file (scrubbed of secrets first);
     * its tokens count in this annotator's statistics.
     *
     * @throws AnswerFormatException when it is not a chat completion
     */
    Answer parseCompletion(String completion, AnnotationRequest request) {
        return parse(secrets.scrub(completion), false, null, request);
    }

    private record Receipt(String key, String body) {
    }

    @Override
    public void accepted(Answer answer) {
        if (cache != null && answer.receipt() instanceof Receipt r) {
            cache.put(r.key(), r.body());
        }
    }

    private NotebenchException httpError(int code, String message) {
        if (code == 401 || code == 403) {
            return new NotebenchException(ErrorCode.CONFIG_INVALID, url + " refused the key (" + code + ": " + message + "); "
                    + (keyVariable == null ? "this server needs one: give the name of the environment variable that holds it"
                    : "check the key in $" + keyVariable));
        }
        if (code == 404) {
            return new NotebenchException(ErrorCode.CONFIG_INVALID, url + " answered 404 (" + message + "); check the base URL"
                    + " (it ends in /v1) and that the model '" + model + "' exists there");
        }
        if (code == 429 || code >= 500) {
            return new NotebenchException(ErrorCode.PROVIDER_FAILED, url + " kept failing (" + code + ": " + message
                    + ") after retries; lower --workers or try later");
        }
        return new NotebenchException(ErrorCode.PROVIDER_FAILED, url + " refused the request (" + code + ": " + message + ")");
    }

    private static boolean mentionsFormat(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("response_format") || m.contains("json_schema") || m.contains("json_object") || m.contains("schema")
                || m.contains("not supported") || m.contains("unsupported");
    }

    String body(AnnotationRequest request, Format f) {
        return requestBody(model, temperature, maxTokens, logprobs, request, f);
    }

    /** The body of a request as it is sent (headers, and so the key, are not part of it); also what a dry run shows. */
    static String requestBody(String model, double temperature, int maxTokens, boolean logprobs, AnnotationRequest request, Format f) {
        JsonObject body = new JsonObject();
        body.addProperty("model", model);
        body.addProperty("temperature", temperature);
        if (maxTokens > 0) {
            body.addProperty("max_tokens", maxTokens);
        }
        if (logprobs) {
            body.addProperty("logprobs", true);
        }
        JsonArray messages = new JsonArray();
        messages.add(message("system", Prompts.system(request, f)));
        messages.add(message("user", Prompts.rows(request.items())));
        body.add("messages", messages);
        if (f == Format.JSON_SCHEMA) {
            JsonObject schema = new JsonObject();
            schema.addProperty("name", "rows");
            schema.addProperty("strict", true);
            schema.add("schema", request.schema().keyedAnswerJsonSchema(request.items().stream().map(Item::id).toList()));
            JsonObject rf = new JsonObject();
            rf.addProperty("type", "json_schema");
            rf.add("json_schema", schema);
            body.add("response_format", rf);
        } else if (f == Format.JSON_OBJECT) {
            JsonObject rf = new JsonObject();
            rf.addProperty("type", "json_object");
            body.add("response_format", rf);
        }
        return body.toString();
    }

    private static JsonObject message(String role, String content) {
        JsonObject m = new JsonObject();
        m.addProperty("role", role);
        m.addProperty("content", content);
        return m;
    }

    private Answer parse(String text, boolean cached, Receipt receipt, AnnotationRequest request) {
        JsonObject root;
        String content;
        String finish;
        JsonArray tokens = null;
        try {
            root = JsonParser.parseString(text).getAsJsonObject();
            JsonObject choice = root.getAsJsonArray("choices").get(0).getAsJsonObject();
            JsonElement c = choice.getAsJsonObject("message").get("content");
            content = c == null || c.isJsonNull() ? "" : c.getAsString();
            JsonElement fr = choice.get("finish_reason");
            finish = fr == null || fr.isJsonNull() ? "" : fr.getAsString();
            JsonElement lp = choice.get("logprobs");
            if (logprobs && lp != null && lp.isJsonObject() && lp.getAsJsonObject().get("content") instanceof JsonArray a) {
                tokens = a;
            }
        } catch (JsonParseException | IllegalStateException | NullPointerException | IndexOutOfBoundsException
                 | UnsupportedOperationException | ClassCastException e) {
            throw new AnswerFormatException("the server's answer is not a chat completion: " + JsonAnswers.abbreviate(text));
        }
        long in = 0;
        long out = 0;
        if (root.has("usage") && root.get("usage").isJsonObject()) {
            JsonObject u = root.getAsJsonObject("usage");
            in = u.has("prompt_tokens") && u.get("prompt_tokens").isJsonPrimitive() ? u.get("prompt_tokens").getAsLong() : 0;
            out = u.has("completion_tokens") && u.get("completion_tokens").isJsonPrimitive()
                    ? u.get("completion_tokens").getAsLong() : 0;
        }
        if (!cached) {
            stats.tokens(in, out);
        }
        JsonAnswers.Rows rows = JsonAnswers.extract(content);
        if (tokens != null) {
            AnswerLogprobs.attach(content, tokens, rows.rows(), request.schema());
        }
        return new Answer(rows.rows(), cached ? 0 : in, cached ? 0 : out, rows.truncated() || finish.equals("length"), cached,
                receipt);
    }

    @Override
    public void close() {
        if (ownsClient) {
            ModelApis.release(client);
        }
    }

    @Override
    public String toString() {
        return "OpenAiChatAnnotator[" + id() + (keyVariable == null ? "" : ", key $" + keyVariable) + "]";
    }

    /** Describes a chat client: server, key variable, retries and timeout ({@link OpenAiClientBuilder}: 6 retries, 120 s), and the rest. */
    public static final class Builder extends OpenAiClientBuilder<Builder> {
        private final String model;
        private double temperature = 0;
        private int maxTokens = 0;
        private int workers = 4;
        private long requestsPerMinute;
        private long tokensPerMinute;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Secrets secrets = Secrets.NONE;
        private ResponseCache cache;
        private Format format = Format.JSON_SCHEMA;
        private boolean logprobs;

        private Builder(String model) {
            super(6, Duration.ofSeconds(120));
            this.model = Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("give the server's model name, e.g. gpt-4o-mini");
            }
        }

        /** The sampling temperature (default 0, the most repeatable). */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0 && temperature <= 2)) {
                throw new IllegalArgumentException("temperature " + temperature + " must be within 0..2");
            }
            this.temperature = temperature;
            return this;
        }

        /** The most tokens of one answer (default: the server's). */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 0) {
                throw new IllegalArgumentException("max tokens " + maxTokens + " must be 0 (the server's default) or more");
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /** The most requests in flight (default 4); fewer while the server answers 429. */
        public Builder workers(int workers) {
            this.workers = Ranges.within("workers", workers, 1, 1024);
            return this;
        }

        /** Requests and prompt tokens per minute allowed (0 = no limit, the default). */
        public Builder rateLimits(long requestsPerMinute, long tokensPerMinute) {
            if (requestsPerMinute < 0 || tokensPerMinute < 0) {
                throw new IllegalArgumentException("rate limits must be 0 (none) or more");
            }
            this.requestsPerMinute = requestsPerMinute;
            this.tokensPerMinute = tokensPerMinute;
            return this;
        }

        /** Adds a header to every request (e.g. an organization or a proxy's routing header). */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * More secrets to scrub from answers besides the key and the headers' values, e.g. a webhook
         * URL the process knows.
         */
        public Builder secrets(Secrets secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /** Answers are looked up in and stored to this cache (owned by the caller). */
        public Builder cache(ResponseCache cache) {
            this.cache = cache;
            return this;
        }

        /**
         * Asks for token log-probabilities ({@code logprobs: true}) and turns them into each row's
         * {@link Answer#CONFIDENCE} where the server returns them (see {@code AnswerLogprobs}); a
         * server that returns none gives no confidence. Default off.
         */
        public Builder logprobs(boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /** The first output format tried (default {@link Format#JSON_SCHEMA}). */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Builds the annotator; fails when the key's variable is empty. */
        public OpenAiChatAnnotator build() {
            return new OpenAiChatAnnotator(this);
        }
    }
}
