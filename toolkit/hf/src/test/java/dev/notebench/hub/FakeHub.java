package dev.notebench.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A fake Hugging Face hub on loopback serving one tiny repository the way the real hub answers
 * (the API's sha and siblings, HEAD with ETag / X-Linked-Etag / X-Linked-Size, GET with Range),
 * with switches for the failures the tests need: a connection cut mid-file, a token required,
 * gated, and silence.
 */
final class FakeHub implements AutoCloseable {
    static final String REPO = "fake-org/tiny-model";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** One request as the fake saw it. */
    record Seen(String method, String path, String authorization, String range) {
    }

    final Map<String, byte[]> files = new LinkedHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    volatile String requiredToken;
    volatile boolean gated;
    volatile boolean silent;
    /** Cut the connection after this many bytes of the next GET of model.safetensors; negative for never. */
    volatile long cutAfter = -1;

    FakeHub() throws IOException {
        files.put("config.json", "{\"model_type\": \"llama\", \"hidden_size\": 16}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{\"version\": \"1.0\"}".getBytes(StandardCharsets.UTF_8));
        byte[] weights = new byte[5000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (i * 31 + 7);
        }
        files.put("model.safetensors", weights);
        files.put("README.md", "# tiny".getBytes(StandardCharsets.UTF_8));
        files.put("pytorch_model.bin", new byte[] {1, 2, 3});
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static boolean isLfs(String file) {
        return file.endsWith(".safetensors") || file.endsWith(".bin");
    }

    /** The ETag the hub gives a file: sha256 for LFS files, a git-like sha1 for the others. */
    String etag(String file) {
        try {
            String algo = isLfs(file) ? "SHA-256" : "SHA-1";
            return HexFormat.of().formatHex(MessageDigest.getInstance(algo).digest(files.get(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        seen.add(new Seen(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRequestHeaders().getFirst("Range")));
        try (ex) {
            if (silent) {
                release.await();
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                text(ex, 401, "{\"error\":\"Invalid credentials in Authorization header " + auth + "\"}");
                return;
            }
            if (gated) {
                text(ex, 403, "{\"error\":\"Access to model " + REPO + " is restricted. You must have access to it.\"}");
                return;
            }
            if (path.equals("/api/models/" + REPO + "/revision/main") || path.equals("/api/models/" + REPO + "/revision/" + COMMIT)) {
                List<String> siblings = new ArrayList<>();
                files.keySet().forEach(f -> siblings.add("{\"rfilename\":\"" + f + "\"}"));
                text(ex, 200, "{\"id\":\"" + REPO + "\",\"sha\":\"" + COMMIT + "\",\"siblings\":[" + String.join(",", siblings) + "]}");
                return;
            }
            String prefix = "/" + REPO + "/resolve/" + COMMIT + "/";
            String file = path.startsWith(prefix) ? path.substring(prefix.length()) : null;
            if (file == null || !files.containsKey(file)) {
                ex.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
                text(ex, 404, "{\"error\":\"Repository not found\"}");
                return;
            }
            serve(ex, file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(HttpExchange ex, String file) throws IOException {
        byte[] body = files.get(file);
        var h = ex.getResponseHeaders();
        h.add("X-Repo-Commit", COMMIT);
        if (isLfs(file)) {
            h.add("X-Linked-Etag", "\"" + etag(file) + "\"");
            h.add("X-Linked-Size", String.valueOf(body.length));
            h.add("ETag", "\"cdn-" + etag(file).substring(0, 8) + "\"");
        } else {
            h.add("ETag", "W/\"" + etag(file) + "\"");
            h.add("X-Linked-Size", String.valueOf(body.length));
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        int from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=")) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            h.add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        ex.sendResponseHeaders(range != null ? 206 : 200, body.length - from);
        OutputStream out = ex.getResponseBody();
        long cut = file.equals("model.safetensors") ? cutAfter : -1;
        if (cut >= 0) {
            cutAfter = -1;
            out.write(body, from, (int) cut);
            out.flush();
            // the rest never comes: closing short of Content-Length drops the connection
            return;
        }
        out.write(body, from, body.length - from);
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
