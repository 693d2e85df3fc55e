package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.notebench.enrich.FakeChatServer.Call;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A model stage's confidence from token log-probabilities: a fake server answers each batch with a
 * chat completion whose {@code logprobs.content} gives the label tokens of row i the probability
 * 0.9 or 0.6 and every other token 0.99 (a fake, with OpenAI's documented shape).
 */
class LogprobsConfidenceTest {
    private static final OutputSchema SCHEMA = OutputSchema.singleLabel("predicted", List.of("spam", "ham"));

    private static double probabilityOf(int id) {
        return id % 2 == 0 ? 0.9 : 0.6;
    }

    /** {"rows":[{"id":0,"predicted":"spam"},...]} as tokens: the label a token of its own, its quotes in the next ones. */
    private static FakeChatServer.Reply withLogprobs(Call call, boolean logprobs) {
        List<String[]> tokens = new ArrayList<>();
        tokens.add(new String[] {"{\"rows\":[", "0.99"});
        for (int i = 0; i < call.rows().size(); i++) {
            Item row = call.rows().get(i);
            tokens.add(new String[] {(i == 0 ? "" : ",") + "{\"id\":" + row.id() + ",\"predicted\":\"", "0.99"});
            tokens.add(new String[] {row.text().contains("$") ? "spam" : "ham", Double.toString(probabilityOf(row.id()))});
            tokens.add(new String[] {"\"}", "0.99"});
        }
        tokens.add(new String[] {"]}", "0.99"});
        StringBuilder content = new StringBuilder();
        JsonArray lp = new JsonArray();
        for (String[] t : tokens) {
            content.append(t[0]);
            JsonObject o = new JsonObject();
            o.addProperty("token", t[0]);
            o.addProperty("logprob", Math.log(Double.parseDouble(t[1])));
            o.add("top_logprobs", new JsonArray());
            lp.add(o);
        }
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", content.toString());
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        choice.add("message", message);
        if (logprobs) {
            JsonObject l = new JsonObject();
            l.add("content", lp);
            choice.add("logprobs", l);
        }
        choice.addProperty("finish_reason", "stop");
        JsonArray choices = new JsonArray();
        choices.add(choice);
        JsonObject root = new JsonObject();
        root.add("choices", choices);
        return new FakeChatServer.Reply().body(root.toString());
    }

    private static Table table() {
        return Table.create("mail", StringColumn.create("subject", "Win $100 now", "Lunch?", "Win $5", "Re: patch"));
    }

    private static OpenAiChatAnnotator client(FakeChatServer server, boolean logprobs) {
        return OpenAiChatAnnotator.builder("fake-model").baseUrl(server.baseUrl()).apiKeyEnv(null).workers(1)
                .retries(1, Duration.ofMillis(5)).logprobs(logprobs).build();
    }

    @Test
    void theLabelTokensProbabilityBecomesTheRowsConfidence() throws Exception {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).script(c -> withLogprobs(c, true)).start();
             OpenAiChatAnnotator llm = client(server, true)) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).batchSize(2).workers(1).confidenceColumn(true).build()
                    .run(table(), RowText.columns("subject"));
            assertEquals(List.of("spam", "ham", "spam", "ham"), r.table().stringColumn("predicted").asList());
            double[] c = r.table().doubleColumn(Enricher.CONFIDENCE_COLUMN).asDoubleArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(probabilityOf(i), c[i], 1e-12);
            }
            assertTrue(server.calls().stream().allMatch(call -> call.body().get("logprobs").getAsBoolean()));
        }
    }

    @Test
    void aServerThatReturnsNoLogprobsGivesNoConfidenceAndNoError() throws Exception {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).script(c -> withLogprobs(c, false)).start();
             OpenAiChatAnnotator llm = client(server, true)) {
            EnrichResult r = Enricher.builder(llm, SCHEMA).batchSize(2).workers(1).confidenceColumn(true).build()
                    .run(table(), RowText.columns("subject"));
            assertEquals(4, r.summary().labelled());
            assertEquals(4, r.table().doubleColumn(Enricher.CONFIDENCE_COLUMN).countMissing());
        }
    }

    @Test
    void logprobsAreAskedForOnlyWhenWanted() throws Exception {
        try (FakeChatServer server = FakeChatServer.builder(EnricherProtocolTest::truth).script(c -> withLogprobs(c, true)).start();
             OpenAiChatAnnotator llm = client(server, false)) {
            Answer a = llm.annotate(new AnnotationRequest(List.of(new Item(0, "Win $1")), SCHEMA, "", List.of()));
            assertFalse(server.calls().get(0).body().has("logprobs"));
            assertFalse(a.rows().get(0).has(Answer.CONFIDENCE));
        }
    }

    @Test
    void tokensThatDoNotSpellTheAnswerOrRowsNotFoundGiveNoConfidence() {
        JsonArray tokens = new JsonArray();
        JsonObject t = new JsonObject();
        t.addProperty("token", "{\"rows\":[]}");
        t.addProperty("logprob", -0.1);
        tokens.add(t);
        JsonObject row = new JsonObject();
        row.addProperty("id", 0);
        List<JsonObject> rows = List.of(row);
        AnswerLogprobs.attach("{\"rows\":[{\"id\":0,\"predicted\":\"spam\"}]}", tokens, rows, SCHEMA);
        assertFalse(row.has(Answer.CONFIDENCE));
        AnswerLogprobs.attach("{\"rows\":[]}", tokens, rows, SCHEMA);
        assertFalse(row.has(Answer.CONFIDENCE));
    }
}
