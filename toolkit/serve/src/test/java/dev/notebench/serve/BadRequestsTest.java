package dev.notebench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.NotebenchException;
import dev.notebench.serve.internal.Route;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad requests get the exact 4xx that names what to fix, never a 5xx or a trace; the bearer token
 * guards a server on a non-loopback address; the OpenAPI document lists every route.
 */
class BadRequestsTest {
    /** A request body with every kind of field, to check typed reading over HTTP. */
    record Probe(String name, int count, List<String> tags, Boolean flag) {
    }

    @TempDir
    Path tmp;
    Path runs;

    @BeforeEach
    void runs() throws Exception {
        runs = tmp.resolve("runs");
        Runs.run(runs, "alpha", "2026-12-01T09:00:00Z", "completed", 29, 111L, null, null);
    }

    private NotebenchServer server() {
        return NotebenchServer.builder(runs).port(0).routes(List.of(Route.post("/probe", "Echoes a probe", 200, Probe.class,
                c -> c.body(Probe.class)).withBody(Probe.class))).build().start();
    }

    private static JsonObject error(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("error");
    }

    private static void refused(HttpResponse<String> r, int status, String code, String field) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject e = error(r);
        assertEquals(status, e.get("status").getAsInt(), r.body());
        assertEquals(code, e.get("code").getAsString(), r.body());
        assertEquals(field, e.get("field").isJsonNull() ? null : e.get("field").getAsString(), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), r.body());
    }

    @Test
    void malformedJsonAndWrongTypesAre400NamingThePositionOrField() throws Exception {
        try (NotebenchServer s = server()) {
            Http http = new Http(s);
            HttpResponse<String> ok = http.send("POST", "/probe", "{\"name\": \"a\", \"count\": 2, \"tags\": [\"x\"]}");
            assertEquals("{\"name\":\"a\",\"count\":2,\"tags\":[\"x\"],\"flag\":null}", ok.body());
            HttpResponse<String> bad = http.send("POST", "/probe", "{\"name\": \"a\", \"count\" 2}");
            refused(bad, 400, "malformed_json", null);
            assertEquals("the body is not valid JSON: Expected ':' at line 1 column 24 (path $.count)",
                    error(bad).get("message").getAsString());
            refused(http.send("POST", "/probe", "{\"name\": 3, \"count\": 1}"), 400, "invalid_field", "name");
            refused(http.send("POST", "/probe", "{\"name\": \"a\", \"count\": \"2\"}"), 400, "invalid_field", "count");
            refused(http.send("POST", "/probe", "{\"name\": \"a\", \"count\": 1.5}"), 400, "invalid_field", "count");
            refused(http.send("POST", "/probe", "{\"name\": \"a\"}"), 400, "invalid_field", "count");
            assertEquals("count is required", error(http.send("POST", "/probe", "{\"name\": \"a\"}")).get("message").getAsString());
            refused(http.send("POST", "/probe", "{\"count\": 1, \"tags\": [1]}"), 400, "invalid_field", "tags[0]");
            refused(http.send("POST", "/probe", "{\"count\": 1, \"flag\": \"yes\"}"), 400, "invalid_field", "flag");
            HttpResponse<String> unknown = http.send("POST", "/probe", "{\"count\": 1, \"nmae\": \"a\"}");
            refused(unknown, 400, "invalid_field", "nmae");
            assertEquals("'nmae' is not a field of Probe; its fields are name, count, tags, flag",
                    error(unknown).get("message").getAsString());
            refused(http.send("POST", "/probe", "[1]"), 400, "invalid_field", null);
            refused(http.send("POST", "/probe", "{\"count\": 1} {}"), 400, "malformed_json", null);
            refused(http.send("POST", "/probe", "{\"count\": 1,}"), 400, "malformed_json", null);
        }
    }

    @Test
    void everyBadRequestIsTheExact4xxNeverA5xx() throws Exception {
        try (NotebenchServer s = server()) {
            Http http = new Http(s);
            String huge = "{\"name\": \"" + "x".repeat(2 << 20) + "\"}";
            refused(http.send("POST", "/probe", huge), 413, "body_too_large", null);
            refused(http.send("POST", "/runs/alpha/cancel", huge), 413, "body_too_large", null);
            refused(http.send("POST", "/runs/alpha/cancel", "{oops"), 400, "malformed_json", null);
            refused(http.send("POST", "/runs/alpha/cancel", "{\"why\": 1}"), 400, "unexpected_body", null);
            refused(http.get("/runs?page=abc"), 400, "invalid_field", "page");
            refused(http.get("/runs?page=0"), 400, "invalid_field", "page");
            refused(http.get("/runs?page_size=501"), 400, "invalid_field", "page_size");
            refused(http.get("/runs?status=bogus"), 400, "invalid_field", "status");
            refused(http.get("/runs?pagesize=3"), 400, "invalid_field", "pagesize");
            refused(http.get("/runs?page=1&page=2"), 400, "invalid_field", "page");
            refused(http.get("/runs/alpha/logs?lines=-1"), 400, "invalid_field", "lines");
            refused(http.get("/runs/-alpha"), 400, "invalid_id", "id");
            refused(http.get("/runs/.alpha"), 400, "invalid_id", "id");
            refused(http.get("/runs/" + "a".repeat(129)), 400, "invalid_id", "id");
            refused(http.get("/runs/alpha..x/metrics"), 400, "invalid_id", "id");
            refused(http.get("/runs/ghost"), 404, "not_found", null);
            refused(http.get("/nothing/here"), 404, "not_found", null);
            refused(http.get("/runs/alpha/metrics/stream", "Last-Event-ID", "ten"), 400, "invalid_field", "Last-Event-ID");
            for (String escape : List.of("/runs/..%2F..%2Fetc", "/runs/%2E%2E", "/runs/..%2Falpha/metrics", "/runs/%2e%2e%2f%2e%2e",
                    "/runs/a%00b")) { // Jetty refuses some of these itself (bad_request), in the API's error shape
                HttpResponse<String> r = http.get(escape);
                assertEquals(400, r.statusCode(), escape + ": " + r.body());
                assertTrue(Set.of("invalid_id", "bad_request").contains(error(r).get("code").getAsString()), r.body());
            }
            HttpResponse<String> wrong = http.send("DELETE", "/runs", null);
            refused(wrong, 405, "method_not_allowed", null);
            assertEquals("GET", wrong.headers().firstValue("Allow").orElseThrow());
            assertEquals("POST", http.send("GET", "/runs/alpha/cancel", null).headers().firstValue("Allow").orElseThrow());
            refused(http.send("PUT", "/runs/alpha", "{}"), 405, "method_not_allowed", null);
        }
    }

    @Test
    void aNonLoopbackAddressNeedsTheTokenAndChecksIt() throws Exception {
        NotebenchException refused = assertThrows(NotebenchException.class, () -> NotebenchServer.builder(runs).host("0.0.0.0")
                .build());
        assertEquals("refusing to listen on 0.0.0.0 without a bearer token: anyone who reaches it could read and cancel runs. Put a"
                + " long random token in an environment variable and name it with --token-env VAR, or listen on 127.0.0.1",
                refused.getMessage());
        String token = "s3cret-token-0123456789abcdef";
        try (NotebenchServer s = NotebenchServer.builder(runs).host("0.0.0.0").port(0).token(token).build().start()) {
            Http http = new Http(s);
            HttpResponse<String> none = http.get("/runs");
            refused(none, 401, "unauthorized", null);
            assertEquals("Bearer realm=\"notebench\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
            refused(http.get("/runs", "Authorization", "Bearer wrong"), 401, "unauthorized", null);
            refused(http.get("/runs", "Authorization", "Basic " + token), 401, "unauthorized", null);
            refused(http.get("/nothing", "Authorization", "Bearer " + token.substring(1)), 401, "unauthorized", null);
            assertEquals(200, http.get("/runs", "Authorization", "Bearer " + token).statusCode());
            assertEquals(404, http.get("/nothing", "Authorization", "Bearer " + token).statusCode());
            assertEquals(200, http.get("/healthz").statusCode(), "liveness tells nothing and needs no token");
            assertFalse(http.get("/openapi.json", "Authorization", "Bearer " + token).body().contains(token));
        }
    }

    @Test
    void anUnexpectedFailureIsA500WithAnIdAndNoTraceAndNoSecretIsEverAnswered() throws Exception {
        String key = "sk-test-0123456789abcdefghij";
        Path lost = Runs.run(runs, "leaky", "2026-12-01T09:00:00Z", "failed", 3, 111L, null, null);
        java.nio.file.Files.writeString(lost.resolve("status.json"), "{\"status\": \"failed\", \"step\": 3, \"message\":"
                + " \"the provider said: invalid key " + key + "\"}");
        java.nio.file.Files.writeString(lost.resolve("train.log"), "posting to https://hooks.example.com/" + key + "\n");
        try (NotebenchServer s = NotebenchServer.builder(runs).port(0).secrets(dev.notebench.secrets.Secrets.of(key))
                .routes(List.of(Route.get("/boom", "Fails", Probe.class, c -> {
                    throw new IllegalStateException("a bug with " + key);
                }))).build().start()) {
            Http http = new Http(s);
            HttpResponse<String> boom = http.get("/boom");
            assertEquals(500, boom.statusCode());
            JsonObject e = error(boom);
            String id = e.get("id").getAsString();
            assertEquals("the server failed unexpectedly; its log has the details under error id " + id, e.get("message").getAsString());
            assertEquals("internal", e.get("code").getAsString());
            assertFalse(boom.body().contains("IllegalStateException") || boom.body().contains(key), boom.body());
            assertEquals("the provider said: invalid key [redacted]", JsonParser.parseString(http.get("/runs/leaky").body())
                    .getAsJsonObject().get("message").getAsString());
            assertEquals("{\"id\":\"leaky\",\"lines\":[\"posting to https://hooks.example.com/[redacted]\"],\"truncated\":false}",
                    http.get("/runs/leaky/logs").body());
        }
    }

    @Test
    void aTakenPortIsOneErrorSayingWhatToDo() {
        try (NotebenchServer first = NotebenchServer.builder(runs).port(0).build().start()) {
            NotebenchException e = assertThrows(NotebenchException.class, () -> NotebenchServer.builder(runs).port(first.port())
                    .build().start());
            assertEquals("cannot listen on 127.0.0.1:" + first.port() + " (Address already in use); is another server there? Give"
                    + " another --port (0 for any free one)", e.getMessage());
        }
    }

    @Test
    void theOpenApiDocumentListsEveryRouteWithItsSchemas() throws Exception {
        try (NotebenchServer s = NotebenchServer.builder(runs).port(0).build().start()) {
            JsonObject doc = JsonParser.parseString(new Http(s).get("/openapi.json").body()).getAsJsonObject();
            assertEquals("3.1.0", doc.get("openapi").getAsString());
            List<String> routes = new ArrayList<>();
            doc.getAsJsonObject("paths").entrySet().forEach(p -> p.getValue().getAsJsonObject().keySet()
                    .forEach(m -> routes.add(m.toUpperCase() + " " + p.getKey())));
            assertEquals(List.of("GET /healthz", "GET /readyz", "GET /runs", "GET /runs/{id}", "GET /runs/{id}/logs",
                    "GET /runs/{id}/logs/stream", "GET /runs/{id}/metrics", "GET /runs/{id}/metrics/stream",
                    "POST /runs/{id}/cancel", "GET /openapi.json"), routes);
            assertEquals(new TreeSet<>(List.of("ApiError", "ApiErrorDetail", "CancelAccepted", "Health", "Hyperparameters", "LogTail",
                    "Ready", "RunDetail", "RunPage", "RunSummary")), new TreeSet<>(doc.getAsJsonObject("components")
                    .getAsJsonObject("schemas").keySet()));
            assertEquals("{\"$ref\":\"#/components/schemas/RunPage\"}", doc.getAsJsonObject("paths").getAsJsonObject("/runs")
                    .getAsJsonObject("get").getAsJsonObject("responses").getAsJsonObject("200").getAsJsonObject("content")
                    .getAsJsonObject("application/json").get("schema").toString());
            assertEquals("{\"type\":[\"number\",\"null\"],\"format\":\"double\"}", doc.getAsJsonObject("components")
                    .getAsJsonObject("schemas").getAsJsonObject("RunSummary").getAsJsonObject("properties").get("best_val_loss")
                    .toString());
            assertEquals("{\"name\":\"page_size\",\"in\":\"query\",\"required\":false,\"description\":\"runs per page (a whole"
                    + " number from 1 to 500; default: 50)\",\"schema\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,"
                    + "\"default\":50}}", doc.getAsJsonObject("paths").getAsJsonObject("/runs").getAsJsonObject("get")
                    .getAsJsonArray("parameters").get(2).toString());
        }
    }
}
