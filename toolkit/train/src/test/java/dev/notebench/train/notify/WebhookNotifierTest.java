package dev.notebench.train.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.notebench.NotebenchException;
import dev.notebench.train.RunListener;
import dev.notebench.train.RunState;
import dev.notebench.train.TinyRuns;
import dev.notebench.train.TrainRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A real HTTP server on loopback receives the notifications. */
class WebhookNotifierTest {
    private static final String SECRET_PATH = "/api/webhooks/1234/s3cr3t-t0ken";

    private HttpServer server;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Integer> replies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(SECRET_PATH, exchange -> {
            requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Integer code = replies.poll();
            int status = code == null ? 204 : code;
            if (status == 429) {
                exchange.getResponseHeaders().add("Retry-After", "0");
            }
            if (status < 300) {
                bodies.add(exchange.getRequestHeaders().getFirst("Content-Type") + "|" + body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        logs.start();
        ((Logger) LoggerFactory.getLogger(WebhookNotifier.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ((Logger) LoggerFactory.getLogger(WebhookNotifier.class)).detachAppender(logs);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH;
    }

    @Test
    void aRealRunPostsItsStartEvalsCheckpointsAndEndInOrder() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "notify").build());
        try (WebhookNotifier n = WebhookNotifier.builder(url()).minInterval(Duration.ZERO).build()) {
            run.listener(n).run();
        }
        List<String> events = new ArrayList<>();
        for (String b : bodies) {
            JsonObject o = JsonParser.parseString(b.substring(b.indexOf('|') + 1)).getAsJsonObject();
            JsonObject v = o.getAsJsonObject("notebench");
            events.add(v.get("event").getAsString() + "@" + v.get("step").getAsLong());
            assertEquals(o.get("text"), o.get("content"));
        }
        assertEquals(List.of("started@1", "eval@10", "checkpoint@10", "eval@20", "checkpoint@20", "eval@30", "checkpoint@30",
                "completed@30"), events);
        assertTrue(bodies.get(0).startsWith("application/json; charset=utf-8|"), bodies.get(0));
    }

    @Test
    void evalsWithinTheIntervalAreSkippedButStartAndEndAlwaysGo() {
        WebhookNotifier n = WebhookNotifier.builder(url()).minInterval(Duration.ofHours(1)).format(WebhookNotifier.Format.DISCORD)
                .build();
        TrainRun run = fakeRun();
        n.started(run, 0);
        n.step(new RunListener.Step(9, 2.5, 1e-3, 0.7, 1000, 1));
        n.eval(new RunListener.Eval(9, 2.25, Math.exp(2.25), true));
        n.checkpoint(9, tmp.resolve("checkpoints/step-00000009"));
        n.step(new RunListener.Step(19, 2.0, 1e-3, 0.7, 1000, 2));
        n.eval(new RunListener.Eval(19, 2.5, Math.exp(2.5), false));
        n.ended(RunState.COMPLETED, null);
        n.close();
        assertEquals(2, n.sent());
        assertEquals(3, n.skipped());
        assertEquals(List.of(
                "application/json; charset=utf-8|{\"content\":\"notebench tiny: started at step 1/20 (gpt, device cpu)\"}",
                "application/json; charset=utf-8|{\"content\":\"notebench tiny: completed after step 20/20, train loss 2.0000,"
                        + " best val loss 2.2500\"}"), bodies);
    }

    @Test
    void slackGetsTextOnlyAndAFailureSaysWhy() {
        WebhookNotifier n = WebhookNotifier.builder(url()).format(WebhookNotifier.Format.SLACK).build();
        n.started(fakeRun(), 5);
        n.ended(RunState.FAILED, "the loss became NaN at step 6");
        n.close();
        assertEquals(List.of("application/json; charset=utf-8|{\"text\":\"notebench tiny: resumed at step 6/20 (gpt, device cpu)\"}",
                "application/json; charset=utf-8|{\"text\":\"notebench tiny: failed after step 0/20: the loss became NaN at step 6\"}"),
                bodies);
    }

    @Test
    void rateLimitedByTheServerItRetriesOnceAfterRetryAfter() {
        replies.add(429);
        WebhookNotifier n = WebhookNotifier.builder(url()).build();
        n.started(fakeRun(), 0);
        n.close();
        assertEquals(2, requests.get());
        assertEquals(1, n.sent());
        assertEquals(0, n.failed());
    }

    @Test
    void failuresAreLoggedWithoutTheUrlAndDoNotStopTheRun() throws Exception {
        replies.add(404);
        WebhookNotifier n = WebhookNotifier.builder(url()).build();
        TrainRun run = fakeRun();
        n.started(run, 0);
        n.close();
        assertEquals(1, n.failed());

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        WebhookNotifier refused = WebhookNotifier.builder("http://127.0.0.1:" + closedPort + SECRET_PATH).build();
        refused.started(run, 0);
        refused.close();
        assertEquals(1, refused.failed());

        List<String> messages = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals("webhook notification failed: HTTP 404 Not Found", messages.get(0));
        assertTrue(messages.get(1).startsWith("webhook notification failed: ConnectException: "), messages::toString);
        for (String m : messages) {
            assertFalse(m.contains("s3cr3t") || m.contains("1234"), m);
        }
        assertFalse(refused.toString().contains("s3cr3t"), refused::toString);
    }

    @Test
    void aBadUrlIsOneErrorThatDoesNotRepeatIt() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> WebhookNotifier.builder("hooks.example/s3cr3t"));
        assertEquals("the webhook URL is not an http(s) URL; set NOTEBENCH_WEBHOOK_URL to the URL your Discord or Slack channel"
                + " gave you", e.getMessage());
    }

    @Test
    void theHostPicksThePayloadFormat() {
        assertEquals(WebhookNotifier.Format.DISCORD, WebhookNotifier.Format.of(okhttp3.HttpUrl.get("https://discord.com/api/webhooks/1/x")));
        assertEquals(WebhookNotifier.Format.SLACK, WebhookNotifier.Format.of(okhttp3.HttpUrl.get("https://hooks.slack.com/services/T/B/x")));
        assertEquals(WebhookNotifier.Format.GENERIC, WebhookNotifier.Format.of(okhttp3.HttpUrl.get("https://ntfy.example/run")));
    }

    @Test
    void retryAfterIsSecondsOrADateCappedAt30AndOneSecondWhenItSaysNothing() {
        Clock now = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);
        assertEquals(0, WebhookNotifier.retryAfterMillis("0", now));
        assertEquals(2500, WebhookNotifier.retryAfterMillis("2.5", now));
        assertEquals(30_000, WebhookNotifier.retryAfterMillis("3600", now));
        assertEquals(12_000, WebhookNotifier.retryAfterMillis("Wed, 21 Oct 2015 07:28:12 GMT", now));
        assertEquals(0, WebhookNotifier.retryAfterMillis("Wed, 21 Oct 2015 07:27:00 GMT", now));
        assertEquals(1000, WebhookNotifier.retryAfterMillis("soon", now));
        assertEquals(1000, WebhookNotifier.retryAfterMillis(null, now));
    }

    private TrainRun fakeRun() {
        try {
            return TrainRun.create(TinyRuns.gpt(tmp, "tiny").steps(20).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
