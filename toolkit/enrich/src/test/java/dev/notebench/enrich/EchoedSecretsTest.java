package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.progress.Progress;
import dev.notebench.tables.CsvTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake that writes the request's Authorization header and its X-Api-Key header back in every kind
 * of answer (a 200 HTML page, 200 prose, 200 values, 401, 429, a 500 HTML page): neither secret
 * reaches the output, the journal, the response cache, the summary or an error message.
 */
class EchoedSecretsTest {
    static final String KEY = "sk-live-0123456789abcdef";
    static final String HEADER_SECRET = "hdr-9876543210-secret";
    static final String WEBHOOK = "https://hooks.slack.com/services/T0001/B0001/webhook0secret0token";

    @TempDir
    Path dir;

    private static String echo(FakeChatServer.Call c) {
        return "Authorization: " + c.authorization() + "; X-Api-Key: " + c.headers().getOrDefault("x-api-key", "");
    }

    static String completion(String content) {
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", content);
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        choice.add("message", message);
        choice.addProperty("finish_reason", "stop");
        JsonArray choices = new JsonArray();
        choices.add(choice);
        JsonObject root = new JsonObject();
        root.add("choices", choices);
        return root.toString();
    }

    private record Ran(EnrichJob.Outcome outcome, NotebenchException failure, Path out, Path cache) {
        /** Every text the job left: files, summary, error. */
        List<String> texts() throws IOException {
            List<String> texts = new ArrayList<>();
            for (Path p : List.of(out, EnrichJob.journalOf(out), cache, Path.of(cache + "-wal"))) {
                if (Files.exists(p)) {
                    texts.add(p + ": " + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            }
            if (outcome != null) {
                EnrichSummary s = outcome.result().summary();
                texts.add(s.toString());
                texts.add(s.overview().print());
                texts.add(s.failures().print(100));
                texts.add(outcome.result().table().print(100));
                texts.add(outcome.headline());
                outcome.failureAdvice().ifPresent(texts::add);
            }
            if (failure != null) {
                texts.add(failure.toString());
            }
            return texts;
        }
    }

    private Ran run(FakeChatServer.Script script, List<String> more) throws IOException {
        return run(script, more, dir.resolve("out-" + System.nanoTime() + ".csv"), 0);
    }

    private Ran run(FakeChatServer.Script script, List<String> more, Path out, int port) throws IOException {
        Path in = dir.resolve("in.csv");
        CsvTables.write(EnricherProtocolTest.table(4), in);
        Path cache = dir.resolve("responses.sqlite");
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).port(port).script(script).start()) {
            List<String> args = new ArrayList<>(List.of("--input", in.toString(), "--out", out.toString(), "--text", "subject",
                    "--base-url", server.baseUrl(), "--model", "fake-model", "--key-env", "MY_KEY", "--cache", cache.toString(),
                    "--header", "X-Api-Key=" + HEADER_SECRET, "--retries", "1", "--attempts", "2", "--workers", "1"));
            args.addAll(more);
            EnrichJob job = EnrichOptions.parse(args, "Label the rows.", Map.of("MY_KEY", KEY, "NOTEBENCH_WEBHOOK_URL", WEBHOOK), dir);
            Ran ran;
            try {
                ran = new Ran(job.run(Progress.NONE, getClass().getClassLoader()), null, out, cache);
            } catch (NotebenchException e) {
                ran = new Ran(null, e, out, cache);
            }
            assertEquals(server.requests() == 0 ? Set.of() : Set.of("Bearer " + KEY), server.authorizations(),
                    "the key was sent with every request, and the fake echoed it");
            return ran;
        }
    }

    private static void assertNoSecretIn(Ran ran) throws IOException {
        boolean redacted = false;
        for (String text : ran.texts()) {
            assertFalse(text.contains(KEY), "the key leaked into " + text);
            assertFalse(text.contains(HEADER_SECRET), "the header's value leaked into " + text);
            assertFalse(text.contains("webhook0secret0token"), "the webhook URL leaked into " + text);
            assertFalse(text.contains("0123456789abcdef"), "a part of the key leaked into " + text);
            redacted |= text.contains("[redacted]");
        }
        assertTrue(redacted, "the echo was seen, scrubbed: " + ran.texts());
    }

    private static final List<String> LABELS = List.of("--labels", "spam,question");

    @Test
    void anHtmlPageEchoingTheKeyWithStatus200FailsTheRowsWithTheKeyRedacted() throws IOException {
        Ran ran = run(c -> new FakeChatServer.Reply().raw(200, "text/html", "<html><body><h1>Proxy</h1><pre>" + echo(c)
                + "</pre><a href=\"" + WEBHOOK + "\">hook</a></body></html>"), LABELS);
        assertEquals(4, ran.outcome().result().summary().failed());
        assertEquals("failed after 2 attempts: the server's answer is not a chat completion: <html><body><h1>Proxy</h1><pre>"
                + "Authorization: Bearer [redacted]; X-Api-Key: [redacted]</pre><a href=\"[redacted]\">hook</a></body></html>",
                ran.outcome().result().table().getString(0, Enricher.ERROR_COLUMN));
        assertNoSecretIn(ran);
    }

    @Test
    void proseEchoingTheKeyInsteadOfJsonFailsTheRowsWithTheKeyRedacted() throws IOException {
        Ran ran = run(c -> new FakeChatServer.Reply().body(completion("I will not label rows sent with " + echo(c))), LABELS);
        assertEquals("failed after 2 attempts: the answer holds no JSON: I will not label rows sent with Authorization: Bearer"
                + " [redacted]; X-Api-Key: [redacted]", ran.outcome().result().table().getString(3, Enricher.ERROR_COLUMN));
        assertNoSecretIn(ran);
    }

    @Test
    void valuesEchoingTheKeyAreStoredAndCachedRedacted() throws IOException {
        Path schema = dir.resolve("schema.json");
        Files.writeString(schema, "{\"properties\": {\"note\": {\"type\": \"string\"}}}");
        Ran ran = run(c -> {
            FakeChatServer.Reply r = new FakeChatServer.Reply();
            for (Item i : c.rows()) {
                JsonObject row = new JsonObject();
                row.addProperty("id", i.id());
                row.addProperty("note", "sent with " + echo(c));
                r.replace(i.id(), row);
            }
            return r;
        }, List.of("--schema", schema.toString()));
        assertEquals(4, ran.outcome().result().summary().labelled());
        assertEquals("sent with Authorization: Bearer [redacted]; X-Api-Key: [redacted]",
                CsvTables.read(ran.out()).getString(2, "note"));
        assertTrue(Files.exists(ran.cache()));
        assertNoSecretIn(ran);
    }

    @Test
    void a401EchoingTheKeyStopsTheJobWithTheKeyRedacted() throws IOException {
        Ran ran = run(c -> new FakeChatServer.Reply().raw(401, "application/json", "{\"error\":{\"message\":\"Incorrect API key"
                + " provided: " + c.authorization() + "\"}}"), LABELS);
        assertEquals(ErrorCode.CONFIG_INVALID, ran.failure().code());
        assertTrue(ran.failure().getMessage().contains("refused the key (401: Incorrect API key provided: Bearer [redacted]);"
                + " check the key in $MY_KEY"), ran.failure().getMessage());
        assertNoSecretIn(ran);
    }

    @Test
    void a429EchoingTheKeyAfterRetriesStopsTheJobWithTheKeyRedacted() throws IOException {
        Ran ran = run(c -> new FakeChatServer.Reply().raw(429, "application/json", "{\"error\":{\"message\":\"slow down, "
                + echo(c) + "\"}}").retryAfter("0"), LABELS);
        assertEquals(ErrorCode.PROVIDER_FAILED, ran.failure().code());
        assertTrue(ran.failure().getMessage().contains("kept failing (429: slow down, Authorization: Bearer [redacted]; X-Api-Key:"
                + " [redacted]) after retries"), ran.failure().getMessage());
        assertNoSecretIn(ran);
    }

    @Test
    void a500HtmlPageEchoingTheKeyStopsTheJobWithTheKeyRedacted() throws IOException {
        Ran ran = run(c -> new FakeChatServer.Reply().raw(500, "text/html; charset=utf-8", "<html><body>Internal error while"
                + " handling<br>" + echo(c) + "</body></html>"), LABELS);
        assertEquals(ErrorCode.PROVIDER_FAILED, ran.failure().code());
        assertTrue(ran.failure().getMessage().contains("kept failing (500: <html><body>Internal error while handling<br>Authorization:"
                + " Bearer [redacted]; X-Api-Key: [redacted]</body></html>) after retries"), ran.failure().getMessage());
        assertNoSecretIn(ran);
    }

    @Test
    void reasonsAJournalOfAnEarlierVersionKeptWithTheKeyAreShownRedacted() throws IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path out = dir.resolve("kept.csv");
        run(c -> new FakeChatServer.Reply().raw(200, "text/html", "<html>down</html>"), LABELS, out, port);
        Files.writeString(EnrichJob.journalOf(out), "{\"failed\":[[1,\"failed: the server said Bearer " + KEY + "\"]]}\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Ran kept = run(c -> {
            throw new AssertionError("failed rows are kept: nothing to ask");
        }, List.of("--labels", "spam,question", "--resume", "--keep-failed"), out, port);
        assertEquals("failed: the server said Bearer [redacted]", kept.outcome().result().table().getString(1, Enricher.ERROR_COLUMN));
        for (Path p : List.of(out, kept.cache())) {
            assertFalse(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(KEY), p + " holds the key");
        }
        assertFalse(kept.outcome().result().summary().failures().print(100).contains(KEY));
    }
}
