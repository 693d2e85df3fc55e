package dev.notebench.enrich;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.http.ApiErrors;
import dev.notebench.secrets.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The client of an OpenAI-style batch API on the same server, key, retries and secret scrubbing
 * as the {@link OpenAiChatAnnotator} it comes from: a JSONL file of requests uploaded with
 * {@code POST /v1/files} ({@code purpose=batch}), a job created with {@code POST /v1/batches}
 * ({@code completion_window} 24h, endpoint {@code /v1/chat/completions}), polled with
 * {@code GET /v1/batches/{id}}, cancelled with {@code POST /v1/batches/{id}/cancel}, and its output
 * and error files read with {@code GET /v1/files/{id}/content}. Whatever the server answers passes
 * the scrubber of the key before it is parsed or put in an error.
 *
 * <pre>{@code
 * BatchJobs api = annotator.batchJobs().orElseThrow();
 * BatchJobs.Status job = api.create(api.upload(jsonl));
 * while (!job.finished()) { sleeper.sleep(Duration.ofSeconds(30)); job = api.get(job.id()); }
 * String output = api.content(job.outputFileId());
 * }</pre>
 */
public final class BatchJobs {
    /** The endpoint every request of a job goes to (the {@code url} of each JSONL line). */
    public static final String ENDPOINT = "/v1/chat/completions";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final MediaType JSONL = MediaType.get("application/jsonl");
    private static final Set<String> FINISHED = Set.of("completed", "failed", "expired", "cancelled");

    /** Waits between polls; tests give one that only records the waits. */
    @FunctionalInterface
    public interface Sleeper {
        /** Sleeps the thread. */
        Sleeper REAL = d -> Thread.sleep(d.toMillis());

        /**
         * Waits.
         *
         * @param duration how long
         * @throws InterruptedException when the thread is interrupted while waiting
         */
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * A batch job as the server describes it.
     *
     * @param id the job's id
     * @param status validating, in_progress, finalizing, completed, failed, expired, cancelling or cancelled
     * @param inputFileId the uploaded requests
     * @param outputFileId the answered requests' file; null until there is one
     * @param errorFileId the failed requests' file; null when none failed
     * @param total requests in the job ({@code request_counts.total})
     * @param completed requests answered
     * @param failed requests failed
     * @param errors the job's own errors (a failed validation), in words; empty when none
     */
    public record Status(String id, String status, String inputFileId, String outputFileId, String errorFileId, int total,
                         int completed, int failed, String errors) {
        /** Whether the job will not change any more (completed, failed, expired or cancelled). */
        public boolean finished() {
            return FINISHED.contains(status);
        }

        /** The progress line: {@code batch_abc in_progress: 12 of 30 requests done, 1 failed}. */
        public String line() {
            return id + " " + status + ": " + completed + " of " + total + " requests done, " + failed + " failed";
        }
    }

    private final OkHttpClient client;
    private final HttpUrl files;
    private final HttpUrl batches;
    private final Secrets secrets;
    private final Function<AnnotationRequest, String> body;
    private final BiFunction<String, AnnotationRequest, Answer> reader;

    BatchJobs(OkHttpClient client, HttpUrl files, HttpUrl batches, Secrets secrets, Function<AnnotationRequest, String> body,
              BiFunction<String, AnnotationRequest, Answer> reader) {
        this.client = Objects.requireNonNull(client, "client");
        this.files = files;
        this.batches = batches;
        this.secrets = secrets;
        this.body = body;
        this.reader = reader;
    }

    /** The body of one request of a job: what a live call would send. */
    String body(AnnotationRequest request) {
        return body.apply(request);
    }

    /**
     * Reads one answered request of the output file.
     *
     * @throws AnswerFormatException when it is not a chat completion
     */
    Answer read(String completion, AnnotationRequest request) {
        return reader.apply(completion, request);
    }

    /** The secrets scrubbed from what the server answers. */
    Secrets secrets() {
        return secrets;
    }

    /**
     * Uploads a JSONL file of requests.
     *
     * @param jsonl one request per line
     * @return the file's id
     */
    public String upload(String jsonl) {
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM).addFormDataPart("purpose", "batch")
                .addFormDataPart("file", "notebench-batch.jsonl", RequestBody.create(jsonl, JSONL)).build();
        return string(call(new Request.Builder().url(files).post(body).build(), "upload the requests to"), "id");
    }

    /**
     * Creates a job of the uploaded requests.
     *
     * @param inputFileId the uploaded file
     */
    public Status create(String inputFileId) {
        JsonObject o = new JsonObject();
        o.addProperty("input_file_id", inputFileId);
        o.addProperty("endpoint", ENDPOINT);
        o.addProperty("completion_window", "24h");
        return status(call(new Request.Builder().url(batches).post(RequestBody.create(o.toString(), JSON)).build(),
                "create the batch job at"));
    }

    /** The job's state now. */
    public Status get(String id) {
        return status(call(new Request.Builder().url(batches.newBuilder().addPathSegment(id).build()).get().build(),
                "ask about the batch job " + id + " at"));
    }

    /** Asks the server to cancel the job; requests answered so far stay in its output file. */
    public Status cancel(String id) {
        HttpUrl url = batches.newBuilder().addPathSegment(id).addPathSegment("cancel").build();
        return status(call(new Request.Builder().url(url).post(RequestBody.create("", JSON)).build(),
                "cancel the batch job " + id + " at"));
    }

    /** A file's content (the output or the error file of a job), scrubbed of secrets. */
    public String content(String fileId) {
        HttpUrl url = files.newBuilder().addPathSegment(fileId).addPathSegment("content").build();
        return text(new Request.Builder().url(url).get().build(), "read the file " + fileId + " from");
    }

    private JsonObject call(Request request, String what) {
        String text = text(request, what);
        try {
            return JsonParser.parseString(text).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "could not " + what + " " + where(request)
                    + ": the answer is not a JSON object: " + JsonAnswers.abbreviate(text));
        }
    }

    private String text(Request request, String what) {
        try (Response response = client.newCall(request).execute()) {
            String text = secrets.scrub(response.body().string());
            if (response.isSuccessful()) {
                return text;
            }
            int code = response.code();
            String message = ApiErrors.abbreviate(ApiErrors.message(text), 300);
            if (code == 401 || code == 403) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "could not " + what + " " + where(request)
                        + ": the key was refused (" + code + ": " + message + "); check the key's variable");
            }
            if (code == 404 && (what.startsWith("upload") || what.startsWith("create"))) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, where(request) + " answered 404 (" + message
                        + "): this server has no batch API; leave out --batch-api to ask it live");
            }
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "could not " + what + " " + where(request) + " ("
                    + code + ": " + message + ")" + (code == 429 || code >= 500 ? " after retries; try again later" : ""));
        } catch (InterruptedIOException e) {
            throw new NotebenchException(ErrorCode.CANCELLED, "interrupted while trying to " + what + " " + where(request), e);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "could not " + what + " " + where(request) + " ("
                    + e.getClass().getSimpleName() + ") after retries; is the server running and the base URL right?", e);
        }
    }

    /** A request's URL without its query (no secret is ever in one; a base URL's user and password are left out too). */
    private static String where(Request request) {
        return request.url().newBuilder().username("").password("").query(null).build().toString();
    }

    private static Status status(JsonObject o) {
        JsonObject counts = o.has("request_counts") && o.get("request_counts").isJsonObject() ? o.getAsJsonObject("request_counts")
                : new JsonObject();
        StringBuilder errors = new StringBuilder();
        if (o.has("errors") && o.get("errors").isJsonObject() && o.getAsJsonObject("errors").get("data") instanceof
                com.google.gson.JsonArray data) {
            for (JsonElement e : data) {
                if (e.isJsonObject()) {
                    JsonObject err = e.getAsJsonObject();
                    errors.append(errors.length() == 0 ? "" : "; ").append(optional(err, "code")).append(": ")
                            .append(optional(err, "message"));
                }
            }
        }
        return new Status(string(o, "id"), string(o, "status"), optional(o, "input_file_id"), optional(o, "output_file_id"),
                optional(o, "error_file_id"), count(counts, "total"), count(counts, "completed"), count(counts, "failed"),
                errors.toString());
    }

    private static String string(JsonObject o, String key) {
        String s = optional(o, key);
        if (s == null) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the batch API's answer has no \"" + key + "\": "
                    + JsonAnswers.abbreviate(o.toString()));
        }
        return s;
    }

    private static String optional(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static int count(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsInt() : 0;
    }
}
