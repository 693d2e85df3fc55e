package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.NotebenchException;
import dev.notebench.progress.Progress;
import dev.notebench.tables.CsvTables;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dry-run} (nothing sent; the calls, tokens and cost of the run it stands for) and {@code --sample N}. */
class DryRunAndSampleTest {
    private static final String KEY = "sk-live-dry-run-0123456789";

    @TempDir
    Path dir;

    private EnrichJob job(String baseUrl, int rows, String... extra) {
        CsvTables.write(EnricherProtocolTest.table(rows), dir.resolve("in.csv"));
        List<String> args = new ArrayList<>(List.of("--input", dir.resolve("in.csv").toString(), "--out", dir.resolve("out.csv").toString(),
                "--text", "subject", "--labels", "spam,question", "--batch", "10", "--no-cache"));
        if (baseUrl != null) {
            args.addAll(List.of("--base-url", baseUrl, "--model", "fake-model", "--key-env", "MY_KEY"));
        }
        args.addAll(List.of(extra));
        return EnrichOptions.parse(args, "Label the rows.", Map.of("MY_KEY", KEY), dir);
    }

    @Test
    void aDryRunOpensNoConnectionAndShowsTheFirstRequestWithoutTheKey() throws IOException, InterruptedException {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread counter = new Thread(() -> {
                while (true) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            counter.start();
            EnrichJob job = job("http://127.0.0.1:" + socket.getLocalPort() + "/v1", 25, "--dry-run", "--price-in", "1", "--price-out", "2");
            assertTrue(job.dryRun());
            CostEstimate e = job.estimate();
            socket.close();
            counter.join();
            assertEquals(0, connections.get());
            assertEquals(25, e.rows());
            assertEquals(3, e.calls());
            assertEquals(new Prices(1, 2).cost(e.promptTokens(), e.completionTokens()), e.cost().getAsDouble(), 0.0);
            assertFalse(e.firstRequest().contains(KEY));
            assertFalse(e.firstRequest().contains("Authorization"));
            assertTrue(e.firstRequest().contains("\"required\": [\n          \"0\",\n          \"1\","), e.firstRequest());
            assertTrue(e.firstRequest().contains("{\\\"id\\\":8,\\\"text\\\":\\\"Re: patch 8\\\"}"), e.firstRequest());
            assertFalse(Files.exists(dir.resolve("out.csv")));
            assertFalse(Files.exists(EnrichJob.journalOf(dir.resolve("out.csv"))));
        }
    }

    @Test
    void theDryRunCountsTheTokensOfExactlyTheRequestsARunSends() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).start()) {
            CostEstimate e = job(server.baseUrl(), 25, "--dry-run").estimate();
            assertEquals(0, server.requests());
            job(server.baseUrl(), 25).run(Progress.NONE, getClass().getClassLoader());
            assertEquals(e.calls(), server.requests());
            long sent = server.calls().stream().mapToLong(c -> CostEstimate.promptTokens(c.body())).sum();
            assertEquals(sent, e.promptTokens());
        }
    }

    @Test
    void withTheServedModelsTokenizerThePromptTokensAreTheServersCount() throws IOException {
        Path chars = dir.resolve("chars.json");
        try (dev.notebench.tokenize.CharTokenizer t = dev.notebench.tokenize.CharTokenizer.of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 {}[]\":,.-_'!?\n")) {
            t.save(chars);
        }
        try (dev.notebench.tokenize.Tokenizer counter = dev.notebench.tokenize.TokenizerArtifact.load(chars);
             FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).usage(text -> counter.encode(text).length)
                     .start()) {
            CostEstimate e = job(server.baseUrl(), 25, "--dry-run", "--tokenizer", chars.toString()).estimate();
            assertEquals(0, server.requests());
            EnrichResult r = job(server.baseUrl(), 25).run(Progress.NONE, getClass().getClassLoader()).result();
            EnrichSummary s = r.summary();
            assertEquals(s.tokensIn(), e.promptTokens());
            // the typical answer says false for every label; the server's answers say true where a label holds, one character fewer
            long trues = r.table().booleanColumn("spam").countTrue() + r.table().booleanColumn("question").countTrue();
            assertTrue(trues > 0);
            assertEquals(s.tokensOut() + trues, e.completionTokens());
            assertEquals("counted with " + chars, e.overview().stringColumn("value").get(5));
        }
    }

    @Test
    void aMissingTokenizerIsOneErrorSayingWhatToGive() {
        NotebenchException x = assertThrows(NotebenchException.class,
                () -> job("http://127.0.0.1:9/v1", 5, "--dry-run", "--tokenizer", dir.resolve("nope.json").toString()).estimate());
        assertEquals("--tokenizer " + dir.resolve("nope.json") + " does not exist; give the served model's tokenizer.json (or its"
                + " directory, e.g. its snapshot in the Hugging Face cache), or leave --tokenizer out to estimate the tokens without"
                + " one", x.getMessage());
    }

    @Test
    void aTokenizerWithoutADryRunOrSampleIsRefusedWithWhatToAdd() {
        NotebenchException x = assertThrows(NotebenchException.class, () -> job(null, 5, "--tokenizer", "tok.json"));
        assertEquals("--tokenizer counts the tokens of a --dry-run or --sample estimate; add one of them, or drop --tokenizer",
                x.getMessage());
    }

    @Test
    void completionTokensComeFromTheKeyedShapeOfABatchWithTypicalValues() {
        OutputSchema s = OutputSchema.fromJsonSchema("{\"properties\": {\"tone\": {\"enum\": [\"neg\", \"positive\"]},"
                + " \"score\": {\"type\": \"number\"}, \"stars\": {\"type\": \"integer\"}, \"sarcastic\": {\"type\": \"boolean\"},"
                + " \"topic\": {\"type\": \"string\"}}}");
        String answer = CostEstimate.typicalAnswer(s, List.of(new Item(7, "a"), new Item(8, "b")));
        assertEquals("{\"7\":{\"tone\":\"neg\",\"score\":0.75,\"stars\":3,\"sarcastic\":false,\"topic\":\"a short answer of a few words\"},"
                + "\"8\":{\"tone\":\"positive\",\"score\":0.75,\"stars\":3,\"sarcastic\":false,\"topic\":\"a short answer of a few words\"}}",
                answer);
    }

    @Test
    void tokensAreCountedByThePiecesABytePairTokenizerCutsATextInto() {
        // {" 0 ":{" predicted(9 letters: 2) ":" spam "}}
        assertEquals(8, CostEstimate.estimateTokens("{\"0\":{\"predicted\":\"spam\"}}"));
        // Re | : | ␣New | ␣Sequences(9: 2) | ␣Window | \n | 12345(2) | ' s
        assertEquals(10, CostEstimate.estimateTokens("Re: New Sequences Window\n12345's"));
        assertEquals(0, CostEstimate.estimateTokens(""));
    }

    @Test
    void theLocalLabelerIsEstimatedAsOfflineWithNoRequestAndNoCost() {
        CostEstimate e = job(null, 100, "--dry-run").estimate();
        assertEquals(10, e.calls());
        assertEquals(0, e.promptTokens());
        assertEquals("", e.firstRequest());
        assertEquals(0.0, e.cost().getAsDouble(), 0.0);
    }

    @Test
    void sampleRowsAreOnePerStretchOfTheTableAndFollowTheSeed() {
        List<Integer> rows = EnrichJob.sampleRows(100, 4, 42);
        for (int i = 0; i < 4; i++) {
            assertTrue(rows.get(i) >= 25 * i && rows.get(i) < 25 * (i + 1), rows.toString());
        }
        assertEquals(rows, EnrichJob.sampleRows(100, 4, 42));
        assertNotEquals(rows, EnrichJob.sampleRows(100, 4, 43));
        assertEquals(List.of(0, 1, 2), EnrichJob.sampleRows(3, 3, 42));
    }

    @Test
    void aSamplesGoldScoresLeaveOutTheExampleRowsAtTheirPlacesAmongTheSampledRows() {
        assertEquals(List.of(2, 7, 9), EnrichJob.resultRows(List.of(2, 7, 9), null), "a whole run: the table's rows");
        assertEquals(List.of(0, 2), EnrichJob.resultRows(List.of(3, 8, 40), List.of(40, 3, 12)),
                "rows 3 and 40 are the first and third of the sampled rows 3, 12, 40; row 8 was not sampled");
        assertEquals(List.of(), EnrichJob.resultRows(List.of(1), List.of(5)));
    }

    @Test
    void aSampledRowIsNotAskedAgainByTheFullRunThatResumes() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).start()) {
            EnrichJob.Sampled s = job(server.baseUrl(), 30, "--sample", "4", "--seed", "7").runSample(Progress.NONE,
                    getClass().getClassLoader(), () -> false);
            assertEquals(EnrichJob.sampleRows(30, 4, 7), s.rows());
            assertEquals(4, s.outcome().result().table().rowCount());
            assertEquals(4, s.outcome().result().summary().rows());
            assertEquals(4, s.outcome().result().summary().labelled());
            assertEquals(List.of("subject", "spam", "question", Enricher.ERROR_COLUMN), s.shown().columnNames());
            for (int i = 0; i < 4; i++) {
                String subject = EnricherProtocolTest.table(30).getString(s.rows().get(i), "subject");
                assertEquals(subject, s.shown().getString(i, "subject"));
                assertEquals(subject.contains("$"), s.shown().booleanColumn("spam").get(i));
            }
            assertEquals(1, server.requests()); // four rows, one batch
            assertFalse(Files.exists(dir.resolve("out.csv")));
            assertEquals(26, s.remaining().rows());
            assertTrue(s.next().endsWith("to label the other 26 rows (they are not asked again), run the same command with --resume in"
                    + " place of --sample 4"), s.next());
            EnrichJob.Outcome full = job(server.baseUrl(), 30, "--resume").run(Progress.NONE, getClass().getClassLoader());
            assertEquals(30, full.result().summary().labelled());
            assertEquals(4, full.result().summary().resumed());
            assertEquals(s.remaining().calls(), server.requests() - 1);
            for (int row = 0; row < 30; row++) {
                assertEquals(1, server.asks(row), "row " + row);
            }
        }
    }

    @Test
    void wrongSampleOptionsAreRefusedWithOneMessageEach() {
        assertEquals("--sample 0 is out of range; give a number of at least 1",
                assertThrows(NotebenchException.class, () -> job(null, 5, "--sample", "0")).getMessage());
        assertEquals("--sample 6 is more rows than the table's 5; give at most 5, or leave --sample out to label the whole table",
                assertThrows(NotebenchException.class, () -> job(null, 5, "--sample", "6").runSample(Progress.NONE,
                        getClass().getClassLoader(), () -> false)).getMessage());
        assertEquals("--sample already continues the job's journal (a second sample asks only rows not settled yet): leave out"
                + " --resume; --resume without --sample labels the rest",
                assertThrows(NotebenchException.class, () -> job(null, 5, "--sample", "2", "--resume")).getMessage());
        assertEquals("give --dry-run or --sample, not both: --dry-run sends nothing and estimates the whole table; --sample labels a"
                + " few rows and estimates the rest", assertThrows(NotebenchException.class,
                        () -> job(null, 5, "--sample", "2", "--dry-run")).getMessage());
        assertEquals("--dry-run touches no journal: leave out --resume and --fresh (it estimates the whole table)",
                assertThrows(NotebenchException.class, () -> job(null, 5, "--dry-run", "--fresh")).getMessage());
        assertFalse(Files.exists(EnrichJob.journalOf(dir.resolve("out.csv"))));
    }

    @Test
    void aSampleWithFreshStartsTheJournalOver() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).start()) {
            job(server.baseUrl(), 12).run(Progress.NONE, getClass().getClassLoader());
            EnrichJob.Sampled again = job(server.baseUrl(), 12, "--sample", "3").runSample(Progress.NONE, getClass().getClassLoader(),
                    () -> false);
            assertEquals(3, again.outcome().result().summary().resumed()); // the journal had them: nothing asked
            assertEquals(2, server.requests());
            EnrichJob.Sampled fresh = job(server.baseUrl(), 12, "--sample", "3", "--fresh").runSample(Progress.NONE,
                    getClass().getClassLoader(), () -> false);
            assertEquals(0, fresh.outcome().result().summary().resumed());
            assertEquals(3, server.requests());
        }
    }
}
