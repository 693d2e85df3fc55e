package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * {@code --batch-api} against a fake batch API in front of the chat fake: the same requests as a
 * live run in one JSONL job, polled with an injected sleeper (nothing sleeps), its id journalled so
 * that a second process collects it instead of submitting another, and every failed request,
 * expired request or unreadable output line a failed row with its reason.
 */
class BatchApiTest {
    private static final String KEY = "sk-batch-0123456789abcdef";

    @TempDir
    Path dir;

    private final List<Duration> waits = new ArrayList<>();

    private OpenAiChatAnnotator client(FakeBatchServer batches) {
        return OpenAiChatAnnotator.builder("fake-model").baseUrl(batches.baseUrl()).apiKeyEnv("MY_KEY")
                .environment(Map.of("MY_KEY", KEY)).retries(3, Duration.ofMillis(1)).build();
    }

    private Enricher.Builder job(Annotator llm, Path journal, boolean resume) {
        return Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(10).journal(journal, resume)
                .batchApi(Duration.ofSeconds(30), false, waits::add);
    }

    /** Labels {@code rows} rows of the protocol test's table through a batch job, journalled in a fresh journal. */
    private EnrichResult label(Annotator llm, int rows) {
        return job(llm, dir.resolve("j.jsonl"), false).build().run(EnricherProtocolTest.table(rows), RowText.columns("subject"));
    }

    @Test
    void wholeTableIsLabelledThroughOneBatchJobOfTheLiveRequests() throws IOException {
        try (FakeChatServer chat = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             FakeBatchServer batches = new FakeBatchServer(chat);
             OpenAiChatAnnotator llm = client(batches)) {
            Table table = EnricherProtocolTest.table(25);
            List<String> notes = new ArrayList<>();
            EnrichResult r = job(llm, dir.resolve("j.jsonl"), false).prices(new Prices(1.0, 2.0)).progress(notesTo(notes)).build()
                    .run(table, RowText.columns("subject"));
            assertEquals(List.of("submitted the batch job batch_0: 3 requests", "batch batch_0 in_progress: 0 of 3 requests done, 0 failed",
                    "batch batch_0 finalizing: 0 of 3 requests done, 0 failed", "batch batch_0 completed: 3 of 3 requests done, 0 failed"),
                    notes);
            assertEquals(1, batches.uploads.get());
            assertEquals(1, batches.submissions.get());
            assertEquals(3, chat.requests());
            List<String> lines = batches.lines();
            assertEquals(3, lines.size());
            JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
            assertEquals(List.of("custom_id", "method", "url", "body"), List.copyOf(first.keySet()));
            assertEquals("rows-0", first.get("custom_id").getAsString());
            assertEquals("POST", first.get("method").getAsString());
            assertEquals("/v1/chat/completions", first.get("url").getAsString());
            List<Item> firstRows = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                firstRows.add(new Item(i, table.getString(i, "subject")));
            }
            assertEquals(JsonParser.parseString(OpenAiChatAnnotator.requestBody("fake-model", 0, 0, false, new AnnotationRequest(
                    firstRows, EnricherProtocolTest.SCHEMA, "", List.of()), OpenAiChatAnnotator.Format.JSON_SCHEMA)),
                    first.get("body"));
            for (int row = 0; row < 25; row++) {
                String s = r.table().getString(row, "subject");
                assertEquals(s.contains("$"), r.table().booleanColumn("spam").get(row));
                assertEquals(s.endsWith("?"), r.table().booleanColumn("question").get(row));
                assertEquals("", r.table().getString(row, Enricher.ERROR_COLUMN));
            }
            EnrichSummary s = r.summary();
            assertEquals(List.of("batch_0"), s.batchJobs());
            assertEquals(25, s.labelled());
            assertEquals(3, s.calls());
            assertEquals(3 * 50 + 10 * 25, s.tokensIn());
            assertEquals(3 * 5 + 6 * 25, s.tokensOut());
            assertEquals((400 * 1.0 + 165 * 2.0) / 1e6, s.cost().getAsDouble(), 1e-15);
            assertTrue(s.toString().startsWith("batch batch_0: 25 rows: 25 labelled"), s.toString());
            // created validating; polled: in_progress, finalizing, completed; waits 5 s then doubling
            assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(10)), waits);
        }
    }

    /** Progress that keeps its notes (the batch job's status lines) and shows nothing. */
    private static dev.notebench.progress.Progress notesTo(List<String> notes) {
        return (dev.notebench.progress.Progress) java.lang.reflect.Proxy.newProxyInstance(BatchApiTest.class.getClassLoader(),
                new Class<?>[] {dev.notebench.progress.Progress.class}, (proxy, method, args) -> {
                    if (method.getName().equals("note")) {
                        notes.add((String) args[0]);
                    }
                    return null;
                });
    }

    @Test
    void twoRunsInSequenceSubmitOneJob() throws IOException {
        Path journal = dir.resolve("j.jsonl");
        try (FakeChatServer chat = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             FakeBatchServer batches = new FakeBatchServer(chat);
             OpenAiChatAnnotator llm = client(batches)) {
            job(llm, journal, false).build().run(EnricherProtocolTest.table(12), RowText.columns("subject"));
            EnrichResult again = job(llm, journal, true).build().run(EnricherProtocolTest.table(12), RowText.columns("subject"));
            assertEquals(1, batches.submissions.get());
            assertEquals(12, again.summary().resumed());
            assertEquals(List.of(), again.summary().batchJobs());
        }
    }

    @Test
    void processLostBetweenSubmitAndCollectIsCollectedByTheResumedRun() throws IOException {
        Path journal = dir.resolve("j.jsonl");
        try (FakeChatServer chat = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             FakeBatchServer batches = new FakeBatchServer(chat)) {
            try (OpenAiChatAnnotator first = client(batches)) {
                NotebenchException stopped = assertThrows(NotebenchException.class, () -> job(first, journal, false)
                        .stopWhen(() -> batches.submissions.get() > 0).build().run(EnricherProtocolTest.table(12), RowText.columns("subject")));
                assertEquals(ErrorCode.CANCELLED, stopped.code());
                assertEquals("stopped waiting for the batch job batch_0 in_progress: 0 of 2 requests done, 0 failed; it keeps"
                        + " running at the provider and its id is journalled in " + journal + ": run the same command with --resume"
                        + " to collect it (nothing is submitted twice), with --cancel-batch to cancel it when stopped",
                        stopped.getMessage());
            }
            assertEquals(0, chat.requests());
            try (OpenAiChatAnnotator second = client(batches)) {
                EnrichResult r = job(second, journal, true).build().run(EnricherProtocolTest.table(12), RowText.columns("subject"));
                assertEquals(1, batches.submissions.get());
                assertEquals(12, r.summary().labelled());
                assertEquals(List.of("batch_0"), r.summary().batchJobs());
            }
            String text = Files.readString(journal, StandardCharsets.UTF_8);
            assertTrue(text.contains("{\"batch\":{\"id\":\"batch_0\",\"input_file_id\":\"file-0\",\"requests\":{\"rows-0\":[0,1,2,3,4,5,6,7,8,9],"
                    + "\"rows-1\":[10,11]}}}\n"), text);
            assertTrue(text.endsWith("{\"batch_collected\":\"batch_0\"}\n"), text);
        }
    }

    @Test
    void stopWithCancelCancelsTheJobAndFailsItsRows() throws IOException {
        try (FakeChatServer chat = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             FakeBatchServer batches = new FakeBatchServer(chat);
             OpenAiChatAnnotator llm = client(batches)) {
            EnrichResult r = Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(10)
                    .batchApi(Duration.ofSeconds(30), true, waits::add).stopWhen(() -> batches.submissions.get() > 0).build()
                    .run(EnricherProtocolTest.table(3), RowText.columns("subject"));
            assertEquals(1, batches.cancels.get());
            assertEquals(0, chat.requests());
            assertEquals(3, r.summary().failed());
            assertEquals("the batch job batch_0 ended cancelled without an answer to this row's request (rows-0)",
                    r.table().getString(0, Enricher.ERROR_COLUMN));
        }
    }

    @Test
    void failedRequestsErrorAnswersAndGarbageLinesFailTheirRowsWithReasonsAndResumeAsksThemInAFollowUpJob() throws IOException {
        Path journal = dir.resolve("j.jsonl");
        java.util.concurrent.atomic.AtomicBoolean healthy = new java.util.concurrent.atomic.AtomicBoolean();
        try (FakeChatServer chat = FakeChatServer.builder(EnricherProtocolTest::truth).script(c -> healthy.get()
                        ? new FakeChatServer.Reply() : c.rows().get(0).id() == 20
                        ? new FakeChatServer.Reply().status(500, "the model crashed") : c.rows().get(0).id() == 30
                        ? new FakeChatServer.Reply().drop(31) : new FakeChatServer.Reply()).start();
             FakeBatchServer batches = new FakeBatchServer(chat).failRequests("rows-0").garbageFor("rows-1")) {
            EnrichResult r;
            try (OpenAiChatAnnotator llm = client(batches)) {
                r = job(llm, journal, false).build().run(EnricherProtocolTest.table(35), RowText.columns("subject"));
            }
            Table t = r.table();
            assertEquals("the batch request rows-0 failed (invalid_request: the model is overloaded)",
                    t.getString(0, Enricher.ERROR_COLUMN));
            assertEquals("the batch job batch_0 has no readable answer to this row's request (rows-1): 1 line of its output were not"
                    + " JSON (line 1 of file-1: {\"custom_id\": \"rows-1\", \"response\": {\"status_co)", t.getString(10, Enricher.ERROR_COLUMN));
            assertEquals("the batch request rows-2 failed (500: the model crashed)", t.getString(20, Enricher.ERROR_COLUMN));
            assertEquals("in the batch answer to rows-3: missing from the answer", t.getString(31, Enricher.ERROR_COLUMN));
            assertEquals("", t.getString(30, Enricher.ERROR_COLUMN));
            assertEquals(4, r.summary().labelled());
            assertEquals(31, r.summary().failed());
            healthy.set(true);
            batches.heal();
            try (OpenAiChatAnnotator llm = client(batches)) {
                EnrichResult again = job(llm, journal, true).build().run(EnricherProtocolTest.table(35), RowText.columns("subject"));
                assertEquals(2, batches.submissions.get());
                assertEquals(4 + 4, batches.lines().size()); // then rows 0-9, 10-19, 20-29 and 31 again, in the run's packing
                assertEquals(List.of("batch_1"), again.summary().batchJobs());
                assertEquals(35, again.summary().labelled());
                assertEquals(31, again.summary().failedBefore());
            }
        }
    }

    /** A test on the chat fake of the protocol tests behind a batch fake with faults. */
    private interface OnFakes {
        void run(FakeChatServer chat, FakeBatchServer batches, OpenAiChatAnnotator llm) throws IOException;
    }

    private void onFakes(java.util.function.UnaryOperator<FakeBatchServer> faults, OnFakes test) throws IOException {
        try (FakeChatServer chat = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             FakeBatchServer batches = faults.apply(new FakeBatchServer(chat));
             OpenAiChatAnnotator llm = client(batches)) {
            test.run(chat, batches, llm);
        }
    }

    @Test
    void expiredJobKeepsTheAnsweredRequestsAndFailsTheOthers() throws IOException {
        onFakes(b -> b.expireAfter(1), (chat, batches, llm) -> {
            EnrichResult r = label(llm, 15);
            assertEquals(10, r.summary().labelled());
            assertEquals("the batch request rows-1 failed (batch_expired: This request could not be executed before the completion"
                    + " window expired.)", r.table().getString(14, Enricher.ERROR_COLUMN));
        });
    }

    @Test
    void jobThatFailsValidationFailsEveryRowWithTheJobsErrors() throws IOException {
        onFakes(FakeBatchServer::failValidation, (chat, batches, llm) -> {
            EnrichResult r = label(llm, 12);
            assertEquals(12, r.summary().failed());
            assertEquals(0, chat.requests());
            assertEquals("the batch job batch_0 ended failed without an answer to this row's request (rows-1): invalid_json_line:"
                    + " This line is not parseable as valid JSON.", r.table().getString(11, Enricher.ERROR_COLUMN));
        });
    }

    @Test
    void uploadAnswered503IsRetried() throws IOException {
        onFakes(b -> b.failUploads(2), (chat, batches, llm) -> {
            EnrichResult r = label(llm, 5);
            assertEquals(3, batches.uploadAttempts.get());
            assertEquals(1, batches.uploads.get());
            assertEquals(5, r.summary().labelled());
            assertEquals(2, r.summary().retries());
        });
    }

    @Test
    void echoedKeyReachesNeitherTheJsonlNorTheJournalNorTheReasons() throws IOException {
        Path journal = dir.resolve("j.jsonl");
        try (FakeChatServer chat = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             FakeBatchServer batches = new FakeBatchServer(chat).failRequests("rows-0").echoAuthorization();
             OpenAiChatAnnotator llm = client(batches)) {
            EnrichResult r = job(llm, journal, false).build().run(EnricherProtocolTest.table(13), RowText.columns("subject"));
            assertEquals(Set.of("Bearer " + KEY), chat.authorizations());
            assertEquals("the batch request rows-0 failed (invalid_request: the model is overloaded (you sent Bearer [redacted]))",
                    r.table().getString(0, Enricher.ERROR_COLUMN));
            assertFalse(String.join("\n", batches.lines()).contains(KEY));
            assertFalse(Files.readString(journal, StandardCharsets.UTF_8).contains(KEY));
            assertFalse(r.summary().failures().print(100).contains(KEY));
        }
    }

    @Test
    void annotatorWithoutABatchApiIsRefusedBeforeAnyCall() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> Enricher.builder(new EnricherProtocolTest.Unused(),
                EnricherProtocolTest.SCHEMA)
                .batchApi(Duration.ofSeconds(30), false, waits::add).build().run(EnricherProtocolTest.table(3), RowText.columns("subject")));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("--batch-api sends the rows to a server's batch API, and unused has none: nothing to batch; leave out --batch-api",
                e.getMessage());
    }

    @Test
    void batchApiWithTheLocalLabelerIsRefusedAndADryRunShowsTheFirstJsonlLine() throws IOException {
        Path in = Files.writeString(dir.resolve("in.csv"), "subject\nWin $5\nLunch?\nRe: patch\n");
        List<String> common = List.of("--input", in.toString(), "--text", "subject", "--labels", "spam,ham", "--out",
                dir.resolve("out.csv").toString(), "--batch-api");
        NotebenchException local = assertThrows(NotebenchException.class, () -> EnrichOptions.parse(common, "", Map.of(), dir));
        assertEquals("--batch-api sends the rows to a server's batch API (--provider openai with --base-url and --model); the local"
                + " labeler runs here: nothing to batch, leave out --batch-api", local.getMessage());
        List<String> dry = new ArrayList<>(common);
        dry.addAll(List.of("--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--batch", "2", "--dry-run", "--no-cache"));
        CostEstimate e = EnrichOptions.parse(dry, "Spam?", Map.of(), dir).estimate();
        assertTrue(e.batchJob());
        assertEquals(2, e.calls());
        JsonObject first = JsonParser.parseString(e.firstRequest()).getAsJsonObject();
        assertEquals("rows-0", first.get("custom_id").getAsString());
        assertEquals("/v1/chat/completions", first.get("url").getAsString());
        assertEquals("m", first.getAsJsonObject("body").get("model").getAsString());
        assertEquals("requests in the batch job's JSONL", e.overview().stringColumn("measure").get(2));
        assertEquals("openai: m (batch API)", e.overview().stringColumn("value").get(0));
    }

    @Test
    void serverWithoutABatchApiIsNamedAsSuch() throws IOException {
        try (FakeChatServer chat = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             OpenAiChatAnnotator llm = OpenAiChatAnnotator.builder("fake-model").baseUrl(chat.baseUrl()).apiKeyEnv(null)
                     .retries(0, Duration.ofMillis(1)).build()) {
            NotebenchException e = assertThrows(NotebenchException.class, () -> job(llm, dir.resolve("j.jsonl"), false).build()
                    .run(EnricherProtocolTest.table(3), RowText.columns("subject")));
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
            assertTrue(e.getMessage().startsWith(chat.baseUrl() + "/files answered 404 ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("): this server has no batch API; leave out --batch-api to ask it live"), e.getMessage());
            assertEquals(0, chat.requests());
        }
    }
}
