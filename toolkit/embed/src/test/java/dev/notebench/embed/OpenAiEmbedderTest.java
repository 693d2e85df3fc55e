package dev.notebench.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a fake embeddings server on loopback: real HTTP, scripted answers for the protocol's faults. */
class OpenAiEmbedderTest {
    private HttpServer server;
    private final Deque<Object[]> script = new ArrayDeque<>(); // {status, body, retryAfter}
    private final List<String> requests = new ArrayList<>();
    private final List<String> auth = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (this) {
                requests.add(body);
                auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            }
            Object[] answer = script.isEmpty() ? new Object[] {200, answerFor(body), null} : script.poll();
            if (answer[2] != null) {
                ex.getResponseHeaders().add("Retry-After", (String) answer[2]);
            }
            byte[] out = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders((int) answer[0], out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** A valid answer: vector i of input i is {i, len(text)}, listed in reverse order (servers may). */
    private static String answerFor(String request) {
        JsonObject req = JsonParser.parseString(request).getAsJsonObject();
        int n = req.getAsJsonArray("input").size();
        StringBuilder data = new StringBuilder();
        for (int i = n - 1; i >= 0; i--) {
            String text = req.getAsJsonArray("input").get(i).getAsString();
            data.append(i == n - 1 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":[").append(i).append(".0,").append(text.length()).append(".5]}");
        }
        return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"m\"}";
    }

    private OpenAiEmbedder.Builder client() {
        return OpenAiEmbedder.builder("tiny-embed", 2).baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
                .apiKeyEnv("TEST_KEY").environment(Map.of("TEST_KEY", "sk-test-SECRET-123")).retries(3, Duration.ofMillis(5));
    }

    @Test
    void vectorsComeBackInInputOrderWithTheKeyAsABearerToken() {
        try (OpenAiEmbedder e = client().build()) {
            List<float[]> v = e.embed(List.of("a", "bcd", "ef"));
            assertArrayEquals(new float[] {0, 1.5f}, v.get(0));
            assertArrayEquals(new float[] {1, 3.5f}, v.get(1));
            assertArrayEquals(new float[] {2, 2.5f}, v.get(2));
            assertEquals("{\"model\":\"tiny-embed\",\"input\":[\"a\",\"bcd\",\"ef\"]}", requests.get(0));
            assertEquals("Bearer sk-test-SECRET-123", auth.get(0));
            assertEquals("tiny-embed@127.0.0.1:" + server.getAddress().getPort(), e.id());
            assertFalse(e.toString().contains("SECRET"));
        }
    }

    @Test
    void a429WaitsForRetryAfterAnd5xxBacksOffThenItSucceeds() {
        script.add(new Object[] {429, "{\"error\":{\"message\":\"slow down\"}}", "0"});
        script.add(new Object[] {503, "overloaded", null});
        script.add(new Object[] {500, "oops", null});
        try (OpenAiEmbedder e = client().build()) {
            assertArrayEquals(new float[] {0, 5.5f}, e.embed(List.of("hello")).get(0));
            assertEquals(4, requests.size());
        }
    }

    @Test
    void giveUpAfterTheRetriesAndSayWhy() {
        for (int i = 0; i < 4; i++) {
            script.add(new Object[] {502, "bad gateway", null});
        }
        try (OpenAiEmbedder e = client().build()) {
            NotebenchException x = assertThrows(NotebenchException.class, () -> e.embed(List.of("x")));
            assertEquals(ErrorCode.PROVIDER_FAILED, x.code());
            assertTrue(x.getMessage().endsWith("failed 4 times (last: HTTP 502); try again later or lower the request rate"),
                    x.getMessage());
        }
    }

    @Test
    void aClientErrorFailsAtOnceWithTheServersMessageAndNeverTheKey() {
        script.add(new Object[] {401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}", null});
        try (OpenAiEmbedder e = client().build()) {
            NotebenchException x = assertThrows(NotebenchException.class, () -> e.embed(List.of("x")));
            assertTrue(x.getMessage().endsWith("answered 401: Incorrect API key provided; check the API key's variable"),
                    x.getMessage());
            assertFalse(x.getMessage().contains("SECRET"));
            assertEquals(1, requests.size());
        }
    }

    @Test
    void garbageFromTheServerIsOneClearError() {
        script.add(new Object[] {200, "<html>proxy login</html>", null});
        script.add(new Object[] {200, "{\"data\":[{\"index\":0,\"embedding\":[1.0,2.0,3.0]}]}", null});
        try (OpenAiEmbedder e = client().build()) {
            NotebenchException x = assertThrows(NotebenchException.class, () -> e.embed(List.of("x")));
            assertTrue(x.getMessage().contains("answered something that is not an embeddings response")
                    && x.getMessage().endsWith(": <html>proxy login</html>"), x.getMessage());
            x = assertThrows(NotebenchException.class, () -> e.embed(List.of("x")));
            assertTrue(x.getMessage().contains("a vector of 3 floats; tiny-embed was declared with 2"), x.getMessage());
        }
    }

    @Test
    void anEmptyKeyVariableIsOneErrorNamingIt() {
        NotebenchException x = assertThrows(NotebenchException.class,
                () -> client().environment(Map.of()).build());
        assertEquals("CONFIG_INVALID: the environment variable TEST_KEY holds no API key; set it before starting the kernel or the"
                + " command (never in a notebook), or give no key variable for a local server that needs none",
                x.code() + ": " + x.getMessage());
    }

    @Test
    void throughTheCacheTheServerIsAskedOnlyForNewTexts() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("oe");
        try (OpenAiEmbedder e = client().batchSize(2).build(); EmbeddingCache c = EmbeddingCache.open(dir.resolve("c.sqlite"))) {
            c.embed(e, List.of("a", "bb", "ccc"));
            c.embed(e, List.of("bb", "dddd"));
            assertEquals(3, requests.size(), "two batches, then one for the new text");
            assertTrue(requests.get(2).contains("[\"dddd\"]"), requests.get(2));
        }
    }
}
