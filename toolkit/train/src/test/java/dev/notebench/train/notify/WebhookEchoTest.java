package dev.notebench.train.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.notebench.train.RunState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A webhook endpoint whose refusal quotes the URL it was posted to: the URL's token is not logged. */
class WebhookEchoTest {
    private static final String SECRET_PATH = "/api/webhooks/1234/s3cr3t-t0ken-value";

    @Test
    void aStatusMessageQuotingTheWebhookUrlIsLoggedWithTheUrlRedacted() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(WebhookNotifier.class);
        logger.addAppender(logs);
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    String target = in.readLine().split(" ")[1];
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        // the headers
                    }
                    s.getOutputStream().write(("HTTP/1.1 403 Forbidden for " + target + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // the notifier went away
                }
            });
            fake.start();
            try (WebhookNotifier n = WebhookNotifier.builder("http://127.0.0.1:" + socket.getLocalPort() + SECRET_PATH).build()) {
                n.ended(RunState.COMPLETED, null);
            }
            fake.join(10_000);
        } finally {
            logger.detachAppender(logs);
        }
        List<String> messages = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of("webhook notification failed: HTTP 403 Forbidden for [redacted]"), messages);
    }
}
