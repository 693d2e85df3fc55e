package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tables.CsvTables;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The enrichment protocol against a fake OpenAI-compatible server on loopback. */
class EnricherProtocolTest {
    static final OutputSchema SCHEMA = OutputSchema.multiLabel(List.of("spam", "question"));

    @TempDir
    Path dir;

    /** What the fake answers: spam when the text mentions money, question when it ends with '?'. */
    static JsonObject truth(Item row) {
        JsonObject o = new JsonObject();
        o.addProperty("spam", row.text().contains("$"));
        o.addProperty("question", row.text().endsWith("?"));
        return o;
    }

    static Table table(int rows) {
        StringColumn subject = StringColumn.create("subject");
        for (int i = 0; i < rows; i++) {
            subject.append(switch (i % 3) {
                case 0 -> "Win $" + (i * 100) + " now";
                case 1 -> "Meeting moved to room " + i + "?";
                default -> "Re: patch " + i;
            });
        }
        return Table.create("mail", subject);
    }

    private OpenAiChatAnnotator.Builder client(FakeChatServer server) {
        return OpenAiChatAnnotator.builder("fake-model").baseUrl(server.baseUrl()).apiKeyEnv(null).workers(4)
                .retries(4, Duration.ofMillis(5));
    }

    private static void assertLabelledAsTheTruth(Table t) {
        for (int r = 0; r < t.rowCount(); r++) {
            String s = t.getString(r, "subject");
            assertEquals(s.contains("$"), t.booleanColumn("spam").get(r), "row " + r);
            assertEquals(s.endsWith("?"), t.booleanColumn("question").get(r), "row " + r);
            assertEquals("", t.getString(r, Enricher.ERROR_COLUMN), "row " + r);
        }
    }

    @Test
    void rowsArePackedIntoBatchesAndEveryRowIsLabelled() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).batchSize(10).workers(4).prices(new Prices(1.0, 2.0)).build()
                    .run(table(25), RowText.columns("subject"));
            assertLabelledAsTheTruth(r.table());
            assertEquals(List.of("subject", "spam", "question", Enricher.ERROR_COLUMN), r.table().columnNames());
            EnrichSummary s = r.summary();
            assertEquals(3, server.requests());
            assertEquals(List.of(10, 10, 5), server.calls().stream().map(c -> c.rows().size()).sorted((a, b) -> b - a).toList());
            assertEquals(25, s.labelled());
            assertEquals(0, s.failed());
            assertEquals(3, s.calls());
            assertEquals(3 * 50 + 10 * 25, s.tokensIn());
            assertEquals(3 * 5 + 6 * 25, s.tokensOut());
            assertEquals((400 * 1.0 + 165 * 2.0) / 1e6, s.cost().getAsDouble(), 1e-15);
            assertEquals("json_schema", server.calls().get(0).format());
            assertEquals(List.of("spam", "question"), s.labels().stringColumn("label").asList());
            assertEquals(List.of(9, 8), s.labels().intColumn("rows").asList()); // rows 0,3,..,24 have '$'; 1,4,..,22 end in '?'
        }
    }

    @Test
    void aServerWithoutJsonSchemaGetsJsonObjectInstead() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).refuseJsonSchema().start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).workers(1).build().run(table(12), RowText.columns("subject"));
            assertLabelledAsTheTruth(r.table());
            assertEquals(OpenAiChatAnnotator.Format.JSON_OBJECT, llm.format());
            assertEquals(List.of("json_object", "json_object"), server.calls().stream().map(FakeChatServer.Call::format).toList());
            assertEquals(3, server.requests()); // the refused one, then two batches
        }
    }

    @Test
    void plainTextAnswersInFencesAfterProseAreRead() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth)
                .script(c -> new FakeChatServer.Reply().fencedWithProse()).start();
             OpenAiChatAnnotator llm = client(server).format(OpenAiChatAnnotator.Format.TEXT).build()) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).build().run(table(7), RowText.columns("subject"));
            assertLabelledAsTheTruth(r.table());
            assertEquals("text", server.calls().get(0).format());
            assertTrue(server.calls().get(0).body().getAsJsonArray("messages").get(0).getAsJsonObject().get("content").getAsString()
                    .contains("Reply with JSON only"));
        }
    }

    @Test
    void missingRepeatedAndInvalidRowsAreAskedAgainAndExtraIdsIgnored() throws IOException {
        JsonObject invalid = new JsonObject();
        invalid.addProperty("id", 5);
        invalid.addProperty("spam", "maybe");
        invalid.addProperty("question", false);
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth)
                .script(c -> c.number() == 0 ? new FakeChatServer.Reply().drop(3).repeat(4).extra(999).replace(5, invalid)
                        : new FakeChatServer.Reply()).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).batchSize(10).workers(1).build().run(table(10), RowText.columns("subject"));
            assertLabelledAsTheTruth(r.table());
            assertEquals(3, r.summary().reasked());
            assertEquals(List.of(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(3, 4, 5)),
                    server.calls().stream().map(c -> c.rows().stream().map(Item::id).toList()).toList());
            assertEquals(2, server.asks(3));
            assertEquals(1, server.asks(0));
        }
    }

    @Test
    void aRowThatKeepsFailingIsAskedInASmallerBatchThenAloneThenMarkedFailedWithTheReason() throws IOException {
        JsonObject invalid = new JsonObject();
        invalid.addProperty("id", 7);
        invalid.addProperty("spam", 3);
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth)
                .script(c -> new FakeChatServer.Reply().replace(7, invalid).drop(c.number() == 0 ? 2 : -1)).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).batchSize(10).workers(2).maxAttempts(3).build()
                    .run(table(10), RowText.columns("subject"));
            List<Integer> sizes = server.calls().stream().filter(c -> c.rows().stream().anyMatch(i -> i.id() == 7))
                    .map(c -> c.rows().size()).toList();
            assertEquals(List.of(10, 2, 1), sizes); // with row 2 (missing once), then alone
            assertEquals(2, server.asks(2));
            assertEquals(1, r.summary().failed());
            assertEquals(9, r.summary().labelled());
            assertEquals("failed after 3 attempts: field 'spam' is '3', not a boolean", r.table().getString(7, Enricher.ERROR_COLUMN));
            assertTrue(r.table().booleanColumn("spam").isMissing(7));
            assertEquals("failed after 3 attempts: field 'spam' is '3', not a boolean",
                    r.summary().failures().getString(0, "reason"));
            assertEquals("7", r.summary().failures().getString(0, "row"));
        }
    }

    @Test
    void aGarbageBodyOrACutOffAnswerIsRepairedByAskingAgain() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth)
                .script(c -> switch (c.number()) {
                    case 0 -> new FakeChatServer.Reply().body("<html>502 Bad Gateway</html>");
                    case 1 -> new FakeChatServer.Reply().truncate(80); // {"0":{"spam":true,"question":false},"1":{...},"2":{"sp
                    default -> new FakeChatServer.Reply();
                }).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).batchSize(8).workers(1).build().run(table(8), RowText.columns("subject"));
            assertLabelledAsTheTruth(r.table());
            List<List<Integer>> asked = server.calls().stream().map(c -> c.rows().stream().map(Item::id).toList()).toList();
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), asked.get(0));
            assertEquals(List.of(0, 1, 2, 3), asked.get(1)); // the first half; its answer is cut off after two rows
            assertTrue(r.summary().reasked() >= 8 + 2, "re-asked: " + r.summary().reasked());
        }
    }

    @Test
    void throttlingServerErrorsAndTimeoutsAreRetried() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth)
                .script(c -> switch (c.number()) {
                    case 0 -> new FakeChatServer.Reply().status(429, "rate limited").retryAfter("0.01");
                    case 1 -> new FakeChatServer.Reply().status(500, "boom");
                    case 2 -> new FakeChatServer.Reply().delay(4000);
                    default -> new FakeChatServer.Reply();
                }).start();
             OpenAiChatAnnotator llm = client(server).timeout(Duration.ofMillis(1500)).build()) { // a loaded machine answers well within it
            EnrichResult r = Enricher.builder(llm, SCHEMA).workers(1).build().run(table(5), RowText.columns("subject"));
            assertLabelledAsTheTruth(r.table());
            assertEquals(1, r.summary().throttled());
            assertEquals(3, r.summary().retries());
            assertEquals(4, r.summary().httpAttempts());
            assertEquals(1, r.summary().calls());
        }
    }

    @Test
    void concurrencyDropsUnder429AndRecoversWhenTheServerAllowsMore() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).concurrencyLimit(2, "0.02").limitUntil(60)
                .script(c -> new FakeChatServer.Reply().delay(15)).start();
             OpenAiChatAnnotator llm = client(server).workers(6).retries(50, Duration.ofMillis(5)).build()) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).batchSize(1).workers(6).build().run(table(300), RowText.columns("subject"));
            assertLabelledAsTheTruth(r.table());
            assertTrue(server.throttled() >= 1);
            assertTrue(llm.limiter().decreases() >= 1, "429s lowered the limit");
            assertEquals(6, llm.limiter().limit(), "after the limit was lifted, the limit climbed back: " + llm.limiter());
            assertEquals(server.throttled(), r.summary().throttled());
        }
    }

    @Test
    void aRerunIsAnsweredFromTheResponseCacheWithoutCalls() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             ResponseCache cache = ResponseCache.open(dir.resolve("responses.sqlite"));
             OpenAiChatAnnotator llm = client(server).cache(cache).build()) {
            Enricher job = Enricher.builder(llm, SCHEMA).batchSize(10).build();
            EnrichResult first = job.run(table(25), RowText.columns("subject"));
            EnrichResult second = job.run(table(25), RowText.columns("subject"));
            assertEquals(3, server.requests());
            assertEquals(3, cache.size());
            assertEquals(0, second.summary().calls());
            assertEquals(3, second.summary().cachedAnswers());
            assertEquals(0, second.summary().tokensIn());
            assertEquals(first.table().print(100), second.table().print(100));
        }
    }

    @Test
    void aStoppedJobResumesFromItsJournalAskingNoRowTwice() throws IOException {
        Path journal = dir.resolve("out.csv.journal.jsonl");
        Path out = dir.resolve("out.csv");
        Table uninterrupted;
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // the same server address for every run: it is part of the job
        }
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).port(port).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            uninterrupted = Enricher.builder(llm, SCHEMA).batchSize(4).build().run(table(30), RowText.columns("subject")).table();
        }
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).port(port)
                .script(c -> c.number() >= 3 ? new FakeChatServer.Reply().status(401, "invalid key") : new FakeChatServer.Reply())
                .start();
             OpenAiChatAnnotator llm = client(server).build()) {
            NotebenchException e = assertThrows(NotebenchException.class, () -> Enricher.builder(llm, SCHEMA).batchSize(4).workers(1)
                    .journal(journal, false).output(out).build().run(table(30), RowText.columns("subject")));
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
            assertEquals(12, CsvTables.read(out).stringColumn(Enricher.ERROR_COLUMN).isEqualTo("").size(),
                    "the partial output holds the 12 rows answered before the failure");
        }
        NotebenchException exists = assertThrows(NotebenchException.class, () -> Enricher.builder(new Unused(), SCHEMA)
                .journal(journal, false).build().run(table(30), RowText.columns("subject")));
        assertTrue(exists.getMessage().contains("resume it (--resume"), exists.getMessage());
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).port(port).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).batchSize(4).journal(journal, true).output(out).build()
                    .run(table(30), RowText.columns("subject"));
            assertEquals(12, r.summary().resumed());
            for (int id = 0; id < 12; id++) {
                assertEquals(0, server.asks(id), "row " + id + " was journalled and must not be asked again");
            }
            for (int id = 12; id < 30; id++) {
                assertEquals(1, server.asks(id));
            }
            assertEquals(uninterrupted.print(100), r.table().print(100));
            assertEquals(uninterrupted.print(100), readBack(out).setName("mail").print(100));
        }
    }

    @Test
    void theOutputIsSavedWhileTheJobRuns() throws IOException {
        Path out = dir.resolve("partial.csv");
        java.util.concurrent.atomic.AtomicInteger doneWhenSeen = new java.util.concurrent.atomic.AtomicInteger(-1);
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).script(c -> {
                    if (c.number() == 8 && Files.exists(out)) {
                        doneWhenSeen.set(CsvTables.read(out).stringColumn(Enricher.ERROR_COLUMN).isEqualTo("").size());
                    }
                    return new FakeChatServer.Reply();
                }).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            // a second passes between any two readings of the clock: a save is due whenever rows are settled
            Enricher.builder(llm, SCHEMA).batchSize(2).workers(1).output(out, Duration.ofMillis(100)).clock(new SteppingClock(1000))
                    .build()
                    .run(table(20), RowText.columns("subject"));
            assertTrue(doneWhenSeen.get() >= 2 && doneWhenSeen.get() < 20, "a partial output while running: "
                    + doneWhenSeen.get() + " rows done in it");
            assertEquals(20, CsvTables.read(out).stringColumn(Enricher.ERROR_COLUMN).isEqualTo("").size());
        }
    }

    @Test
    void aJournalOfAnotherJobIsNotResumed() throws IOException {
        Path journal = dir.resolve("j.jsonl");
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            Enricher.builder(llm, SCHEMA).journal(journal, false).build().run(table(5), RowText.columns("subject"));
            NotebenchException e = assertThrows(NotebenchException.class, () -> Enricher.builder(llm, SCHEMA)
                    .instructions("Other instructions").journal(journal, true).build().run(table(5), RowText.columns("subject")));
            assertTrue(e.getMessage().contains("belongs to another job"), e.getMessage());
        }
    }

    @Test
    void aRefusedKeyStopsTheJobWithAMessageNamingTheVariableButNotTheKey() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth)
                .script(c -> new FakeChatServer.Reply().status(401, "Incorrect API key provided")).start();
             OpenAiChatAnnotator llm = OpenAiChatAnnotator.builder("m").baseUrl(server.baseUrl()).apiKeyEnv("MY_KEY")
                     .environment(Map.of("MY_KEY", "sk-very-secret")).build()) {
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> Enricher.builder(llm, SCHEMA).build().run(table(3), RowText.columns("subject")));
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
            assertTrue(e.getMessage().contains("check the key in $MY_KEY"), e.getMessage());
            assertFalse(e.getMessage().contains("sk-very-secret"));
            assertFalse(llm.toString().contains("sk-very-secret"));
            assertEquals(1, server.requests());
        }
    }

    @Test
    void theKeyIsSentButNeverWrittenToTheJournalTheOutputTheCacheOrTheSummary() throws IOException {
        String key = "sk-live-0123456789abcdef";
        Path out = dir.resolve("labelled.csv");
        Path cache = dir.resolve("responses.sqlite");
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).start()) {
            CsvTables.write(table(12), dir.resolve("in.csv"));
            EnrichJob job = EnrichOptions.parse(List.of("--input", dir.resolve("in.csv").toString(), "--out", out.toString(),
                    "--text", "subject", "--labels", "spam,question", "--base-url", server.baseUrl(), "--model", "fake-model",
                    "--key-env", "MY_KEY", "--cache", cache.toString(), "--batch", "5"), "Label the rows.",
                    Map.of("MY_KEY", key), dir);
            EnrichJob.Outcome o = job.run(dev.notebench.progress.Progress.NONE, getClass().getClassLoader());
            assertEquals(Set.of("Bearer " + key), server.authorizations());
            assertEquals(12, o.result().summary().labelled());
            for (Path p : List.of(out, o.journal(), cache, Path.of(cache + "-wal"))) {
                if (Files.exists(p)) {
                    assertFalse(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1).contains(key),
                            p + " holds the key");
                }
            }
            assertFalse(o.result().summary().overview().print().contains(key));
            assertFalse(o.result().summary().toString().contains(key));
        }
    }

    @Test
    void anUnreachableServerIsOneClearError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (OpenAiChatAnnotator llm = OpenAiChatAnnotator.builder("m").baseUrl("http://127.0.0.1:" + port + "/v1").apiKeyEnv(null)
                .retries(1, Duration.ofMillis(1)).build()) {
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> Enricher.builder(llm, SCHEMA).build().run(table(3), RowText.columns("subject")));
            assertEquals(ErrorCode.PROVIDER_FAILED, e.code());
            assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:" + port + "/v1/chat/completions"), e.getMessage());
        }
    }

    @Test
    void badTablesAreRefusedBeforeAnyCall() {
        Unused none = new Unused();
        Enricher job = Enricher.builder(none, SCHEMA).build();
        NotebenchException missing = assertThrows(NotebenchException.class, () -> job.run(table(3), RowText.columns("body")));
        assertEquals("the table mail has no column 'body'; its columns are [subject]", missing.getMessage());
        NotebenchException empty = assertThrows(NotebenchException.class, () -> job.run(table(0), RowText.columns("subject")));
        assertEquals("the table mail has no rows; nothing to enrich", empty.getMessage());
        Table clash = table(2);
        clash.addColumns(StringColumn.create("spam", List.of("a", "b")));
        NotebenchException taken = assertThrows(NotebenchException.class, () -> job.run(clash, RowText.columns("subject")));
        assertTrue(taken.getMessage().startsWith("the table already has a column 'spam'"), taken.getMessage());
    }

    static Table readBack(Path csv) {
        Table t = CsvTables.read(csv);
        Table typed = Table.create(t.name(), t.stringColumn("subject"));
        for (String label : List.of("spam", "question")) {
            tech.tablesaw.api.BooleanColumn b = tech.tablesaw.api.BooleanColumn.create(label);
            t.stringColumn(label).forEach(v -> b.append(Boolean.parseBoolean(v)));
            typed.addColumns(b);
        }
        typed.addColumns(t.stringColumn(Enricher.ERROR_COLUMN));
        return typed;
    }

    /** An annotator that must not be called. */
    static final class Unused implements Annotator {
        @Override
        public String id() {
            return "unused";
        }

        @Override
        public Answer annotate(AnnotationRequest request) {
            throw new AssertionError("no call expected");
        }
    }

    static List<Integer> ids(List<Item> items) {
        List<Integer> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.id()));
        return ids;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
