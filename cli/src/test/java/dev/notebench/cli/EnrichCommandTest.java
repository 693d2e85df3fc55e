package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notebench enrich} in a JVM of its own against a fake chat server that writes the request's
 * Authorization and X-Api-Key headers back into its answers: the exit status says how the job
 * ended, and neither secret reaches standard output, standard error or any file the job wrote.
 */
class EnrichCommandTest {
    private static final String KEY = "sk-live-0123456789abcdef";
    private static final String HEADER_SECRET = "hdr-9876543210-secret";

    /** What the fake answers. */
    enum Mode {
        /** Labels every row: spam when its text has a '$'. */
        LABELS,
        /** 200 with an HTML page that quotes the request's headers. */
        HTML_200,
        /** 401 with an OpenAI-style error quoting the key. */
        REFUSED_401,
        /** 429 (Retry-After: 0) quoting the headers. */
        THROTTLED_429,
        /** 500 with an HTML page quoting the headers. */
        HTML_500
    }

    @TempDir
    Path tmp;

    private HttpServer server;
    private volatile Mode mode = Mode.LABELS;
    private final AtomicInteger asked = new AtomicInteger();

    @BeforeEach
    void startFake() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String echo = "Authorization: " + exchange.getRequestHeaders().getFirst("Authorization") + "; X-Api-Key: "
                    + exchange.getRequestHeaders().getFirst("X-Api-Key");
            int status;
            String type = "application/json";
            String answer;
            switch (mode) {
                case LABELS -> {
                    status = 200;
                    answer = labels(body);
                }
                case HTML_200 -> {
                    status = 200;
                    type = "text/html";
                    answer = "<html><body><h1>Proxy</h1><pre>" + echo + "</pre></body></html>";
                }
                case REFUSED_401 -> {
                    status = 401;
                    answer = "{\"error\":{\"message\":\"Incorrect API key provided: " + echo + "\"}}";
                }
                case THROTTLED_429 -> {
                    status = 429;
                    exchange.getResponseHeaders().add("Retry-After", "0");
                    answer = "{\"error\":{\"message\":\"slow down, " + echo + "\"}}";
                }
                default -> {
                    status = 500;
                    type = "text/html";
                    answer = "<html><body>Internal error<br>" + echo + "</body></html>";
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/v1/files", this::files);
        server.createContext("/v1/batches", this::batches);
        server.start();
    }

    private final java.util.Map<String, String> files = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Integer> polled = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger submissions = new AtomicInteger();
    private volatile String failRequest = "";

    /** The batch API's files: an upload keeps the multipart's file part; the content of a file is served as kept. */
    private synchronized void files(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.endsWith("/content")) {
            send(exchange, files.get(path.split("/")[3]));
            return;
        }
        String upload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String file = upload.substring(upload.indexOf("\r\n\r\n", upload.indexOf("name=\"file\"")) + 4);
        String id = "file-" + files.size();
        files.put(id, file.substring(0, file.indexOf("\r\n--")));
        send(exchange, "{\"id\":\"" + id + "\",\"object\":\"file\",\"purpose\":\"batch\"}");
    }

    /** Batch jobs: created in_progress, completed at the second poll with every request answered by {@link #labels}. */
    private synchronized void batches(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String id;
        if (path.equals("/v1/batches")) {
            JsonObject req = JsonParser.parseString(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            id = "batch_" + submissions.getAndIncrement();
            files.put(id, req.get("input_file_id").getAsString());
            polled.put(id, 0);
        } else {
            id = path.split("/")[3];
            polled.merge(id, 1, Integer::sum);
        }
        boolean done = polled.get(id) >= 2;
        if (done && !files.containsKey(id + "-out")) {
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            for (String line : files.get(files.get(id)).split("\n")) {
                JsonObject request = JsonParser.parseString(line).getAsJsonObject();
                String customId = request.get("custom_id").getAsString();
                if (customId.equals(failRequest)) {
                    err.append("{\"custom_id\":\"").append(customId).append("\",\"response\":null,\"error\":{\"code\":"
                            + "\"server_error\",\"message\":\"the model is overloaded\"}}\n");
                } else {
                    out.append("{\"custom_id\":\"").append(customId).append("\",\"response\":{\"status_code\":200,\"body\":")
                            .append(labels(request.get("body").toString())).append("},\"error\":null}\n");
                }
            }
            files.put(id + "-out", out.toString());
            files.put(id + "-err", err.toString());
        }
        send(exchange, "{\"id\":\"" + id + "\",\"object\":\"batch\",\"status\":\"" + (done ? "completed" : "in_progress")
                + "\",\"input_file_id\":\"" + files.get(id) + "\",\"output_file_id\":" + (done ? "\"" + id + "-out\"" : "null")
                + ",\"error_file_id\":" + (done ? "\"" + id + "-err\"" : "null") + ",\"request_counts\":{\"total\":0,"
                + "\"completed\":0,\"failed\":0}}");
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stopFake() {
        server.stop(0);
    }

    /** A chat completion labelling every row of the request's user message. */
    private String labels(String request) {
        JsonArray messages = JsonParser.parseString(request).getAsJsonObject().getAsJsonArray("messages");
        JsonArray rows = new JsonArray();
        for (String line : messages.get(messages.size() - 1).getAsJsonObject().get("content").getAsString().split("\n")) {
            if (!line.isBlank()) {
                JsonObject row = JsonParser.parseString(line).getAsJsonObject();
                JsonObject out = new JsonObject();
                out.add("id", row.get("id"));
                out.addProperty("predicted", row.get("text").getAsString().contains("$") ? "spam" : "ham");
                rows.add(out);
                asked.incrementAndGet();
            }
        }
        JsonObject content = new JsonObject();
        content.add("rows", rows);
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", content.toString());
        JsonObject choice = new JsonObject();
        choice.add("message", message);
        choice.addProperty("finish_reason", "stop");
        JsonArray choices = new JsonArray();
        choices.add(choice);
        JsonObject root = new JsonObject();
        root.add("choices", choices);
        return root.toString();
    }

    private record Exit(int status, String out, String err) {
    }

    /** Runs {@code notebench enrich ...} in a JVM of its own, with the key in its environment. */
    private Exit enrich(String... more) throws Exception {
        Path in = tmp.resolve("mail.csv");
        Files.writeString(in, "subject\nWin $5 now\nLunch today?\nWin $9 fast\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Notebench.class.getName(), "enrich", "--input", in.toString(), "--text", "subject", "--labels", "spam,ham",
                "--single", "--out", tmp.resolve("out.csv").toString(), "--base-url", "http://127.0.0.1:"
                        + server.getAddress().getPort() + "/v1", "--model", "fake-model", "--key-env", "MY_KEY",
                "--header", "X-Api-Key=" + HEADER_SECRET, "--cache", tmp.resolve("responses.sqlite").toString(),
                "--retries", "1", "--attempts", "2", "--workers", "1"));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("stdout.txt").toFile())
                .redirectError(tmp.resolve("stderr.txt").toFile());
        pb.environment().put("MY_KEY", KEY);
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "enrich did not exit");
        Exit exit = new Exit(p.exitValue(), Files.readString(tmp.resolve("stdout.txt")), Files.readString(tmp.resolve("stderr.txt")));
        assertNoSecretLeft(exit);
        return exit;
    }

    /** Neither secret in the streams, nor in any file under tmp but the input. */
    private void assertNoSecretLeft(Exit exit) throws IOException {
        List<String> texts = new ArrayList<>(List.of("stdout: " + exit.out(), "stderr: " + exit.err()));
        try (var files = Files.list(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                texts.add(f + ": " + new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        for (String t : texts) {
            assertFalse(t.contains(KEY) || t.contains("0123456789abcdef"), "the key leaked: " + t);
            assertFalse(t.contains(HEADER_SECRET), "the header's value leaked: " + t);
        }
    }

    /** The last line on standard error (a progress bar may come before it). */
    private static String lastLine(String err) {
        String[] lines = err.strip().split("\r?\n|\r");
        return lines[lines.length - 1];
    }

    @Test
    void aDryRunSendsNothingAndPrintsTheEstimateAndTheFirstRequestWithoutSecrets() throws Exception {
        Exit dry = enrich("--dry-run", "--price-in", "0.15", "--price-out", "0.6");
        assertEquals(0, dry.status(), dry.err());
        assertEquals(0, asked.get());
        assertTrue(dry.out().contains("dry run: nothing sent"), dry.out());
        assertTrue(dry.out().contains("The first call's request (its messages and response_format; headers and the key are never"
                + " shown):\n{\n  \"messages\": ["), dry.out());
        assertFalse(Files.exists(tmp.resolve("out.csv")));
    }

    @Test
    void aSampleIsNotAskedAgainByTheResumeThatLabelsTheRest() throws Exception {
        Exit sampled = enrich("--sample", "2", "--seed", "3");
        assertEquals(0, sampled.status(), sampled.err());
        assertEquals(2, asked.get());
        assertTrue(sampled.out().contains("sample: 2 of 3 rows (--seed 3)"), sampled.out());
        assertTrue(sampled.out().strip().endsWith("to label the other 1 rows (they are not asked again), run the same command with"
                + " --resume in place of --sample 2"), sampled.out());
        Exit rest = enrich("--resume");
        assertEquals(0, rest.status(), rest.err());
        assertEquals(3, asked.get());
        assertTrue(rest.out().startsWith("3 of 3 rows labelled, 0 failed, 2 resumed from the journal"), rest.out());
    }

    @Test
    void rowsFailedByAnHtmlAnswerExitWith3AndTheResumeAfterTheFixAsksThemAgainAndExitsWith0() throws Exception {
        mode = Mode.HTML_200;
        Exit failed = enrich();
        assertEquals(3, failed.status(), failed.err());
        assertTrue(failed.out().startsWith("0 of 3 rows labelled, 3 failed; written to " + tmp.resolve("out.csv")), failed.out());
        assertEquals("notebench: every one of the 3 rows failed (failed after 2 attempts: the server's answer is not a chat"
                + " completion: <html><body><h1>Proxy</h1><pre>Authorization: Bearer [redacted]; X-Api-Key: [redacted]</pre></body>"
                + "</html>); the reasons are in the enrich_error column of " + tmp.resolve("out.csv") + ". Fix the cause and run"
                + " again with --resume to ask the failed rows again (--keep-failed keeps them)", lastLine(failed.err()));

        mode = Mode.LABELS;
        Exit kept = enrich("--resume", "--keep-failed");
        assertEquals(3, kept.status(), kept.err());
        assertEquals(0, asked.get(), "--keep-failed asks nothing");

        Exit fixed = enrich("--resume");
        assertEquals(0, fixed.status(), fixed.err());
        assertEquals(3, asked.get());
        assertTrue(fixed.out().startsWith("3 of 3 rows labelled, 0 failed, 3 that had failed before asked again; written to "
                + tmp.resolve("out.csv")), fixed.out());
        assertEquals(List.of("subject,predicted,enrich_error", "Win $5 now,spam,", "Lunch today?,ham,", "Win $9 fast,spam,"),
                Files.readAllLines(tmp.resolve("out.csv")));
    }

    @Test
    void aRefusedKeyEchoedBackExitsWith1AndOneLineWithoutTheKey() throws Exception {
        mode = Mode.REFUSED_401;
        Exit e = enrich();
        assertEquals(1, e.status(), e.err());
        assertEquals("notebench: CONFIG_INVALID: http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions refused"
                + " the key (401: Incorrect API key provided: Authorization: Bearer [redacted]; X-Api-Key: [redacted]); check the"
                + " key in $MY_KEY", lastLine(e.err()));
    }

    @Test
    void throttlingAndServerErrorsEchoingTheKeyExitWith1WithoutTheKey() throws Exception {
        mode = Mode.THROTTLED_429;
        Exit throttled = enrich();
        assertEquals(1, throttled.status(), throttled.err());
        assertTrue(lastLine(throttled.err()).contains("kept failing (429: slow down, Authorization: Bearer [redacted]; X-Api-Key:"
                + " [redacted]) after retries"), throttled.err());
        assertTrue(lastLine(throttled.err()).endsWith(" after retries; lower --workers or try later; the rows answered so far are"
                + " journalled in " + tmp.resolve("out.csv.journal.jsonl") + ": run again with --resume to continue"), throttled.err());

        mode = Mode.HTML_500;
        Exit failed = enrich("--fresh");
        assertEquals(1, failed.status(), failed.err());
        assertTrue(lastLine(failed.err()).contains("kept failing (500: <html><body>Internal error<br>Authorization: Bearer"
                + " [redacted]; X-Api-Key: [redacted]</body></html>) after retries"), failed.err());
    }

    @Test
    void aBatchEnrichTaskWhoseRowsFailedIsAFailedTaskWithTheReasonAndTheRemedy() throws Exception {
        mode = Mode.HTML_200;
        Files.writeString(tmp.resolve("mail.csv"), "subject\nWin $5 now\nLunch today?\n");
        Path manifest = Files.writeString(tmp.resolve("batch.yaml"), "workers: 1\ntasks:\n  - {name: mail, type: enrich, args:"
                + " [--input, mail.csv, --text, subject, --labels, 'spam,ham', --single, --out, out.csv, --no-cache, --base-url,"
                + " 'http://127.0.0.1:" + server.getAddress().getPort() + "/v1', --model, fake-model, --retries, '1', --attempts,"
                + " '1'], instructions: 'spam or ham'}\n");
        java.io.StringWriter out = new java.io.StringWriter();
        int status = Notebench.run(new String[] {"batch", manifest.toString()}, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true));
        assertEquals(1, status, out.toString());
        String row = out.toString().lines().toList().get(1);
        assertTrue(row.matches("mail +enrich +failed +0 +[0-9.]+  every one of the 2 rows failed \\(failed after 1 attempt: the"
                + " server's answer is not a chat completion: .*\\); the reasons are in the enrich_error column of .*out\\.csv\\."
                + " Fix the cause and run again with --resume to ask the failed rows again \\(--keep-failed keeps them\\)"), row);
    }

    @Test
    void aBatchJobWithAFailedRequestExitsWith3AndTheResumeAsksItsRowsInAFollowUpJob() throws Exception {
        failRequest = "rows-1";
        Exit failed = enrich("--batch-api", "--poll-every", "0.001", "--batch", "1");
        assertEquals(3, failed.status(), failed.err());
        assertEquals(2, asked.get());
        assertTrue(failed.out().startsWith("2 of 3 rows labelled, 1 failed, through the batch job batch_0; written to "
                + tmp.resolve("out.csv")), failed.out());
        assertEquals("notebench: 1 of 3 rows failed (the batch request rows-1 failed (server_error: the model is overloaded)); the"
                + " reasons are in the enrich_error column of " + tmp.resolve("out.csv") + ". Fix the cause and run again with"
                + " --resume to ask the failed rows again (--keep-failed keeps them)", lastLine(failed.err()));

        failRequest = "";
        Exit fixed = enrich("--batch-api", "--poll-every", "0.001", "--batch", "1", "--resume");
        assertEquals(0, fixed.status(), fixed.err());
        assertEquals(2, submissions.get());
        assertEquals(3, asked.get());
        assertTrue(fixed.out().startsWith("3 of 3 rows labelled, 0 failed, 2 resumed from the journal, 1 that had failed before"
                + " asked again, through the batch job batch_1; written to "), fixed.out());
        assertEquals(List.of("subject,predicted,enrich_error", "Win $5 now,spam,", "Lunch today?,ham,", "Win $9 fast,spam,"),
                Files.readAllLines(tmp.resolve("out.csv")));
    }

    @Test
    void aBatchDryRunShowsTheFirstJsonlLineAndWrongCombinationsExitWith2() throws Exception {
        Exit dry = enrich("--batch-api", "--dry-run", "--batch", "2");
        assertEquals(0, dry.status(), dry.err());
        assertEquals(0, submissions.get());
        assertTrue(dry.out().contains("The first of the batch job's 2 JSONL lines, as uploaded (headers and the key are never in"
                + " it):\n{\"custom_id\":\"rows-0\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":"
                + "\"fake-model\""), dry.out());
        assertTrue(dry.out().contains("requests in the batch job's JSONL"), dry.out());

        Exit sample = enrich("--batch-api", "--sample", "2");
        assertEquals(2, sample.status());
        assertTrue(sample.err().contains("--batch-api labels the whole table in one job and --sample a few rows live: give one of"
                + " them (a sample first, then the rest with --resume --batch-api)"), sample.err());
        Exit poll = enrich("--poll-every", "5");
        assertEquals(2, poll.status());
        assertTrue(poll.err().contains("--poll-every and --cancel-batch go with --batch-api"), poll.err());
    }

    @Test
    void helpDocumentsTheExitStatusAndKeepFailed() {
        java.io.StringWriter out = new java.io.StringWriter();
        int status = Notebench.run(new String[] {"enrich", "--help"}, new java.io.PrintWriter(out), new java.io.PrintWriter(
                new java.io.StringWriter()));
        assertEquals(0, status);
        assertTrue(out.toString().contains("Exit status:\n  0  every row labelled\n  3  the job finished, but rows failed"),
                out.toString());
        assertTrue(out.toString().contains("--keep-failed"), out.toString());
    }
}
