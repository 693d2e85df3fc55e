package dev.notebench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.secrets.Secrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** A fake that writes the request's Authorization header back into every part of its raw answer. */
class SecretScrubberTest {
    private static final String KEY = "sk-live-0123456789abcdef";

    /** Answers one request with {@code template}, "{auth}" replaced by the Authorization header received. */
    private static final class EchoingFake implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;

        EchoingFake(String template) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    String auth = "";
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        if (line.regionMatches(true, 0, "Authorization:", 0, 14)) {
                            auth = line.substring(14).strip();
                        }
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(template.replace("{auth}", auth).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    // the test's client went away
                }
            });
            thread.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1/test";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static OkHttpClient client() {
        ApiKey key = ApiKey.fromEnvironment("MY_KEY", Map.of("MY_KEY", KEY));
        return ModelApis.finish(ModelApis.start(null, Duration.ofSeconds(5), RetryInterceptor.builder().maxRetries(0).build()), key,
                Secrets.of("X-Other-Secret-Value"));
    }

    @Test
    void theBodyStatusMessageAndHeadersOfAnAnswerComeOutScrubbed() throws IOException {
        String body = "<html><body><h1>401</h1><pre>Authorization: {auth}\nX-Other-Secret-Value</pre></body></html>";
        String raw = "HTTP/1.1 401 Bad key {auth}\r\nContent-Type: text/html\r\nX-Echo: {auth}\r\nConnection: close\r\n"
                + "Content-Length: " + body.replace("{auth}", "Bearer " + KEY).getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        OkHttpClient http = client();
        try (EchoingFake fake = new EchoingFake(raw);
             Response r = http.newCall(new Request.Builder().url(fake.url()).build()).execute()) {
            assertEquals(401, r.code());
            assertEquals("Bad key Bearer [redacted]", r.message());
            assertEquals("Bearer [redacted]", r.header("X-Echo"));
            assertEquals("<html><body><h1>401</h1><pre>Authorization: Bearer [redacted]\n[redacted]</pre></body></html>", r.body().string());
        } finally {
            ModelApis.release(http);
        }
    }

    @Test
    void anIoErrorThatQuotesTheServerComesOutScrubbed() throws IOException {
        OkHttpClient http = client();
        try (EchoingFake fake = new EchoingFake("HTTP/1.1 {auth}\r\n\r\n")) {
            IOException e = assertThrows(IOException.class, () -> http.newCall(new Request.Builder().url(fake.url()).build()).execute());
            assertEquals("java.net.ProtocolException: Unexpected status line: HTTP/1.1 Bearer [redacted]", e.toString());
            assertFalse(Secrets.of(KEY).isFoundIn(e));
        } finally {
            ModelApis.release(http);
        }
    }

    @Test
    void anAnswerWithoutSecretsIsPassedOnByteForByte() throws IOException {
        String body = "{\"ok\":true,\"text\":\"caf\u00e9\"}";
        String raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        OkHttpClient http = client();
        try (EchoingFake fake = new EchoingFake(raw);
             Response r = http.newCall(new Request.Builder().url(fake.url()).build()).execute()) {
            assertEquals("application/json", r.body().contentType().toString());
            assertEquals(body, r.body().string());
        } finally {
            ModelApis.release(http);
        }
    }
}
