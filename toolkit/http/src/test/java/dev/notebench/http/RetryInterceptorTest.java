package dev.notebench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class RetryInterceptorTest {
    private final List<Long> waits = ScriptedServer.recorder(new ArrayList<>());
    private final CallStats stats = new CallStats();

    private static final Clock NOW = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    private OkHttpClient client(int retries) {
        return new OkHttpClient.Builder().addInterceptor(RetryInterceptor.builder().maxRetries(retries)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).stats(stats).sleeper(waits::add).clock(NOW).build()).build();
    }

    private static Response get(OkHttpClient client, String url) throws IOException {
        return client.newCall(new Request.Builder().url(url).build()).execute();
    }

    @Test
    void a5xxSayingTheRequestExceedsTheContextIsNotRetried() throws IOException {
        String body = "{\"error\":{\"code\":500,\"message\":\"the request exceeds the available context size, try increasing"
                + " it\",\"type\":\"server_error\"}}";
        try (ScriptedServer server = new ScriptedServer(n -> ScriptedServer.Answer.of(500, body));
             Response r = get(client(3), server.url())) {
            assertEquals(500, r.code());
            assertEquals(body, r.body().string());
            assertEquals(1, server.requests());
            assertEquals(List.of(), waits);
            assertEquals(1, stats.failures());
        }
    }

    /** The waits of a call answered 429 with each of these {@code Retry-After} values in turn, then 200 (checked). */
    private List<Long> waitsAfter429s(String... retryAfter) throws IOException {
        try (ScriptedServer server = new ScriptedServer(n -> n < retryAfter.length
                ? new ScriptedServer.Answer(429, Map.of("Retry-After", retryAfter[n]), "slow down", 0)
                : ScriptedServer.Answer.of(200, "ok"));
             Response r = get(client(3), server.url())) {
            assertEquals(200, r.code());
            assertEquals("ok", r.body().string());
            return waits;
        }
    }

    @Test
    void a429WaitsTheSecondsItsRetryAfterAsksForThenSucceeds() throws IOException {
        assertEquals(List.of(1500L), waitsAfter429s("1.5"));
        assertEquals(2, stats.attempts());
        assertEquals(1, stats.retries());
        assertEquals(1, stats.throttledCount());
        assertEquals(0, stats.failures());
    }

    @Test
    void aRetryAfterGivenAsAnHttpDateIsHonouredAndCapped() throws IOException {
        // 45 s asked and waited; ten minutes asked, the 60 s cap waited
        assertEquals(List.of(45_000L, 60_000L), waitsAfter429s("Wed, 21 Oct 2015 07:28:45 GMT", "Wed, 21 Oct 2015 07:38:00 GMT"));
    }

    @Test
    void aRetryAfterDateAlreadyPastRetriesAtOnceRatherThanBackingOff() throws IOException {
        // the time the server named has come (RFC 9110 §10.2.3): no wait, where a backoff would wait 1 to 100 ms
        assertEquals(List.of(0L), waitsAfter429s("Wed, 21 Oct 2015 07:27:30 GMT"));
        assertEquals(1, stats.throttledCount());
        assertEquals(1, stats.retries());
    }

    @Test
    void serverErrorsBackOffWithJitterUnderADoublingCeilingAndTheLastAnswerIsReturned() throws IOException {
        try (ScriptedServer server = new ScriptedServer(n -> ScriptedServer.Answer.of(503, "busy"));
             Response r = get(client(4), server.url())) {
            assertEquals(503, r.code());
            assertEquals("busy", r.body().string());
            assertEquals(5, server.requests());
            assertEquals(4, waits.size());
            long[] ceilings = {100, 200, 400, 800};
            for (int i = 0; i < 4; i++) {
                assertTrue(waits.get(i) >= 1 && waits.get(i) <= ceilings[i], "wait " + i + " = " + waits.get(i));
            }
            assertEquals(5, stats.failures());
            assertEquals(4, stats.retries());
        }
    }

    @Test
    void aClientErrorIsNotRetried() throws IOException {
        try (ScriptedServer server = new ScriptedServer(n -> ScriptedServer.Answer.of(401, "{\"error\":{\"message\":\"bad key\"}}"));
             Response r = get(client(5), server.url())) {
            assertEquals(401, r.code());
            assertEquals(1, server.requests());
            assertEquals(List.of(), waits);
        }
    }

    @Test
    void anUnreachableServerIsRetriedThenItsErrorThrown() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        OkHttpClient client = client(2);
        assertThrows(ConnectException.class, () -> get(client, "http://127.0.0.1:" + port + "/v1/x"));
        assertEquals(2, waits.size());
        assertEquals(3, stats.attempts());
        assertEquals(3, stats.failures());
    }

    @Test
    void anInterruptedWaitStopsRetrying() throws IOException {
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(RetryInterceptor.builder().maxRetries(5)
                .sleeper(ms -> {
                    throw new InterruptedException();
                }).build()).build();
        try (ScriptedServer server = new ScriptedServer(n -> ScriptedServer.Answer.of(500, "x"))) {
            assertThrows(java.io.InterruptedIOException.class, () -> get(client, server.url()));
            assertEquals(1, server.requests());
            assertTrue(Thread.interrupted()); // the flag is kept for the caller (and cleared here)
        }
    }
}
