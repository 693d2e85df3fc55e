package dev.notebench.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An embeddings server that writes the request's Authorization header back: the key is in no error message. */
class OpenAiEmbedderEchoTest {
    private static final String KEY = "sk-test-0123456789abcdef";

    private HttpServer server;
    private volatile int status;
    private volatile String template;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/embeddings", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] out = template.replace("{auth}", ex.getRequestHeaders().getFirst("Authorization")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private NotebenchException failure(int status, String template) {
        this.status = status;
        this.template = template;
        try (OpenAiEmbedder e = OpenAiEmbedder.builder("tiny-embed", 2).baseUrl("http://127.0.0.1:" + server.getAddress().getPort()
                + "/v1").apiKeyEnv("TEST_KEY").environment(Map.of("TEST_KEY", KEY)).retries(0, Duration.ofMillis(1)).build()) {
            return assertThrows(NotebenchException.class, () -> e.embed(List.of("x")));
        }
    }

    @Test
    void aRefusalQuotingTheKeyIsReportedWithTheKeyRedacted() {
        NotebenchException x = failure(401, "{\"error\":{\"message\":\"Incorrect API key provided: {auth}\"}}");
        assertEquals(ErrorCode.PROVIDER_FAILED, x.code());
        assertEquals("the embeddings server http://127.0.0.1:" + server.getAddress().getPort() + "/v1/embeddings answered 401:"
                + " Incorrect API key provided: Bearer [redacted]; check the API key's variable", x.getMessage());
    }

    @Test
    void anHtmlPageQuotingTheKeyIsReportedWithTheKeyRedacted() {
        NotebenchException x = failure(200, "<html><body>Login required ({auth})</body></html>");
        assertTrue(x.getMessage().endsWith("): <html><body>Login required (Bearer [redacted])</body></html>"), x.getMessage());
        assertFalse(x.getMessage().contains(KEY), x.getMessage());
    }
}
