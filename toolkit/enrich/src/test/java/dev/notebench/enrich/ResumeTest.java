package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** What --resume does with the rows an earlier run failed, and with a journal that does not fit the job. */
class ResumeTest {
    static final OutputSchema SINGLE = OutputSchema.singleLabel("predicted", List.of("spam", "ham"));

    @TempDir
    Path dir;

    private int port;
    private Path out;
    private Path journal;

    @BeforeEach
    void samePlace() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // the server's address is part of the job: every run uses the same
        }
        out = dir.resolve("out.csv");
        journal = EnrichJob.journalOf(out);
    }

    private OpenAiChatAnnotator client(FakeChatServer server) {
        return OpenAiChatAnnotator.builder("fake-model").baseUrl(server.baseUrl()).apiKeyEnv(null).workers(1)
                .retries(1, Duration.ofMillis(5)).build();
    }

    private static FakeChatServer.Reply html(FakeChatServer.Call c) {
        return new FakeChatServer.Reply().raw(200, "text/html", "<html><body>Service temporarily unavailable</body></html>");
    }

    private EnrichResult run(FakeChatServer.Script script, boolean resume, boolean keepFailed) throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).port(port).script(script).start();
             OpenAiChatAnnotator llm = client(server)) {
            return Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(5).workers(1).maxAttempts(2)
                    .journal(journal, resume).keepFailed(keepFailed).output(out).build()
                    .run(EnricherProtocolTest.table(5), RowText.columns("subject"));
        }
    }

    @Test
    void rowsThatFailedInAnEarlierRunAreAskedAgainOnResume() throws IOException {
        EnrichResult failed = run(ResumeTest::html, false, false);
        assertEquals(0, failed.summary().labelled());
        assertEquals(5, failed.summary().failed());
        EnrichJob.Outcome o = new EnrichJob.Outcome(failed, List.of(), out, journal);
        assertEquals("0 of 5 rows labelled, 5 failed; written to " + out, o.headline());
        assertEquals(Optional.of("every one of the 5 rows failed (failed after 2 attempts: the server's answer is not a chat"
                + " completion: <html><body>Service temporarily unavailable</body></html>); the reasons are in the enrich_error"
                + " column of " + out + ". Fix the cause and run again with --resume to ask the failed rows again (--keep-failed"
                + " keeps them)"), o.failureAdvice());

        try (FakeChatServer fixed = FakeChatServer.builder(EnricherProtocolTest::truth).port(port).start();
             OpenAiChatAnnotator llm = client(fixed)) {
            EnrichResult r = Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(5).workers(1).journal(journal, true)
                    .output(out).build().run(EnricherProtocolTest.table(5), RowText.columns("subject"));
            for (int id = 0; id < 5; id++) {
                assertEquals(1, fixed.asks(id), "row " + id + " failed before and is asked again");
                assertEquals("", r.table().getString(id, Enricher.ERROR_COLUMN));
            }
            assertEquals(5, r.summary().labelled());
            assertEquals(0, r.summary().failed());
            assertEquals(0, r.summary().resumed());
            assertEquals(5, r.summary().failedBefore());
            assertEquals("5 of 5 rows labelled, 0 failed, 5 that had failed before asked again; written to " + out,
                    new EnrichJob.Outcome(r, List.of(), out, journal).headline());
            assertEquals(Optional.empty(), new EnrichJob.Outcome(r, List.of(), out, journal).failureAdvice());
        }
        EnrichResult again = run(c -> {
            throw new AssertionError("every row is labelled: nothing to ask");
        }, true, false);
        assertEquals(5, again.summary().resumed());
        assertEquals(0, again.summary().failedBefore());
    }

    @Test
    void withKeepFailedTheRowsThatFailedStayFailedAndNothingIsAsked() throws IOException {
        run(ResumeTest::html, false, false);
        EnrichResult kept = run(c -> {
            throw new AssertionError("failed rows are kept: nothing to ask");
        }, true, true);
        assertEquals(5, kept.summary().failed());
        assertEquals(5, kept.summary().resumed());
        assertEquals(0, kept.summary().failedBefore());
        assertTrue(kept.table().getString(2, Enricher.ERROR_COLUMN).startsWith("failed after 2 attempts: the server's answer"),
                kept.table().getString(2, Enricher.ERROR_COLUMN));
    }

    @Test
    void onlyTheFailedRowsOfAPartlyFailedRunAreAskedAgain() throws IOException {
        JsonObject invalid = new JsonObject();
        invalid.addProperty("id", 3);
        invalid.addProperty("spam", "perhaps");
        invalid.addProperty("question", false);
        EnrichResult first = run(c -> new FakeChatServer.Reply().replace(3, invalid), false, false);
        assertEquals(4, first.summary().labelled());
        assertEquals("failed after 2 attempts: field 'spam' is 'perhaps', not a boolean", first.table().getString(3,
                Enricher.ERROR_COLUMN));
        try (FakeChatServer fixed = FakeChatServer.builder(EnricherProtocolTest::truth).port(port).start();
             OpenAiChatAnnotator llm = client(fixed)) {
            EnrichResult r = Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(5).workers(1).journal(journal, true)
                    .output(out).build().run(EnricherProtocolTest.table(5), RowText.columns("subject"));
            assertEquals(List.of(List.of(3)), fixed.calls().stream().map(c -> EnricherProtocolTest.ids(c.rows())).toList());
            assertEquals(5, r.summary().labelled());
            assertEquals(4, r.summary().resumed());
            assertEquals(1, r.summary().failedBefore());
        }
    }

    /** Labels a row spam when its text has a '$'; never fails. */
    static final class Rule implements Annotator {
        int calls;

        @Override
        public String id() {
            return "rule";
        }

        @Override
        public synchronized Answer annotate(AnnotationRequest request) {
            calls++;
            List<JsonObject> rows = new ArrayList<>();
            for (Item i : request.items()) {
                JsonObject o = new JsonObject();
                o.addProperty("id", i.id());
                o.addProperty("predicted", i.text().contains("$") ? "spam" : "ham");
                rows.add(o);
            }
            return new Answer(rows, 0, 0, false, false, null);
        }
    }

    private Enricher single(Rule rule) {
        return Enricher.builder(rule, SINGLE).batchSize(2).workers(1).journal(journal, true).output(out).build();
    }

    private NotebenchException resumeAfterAppending(String line) throws IOException {
        single(new Rule()).run(EnricherProtocolTest.table(4), RowText.columns("subject"));
        assertEquals(3, Files.readAllLines(journal).size(), "a header and two batches");
        Files.writeString(journal, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        byte[] before = Files.readAllBytes(out);
        Rule rule = new Rule();
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> single(rule).run(EnricherProtocolTest.table(4), RowText.columns("subject")));
        assertEquals(0, rule.calls);
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(out), "the output is left as it was");
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        return e;
    }

    @Test
    void aStoppedRunJournalsWhatWasAskedAndResumeAsksOnlyTheRest() throws IOException {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Rule rule = new Rule();
        Annotator stopsOnItsSecondCall = new Annotator() {
            @Override
            public String id() {
                return rule.id(); // the same job as the resume's, for the journal
            }

            @Override
            public Answer annotate(AnnotationRequest request) {
                if (rule.calls == 1) {
                    stop.set(true); // a person clicks Stop while the second batch is asked
                }
                return rule.annotate(request);
            }
        };
        Enricher stoppable = Enricher.builder(stopsOnItsSecondCall, SINGLE).batchSize(2).workers(1).journal(journal, true)
                .output(out).stopWhen(stop::get).build();
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> stoppable.run(EnricherProtocolTest.table(10), RowText.columns("subject")));
        assertEquals(ErrorCode.CANCELLED, e.code());
        assertEquals("enrichment stopped with 4 of 10 rows settled; they are journalled in " + journal + ": run again with"
                + " --resume to finish", e.getMessage());
        assertEquals(2, rule.calls, "the batch in flight finished; no new one started");
        assertEquals(3, Files.readAllLines(journal).size(), "a header and the two batches asked");
        Table partial = Table.read().csv(out.toFile());
        assertEquals(10, partial.rowCount(), "the output holds every row, the unsettled ones marked");
        assertEquals("not done (resume to finish)", partial.getString(9, Enricher.ERROR_COLUMN));

        Rule rest = new Rule();
        EnrichResult r = single(rest).run(EnricherProtocolTest.table(10), RowText.columns("subject"));
        assertEquals(3, rest.calls, "only the 6 rows not asked before, 2 a call");
        assertEquals(4, r.summary().resumed());
        assertEquals(10, r.summary().labelled());
        EnrichResult whole = Enricher.builder(new Rule(), SINGLE).batchSize(2).workers(1).build()
                .run(EnricherProtocolTest.table(10), RowText.columns("subject"));
        assertEquals(whole.table().stringColumn("predicted").asList(), r.table().stringColumn("predicted").asList());
    }

    private String advice() {
        return ". The journal was edited or damaged: correct or delete that line (its rows are then asked again) and --resume,"
                + " or start over with --fresh";
    }

    @Test
    void aJournalledValueOutsideTheLabelsIsOneErrorNamingTheFileAndLine() throws IOException {
        NotebenchException e = resumeAfterAppending("{\"done\":[[2,[\"maybe\"]]]}");
        assertEquals("line 4 of the journal " + journal + " does not fit this job: row 2's field 'predicted' is 'maybe', not one"
                + " of [spam, ham]" + advice(), e.getMessage());
    }

    @Test
    void aJournalledRowIdTheJobDoesNotHaveIsOneErrorNamingTheFileAndLine() throws IOException {
        NotebenchException e = resumeAfterAppending("{\"done\":[[99,[\"spam\"]]]}");
        assertEquals("line 4 of the journal " + journal + " does not fit this job: it names row 99, but the job's rows are 0..3"
                + advice(), e.getMessage());
    }

    @Test
    void journalLinesOfTheWrongShapeAreOneErrorNamingTheFileAndLine() throws IOException {
        assertEquals("line 4 of the journal " + journal + " does not fit this job: row 1 has 2 values, but the job has 1 field"
                + " [predicted]" + advice(), resumeAfterAppending("{\"done\":[[1,[\"spam\",\"ham\"]]]}").getMessage());
    }

    @Test
    void aFailureWithoutAReasonOrAnUnknownKeyIsOneError() throws IOException {
        assertEquals("line 4 of the journal " + journal + " does not fit this job: row 1 failed without a reason" + advice(),
                resumeAfterAppending("{\"failed\":[[1,null]]}").getMessage());
    }

    @Test
    void aLineThatIsNotJsonBeforeTheLastIsOneError() throws IOException {
        single(new Rule()).run(EnricherProtocolTest.table(4), RowText.columns("subject"));
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(1, "{\"done\": [[0, [\"ham\"]");
        Files.write(journal, lines);
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> single(new Rule()).run(EnricherProtocolTest.table(4), RowText.columns("subject")));
        assertEquals("line 2 of the journal " + journal + " is not a JSON object: the journal was edited or damaged: correct or"
                + " delete that line (its rows are then asked again) and --resume, or start over with --fresh", e.getMessage());
    }

    @Test
    void aValidHandEditedLineIsTakenAndLaterLinesWin() throws IOException {
        single(new Rule()).run(EnricherProtocolTest.table(4), RowText.columns("subject"));
        Files.writeString(journal, "{\"done\":[[1,[\"SPAM\"]]]}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Rule rule = new Rule();
        Table t = single(rule).run(EnricherProtocolTest.table(4), RowText.columns("subject")).table();
        assertEquals(0, rule.calls);
        assertEquals(List.of("spam", "spam", "ham", "spam"), t.stringColumn("predicted").asList());
    }
}
