package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * A fake whose model context holds 256 tokens refuses longer requests the way llama.cpp, OpenAI and
 * vLLM do: the batch is split in halves until it fits, and only a row that alone does not fit fails.
 */
class ContextOverflowTest {
    /** The fake's count of a request's tokens: 11 + 60 a row, 400 more for a row marked long (10 rows: 611 tokens). */
    static int tokens(FakeChatServer.Call c) {
        return 11 + c.rows().stream().mapToInt(i -> i.text().startsWith("LONG") ? 460 : 60).sum();
    }

    static FakeChatServer.Reply llamaCpp(FakeChatServer.Call c) {
        int n = tokens(c);
        if (n <= 256) {
            return new FakeChatServer.Reply();
        }
        return new FakeChatServer.Reply().raw(400, "application/json", "{\"error\":{\"code\":400,\"message\":\"request (" + n
                + " tokens) exceeds the available context size (256 tokens), try increasing it\",\"type\":\"exceed_context_size_error\","
                + "\"n_prompt_tokens\":" + n + ",\"n_ctx\":256}}");
    }

    private static OpenAiChatAnnotator.Builder client(FakeChatServer server) {
        return OpenAiChatAnnotator.builder("fake-model").baseUrl(server.baseUrl()).apiKeyEnv(null).retries(2, Duration.ofMillis(5));
    }

    private static List<List<Integer>> asked(FakeChatServer server) {
        return server.calls().stream().map(c -> EnricherProtocolTest.ids(c.rows())).toList();
    }

    @Test
    void aBatchTooLongForTheContextIsSplitInHalvesUntilItFitsAndEveryRowIsLabelled() throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).script(ContextOverflowTest::llamaCpp).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(10).workers(1).build()
                    .run(EnricherProtocolTest.table(10), RowText.columns("subject"));
            assertEquals(List.of(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(0, 1, 2, 3, 4), List.of(5, 6, 7, 8, 9), List.of(0, 1, 2),
                    List.of(3, 4), List.of(5, 6, 7), List.of(8, 9)), asked(server));
            assertEquals(10, r.summary().labelled());
            assertEquals(0, r.summary().failed());
            assertEquals(3, r.summary().contextSplits());
            assertEquals(0, r.summary().reasked());
            assertEquals(7, r.summary().calls());
            for (int row = 0; row < 10; row++) {
                assertEquals("", r.table().getString(row, Enricher.ERROR_COLUMN));
            }
        }
    }

    @Test
    void onlyARowThatAloneDoesNotFitFailsWithTheServersReason() throws IOException {
        Table table = EnricherProtocolTest.table(10);
        table.stringColumn("subject").set(7, "LONG " + "word ".repeat(300));
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).script(ContextOverflowTest::llamaCpp).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(10).workers(1).maxAttempts(3).build()
                    .run(table, RowText.columns("subject"));
            assertEquals(List.of(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(0, 1, 2, 3, 4), List.of(5, 6, 7, 8, 9), List.of(0, 1, 2),
                    List.of(3, 4), List.of(5, 6, 7), List.of(8, 9), List.of(5, 6), List.of(7)), asked(server));
            assertEquals(9, r.summary().labelled());
            assertEquals(1, r.summary().failed());
            assertEquals(4, r.summary().contextSplits());
            assertEquals("too long for the model's context even alone (request (471 tokens) exceeds the available context size"
                    + " (256 tokens), try increasing it); shorten the text (--template) or use a model with a longer context",
                    r.table().getString(7, Enricher.ERROR_COLUMN));
            assertEquals("", r.table().getString(6, Enricher.ERROR_COLUMN));
        }
    }

    @Test
    void openAisContextLengthExceededCodeSplitsTheBatch() throws IOException {
        String refusal = "{\"error\":{\"message\":\"This model's maximum context length is 128 tokens. However, your messages resulted"
                + " in 251 tokens. Please reduce the length of the messages.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
                + "\"code\":\"context_length_exceeded\"}}";
        assertSplitsFourRowsInTwos(400, refusal);
    }

    @Test
    void anOlderLlamaCppsServerErrorIsNotRetriedButSplitsTheBatch() throws IOException {
        assertSplitsFourRowsInTwos(500, "{\"error\":{\"code\":500,\"message\":\"the request exceeds the available context size,"
                + " try increasing it\",\"type\":\"server_error\"}}");
    }

    @Test
    void vllmsMaximumContextLengthMessageSplitsTheBatch() throws IOException {
        String refusal = "{\"object\":\"error\",\"message\":\"This model's maximum context length is 128 tokens. However, you requested"
                + " 251 tokens (251 in the messages, 0 in the completion). Please reduce the length of the messages or completion.\","
                + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";
        assertSplitsFourRowsInTwos(400, refusal);
    }

    private static void assertSplitsFourRowsInTwos(int status, String refusal) throws IOException {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth)
                .script(c -> c.rows().size() > 2 ? new FakeChatServer.Reply().raw(status, "application/json", refusal)
                        : new FakeChatServer.Reply()).start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(4).workers(1).build()
                    .run(EnricherProtocolTest.table(4), RowText.columns("subject"));
            assertEquals(List.of(List.of(0, 1, 2, 3), List.of(0, 1), List.of(2, 3)), asked(server));
            assertEquals(0, r.summary().retries());
            assertEquals(4, r.summary().labelled());
            assertEquals(1, r.summary().contextSplits());
        }
    }
}
