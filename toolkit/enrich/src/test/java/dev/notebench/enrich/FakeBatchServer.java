package dev.notebench.enrich;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-style batch API on loopback in front of a {@link FakeChatServer}: {@code POST
 * /v1/files} (multipart, {@code purpose=batch}), {@code GET /v1/files/{id}/content}, {@code POST
 * /v1/batches}, {@code GET /v1/batches/{id}} and {@code POST /v1/batches/{id}/cancel}. A job moves
 * one status a poll (validating, in_progress, finalizing, completed); when it completes, each of its
 * requests is sent to the chat fake with the job creator's headers, so that the answers (and the
 * chat fake's scripted faults) are the chat fake's; an answer other than 200 is an output line with
 * that {@code status_code}. Faults: requests failed into the error file, output lines replaced by
 * garbage, a job that expires after answering some requests, uploads answered 503, and every
 * error message echoing the request's Authorization header.
 */
final class FakeBatchServer implements AutoCloseable {
    private final HttpServer server;
    private final FakeChatServer chat;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> files = new HashMap<>();
    private final Map<String, Job> jobs = new HashMap<>();
    /** Files uploaded. */
    final AtomicInteger uploads = new AtomicInteger();
    /** Uploads tried, those answered 503 included. */
    final AtomicInteger uploadAttempts = new AtomicInteger();
    /** Jobs created. */
    final AtomicInteger submissions = new AtomicInteger();
    /** Jobs cancelled. */
    final AtomicInteger cancels = new AtomicInteger();
    private final List<String> lines = new ArrayList<>();
    private final Set<String> failRequests = new HashSet<>();
    private final Set<String> garbageFor = new HashSet<>();
    private int failUploads;
    private int expireAfter = -1;
    private boolean failValidation;
    private boolean echoAuthorization;

    private static final class Job {
        final String id;
        final String input;
        final String authorization;
        final List<String> statuses = new ArrayList<>(List.of("validating", "in_progress", "finalizing", "completed"));
        int at;
        String output;
        String errors;
        int total;
        int completed;
        int failed;

        Job(String id, String input, String authorization) {
            this.id = id;
            this.input = input;
            this.authorization = authorization;
        }
    }

    FakeBatchServer(FakeChatServer chat) throws IOException {
        this.chat = chat;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/files", this::files);
        server.createContext("/v1/batches", this::batches);
        server.start();
    }

    /** The base URL, ending in /v1. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The requests with these custom ids fail into the error file. */
    synchronized FakeBatchServer failRequests(String... customIds) {
        failRequests.addAll(List.of(customIds));
        return this;
    }

    /** The output lines of these custom ids are written as garbage (not JSON). */
    synchronized FakeBatchServer garbageFor(String... customIds) {
        garbageFor.addAll(List.of(customIds));
        return this;
    }

    /** From now on no request fails and no line is garbage. */
    synchronized FakeBatchServer heal() {
        failRequests.clear();
        garbageFor.clear();
        return this;
    }

    /** The first {@code n} uploads are answered 503. */
    synchronized FakeBatchServer failUploads(int n) {
        failUploads = n;
        return this;
    }

    /** Jobs expire after answering their first {@code n} requests; the others go to the error file as batch_expired. */
    synchronized FakeBatchServer expireAfter(int n) {
        expireAfter = n;
        return this;
    }

    /** Jobs fail validation: status failed with an error of the input file's line 1, no output. */
    synchronized FakeBatchServer failValidation() {
        failValidation = true;
        return this;
    }

    /** Every error message and the error file repeat the request's Authorization header. */
    synchronized FakeBatchServer echoAuthorization() {
        echoAuthorization = true;
        return this;
    }

    /** The lines of every uploaded file, in order. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    private synchronized void files(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            if (exchange.getRequestMethod().equals("GET") && path.endsWith("/content")) {
                String id = path.substring("/v1/files/".length(), path.length() - "/content".length());
                String content = files.get(id);
                send(exchange, content == null ? 404 : 200, content == null ? error("no file " + id, auth) : content);
                return;
            }
            uploadAttempts.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (failUploads > 0) {
                failUploads--;
                send(exchange, 503, error("overloaded", auth));
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            String boundary = "--" + type.substring(type.indexOf("boundary=") + "boundary=".length());
            String text = new String(body, StandardCharsets.UTF_8);
            String purpose = null;
            String file = null;
            for (String part : text.split(java.util.regex.Pattern.quote(boundary))) {
                int blank = part.indexOf("\r\n\r\n");
                if (blank < 0) {
                    continue;
                }
                String head = part.substring(0, blank);
                String content = part.substring(blank + 4, part.length() - 2); // the part ends in CRLF before the boundary
                if (head.contains("name=\"purpose\"")) {
                    purpose = content;
                } else if (head.contains("name=\"file\"")) {
                    file = content;
                }
            }
            if (!"batch".equals(purpose) || file == null) {
                send(exchange, 400, error("give purpose=batch and a file", auth));
                return;
            }
            String id = "file-" + files.size();
            files.put(id, file);
            uploads.incrementAndGet();
            for (String l : file.split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l);
                }
            }
            JsonObject o = new JsonObject();
            o.addProperty("id", id);
            o.addProperty("object", "file");
            o.addProperty("bytes", file.length());
            o.addProperty("purpose", "batch");
            send(exchange, 200, o.toString());
        }
    }

    private synchronized void batches(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            String rest = path.length() > "/v1/batches".length() ? path.substring("/v1/batches/".length()) : "";
            if (exchange.getRequestMethod().equals("POST") && rest.isEmpty()) {
                JsonObject req = JsonParser.parseString(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                        .getAsJsonObject();
                String input = req.get("input_file_id").getAsString();
                if (!files.containsKey(input) || !req.get("endpoint").getAsString().equals("/v1/chat/completions")
                        || !req.get("completion_window").getAsString().equals("24h")) {
                    send(exchange, 400, error("bad batch request " + req, auth));
                    return;
                }
                Job job = new Job("batch_" + jobs.size(), input, auth);
                job.total = (int) files.get(input).lines().filter(l -> !l.isBlank()).count();
                jobs.put(job.id, job);
                submissions.incrementAndGet();
                send(exchange, 200, describe(job));
                return;
            }
            boolean cancel = rest.endsWith("/cancel");
            Job job = jobs.get(cancel ? rest.substring(0, rest.length() - "/cancel".length()) : rest);
            if (job == null) {
                send(exchange, 404, error("no batch " + rest, auth));
                return;
            }
            if (cancel) {
                cancels.incrementAndGet();
                job.statuses.subList(job.at + 1, job.statuses.size()).clear();
                job.statuses.set(job.at, "cancelling");
                job.statuses.add("cancelled");
            } else {
                if (job.at < job.statuses.size() - 1) {
                    job.at++;
                    if (job.at == job.statuses.size() - 1) {
                        finish(job);
                    }
                }
            }
            send(exchange, 200, describe(job));
        }
    }

    /** Answers the job's requests through the chat fake (none for a cancelled job) and writes its files. */
    private void finish(Job job) {
        if (failValidation) {
            job.statuses.set(job.at, "failed");
            return;
        }
        boolean cancelled = job.statuses.get(job.at).equals("cancelled");
        if (expireAfter >= 0 && !cancelled) {
            job.statuses.set(job.at, "expired");
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int n = 0;
        for (String line : files.get(job.input).split("\n")) {
            if (line.isBlank() || cancelled) {
                continue;
            }
            JsonObject request = JsonParser.parseString(line).getAsJsonObject();
            String customId = request.get("custom_id").getAsString();
            if (failRequests.contains(customId) || (expireAfter >= 0 && n >= expireAfter)) {
                boolean expired = !failRequests.contains(customId);
                err.append(result(customId, null, expired ? "batch_expired" : "invalid_request",
                        expired ? "This request could not be executed before the completion window expired."
                                : "the model is overloaded" + (echoAuthorization ? " (you sent " + job.authorization + ")" : ""))).append('\n');
                job.failed++;
            } else if (garbageFor.contains(customId)) {
                out.append("{\"custom_id\": \"").append(customId).append("\", \"response\": {\"status_co\n");
                job.completed++;
            } else {
                out.append(answer(customId, request.get("body").toString(), job.authorization)).append('\n');
                job.completed++;
            }
            n++;
        }
        if (out.length() > 0) {
            job.output = "file-" + files.size();
            files.put(job.output, out.toString());
        }
        if (err.length() > 0) {
            job.errors = "file-" + files.size();
            files.put(job.errors, err.toString());
        }
    }

    private String answer(String customId, String body, String authorization) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(chat.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
            if (!authorization.equals("null")) {
                r.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            JsonObject res = new JsonObject();
            res.addProperty("status_code", response.statusCode());
            res.addProperty("request_id", "req_" + customId);
            res.add("body", JsonParser.parseString(response.body()));
            JsonObject line = new JsonObject();
            line.addProperty("id", "batch_req_" + customId);
            line.addProperty("custom_id", customId);
            line.add("response", res);
            line.add("error", com.google.gson.JsonNull.INSTANCE);
            return line.toString();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the chat fake did not answer", e);
        }
    }

    private static String result(String customId, JsonObject response, String code, String message) {
        JsonObject e = new JsonObject();
        e.addProperty("code", code);
        e.addProperty("message", message);
        JsonObject line = new JsonObject();
        line.addProperty("id", "batch_req_" + customId);
        line.addProperty("custom_id", customId);
        line.add("response", response == null ? com.google.gson.JsonNull.INSTANCE : response);
        line.add("error", e);
        return line.toString();
    }

    private static String describe(Job job) {
        JsonObject counts = new JsonObject();
        counts.addProperty("total", job.total);
        counts.addProperty("completed", job.completed);
        counts.addProperty("failed", job.failed);
        JsonObject o = new JsonObject();
        o.addProperty("id", job.id);
        o.addProperty("object", "batch");
        o.addProperty("endpoint", "/v1/chat/completions");
        o.addProperty("input_file_id", job.input);
        o.addProperty("completion_window", "24h");
        o.addProperty("status", job.statuses.get(job.at));
        o.addProperty("output_file_id", job.output);
        o.addProperty("error_file_id", job.errors);
        o.add("request_counts", counts);
        if (job.statuses.get(job.at).equals("failed")) {
            o.add("errors", JsonParser.parseString("{\"object\":\"list\",\"data\":[{\"code\":\"invalid_json_line\",\"message\":"
                    + "\"This line is not parseable as valid JSON.\",\"param\":null,\"line\":1}]}"));
        }
        return o.toString();
    }

    private String error(String message, String auth) {
        JsonObject e = new JsonObject();
        e.addProperty("message", message + (echoAuthorization ? " (you sent " + auth + ")" : ""));
        JsonObject o = new JsonObject();
        o.add("error", e);
        return o.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        FakeChatServer.send(exchange, status, null, "application/json", body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
