package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Enrichment against a fake of a grammar-constrained decoder with a weak model, which answers the
 * smallest document the request's schema allows: the keyed schema gets every row by construction,
 * the array schema asked before issue 20 got none.
 */
class ConstrainedDecoderTest {
    private static final Set<String> STRICT_KEYWORDS = Set.of("type", "properties", "required", "additionalProperties", "enum",
            "description");

    private static OpenAiChatAnnotator.Builder client(FakeChatServer server) {
        return OpenAiChatAnnotator.builder("weak-model").baseUrl(server.baseUrl()).apiKeyEnv(null).workers(4)
                .retries(2, Duration.ofMillis(5));
    }

    private static FakeChatServer.Builder constrained() {
        return FakeChatServer.builder(row -> new JsonObject()).constrainedDecoder();
    }

    /** The ids a call's schema requires, as numbers. */
    private static List<Integer> requiredIds(FakeChatServer.Call call) {
        List<Integer> ids = new ArrayList<>();
        SmallestDocumentFake.requestedSchema(call.body()).getAsJsonArray("required").forEach(e -> ids.add(Integer.valueOf(e.getAsString())));
        return ids;
    }

    @Test
    void theArraySchemaAskedBeforeGetsAnEmptyListSoNoRowIsLabelled() {
        OutputSchema schema = OutputSchema.multiLabel(List.of("spam"));
        JsonObject rows = new JsonObject();
        rows.addProperty("type", "array");
        rows.add("items", schema.rowJsonSchema());
        JsonObject properties = new JsonObject();
        properties.add("rows", rows);
        JsonArray required = new JsonArray();
        required.add("rows");
        JsonObject arraySchema = new JsonObject();
        arraySchema.addProperty("type", "object");
        arraySchema.add("properties", properties);
        arraySchema.add("required", required);
        arraySchema.addProperty("additionalProperties", false);
        // "rows" is required, but nothing makes the decoder write an item: the smallest valid answer is an empty list
        String answer = SmallestDocumentFake.smallest(arraySchema).toString();
        assertEquals("{\"rows\":[]}", answer);
        List<Item> asked = List.of(new Item(0, "Win $100"), new Item(1, "Re: patch"), new Item(2, "Lunch?"));
        AnswerChecker.Verdict v = new AnswerChecker(schema).check(asked, Answer.local(JsonAnswers.extract(answer).rows()));
        assertEquals(List.of(), v.good());
        assertEquals(Map.of(0, "missing from the answer", 1, "missing from the answer", 2, "missing from the answer"), v.bad());
    }

    @Test
    void theKeyedSchemaGetsEveryRowOfEveryBatchFromTheSmallestDocument() throws IOException {
        try (FakeChatServer server = constrained().start(); OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(10).workers(4).build()
                    .run(EnricherProtocolTest.table(25), RowText.columns("subject"));
            assertEquals(25, r.summary().labelled());
            assertEquals(0, r.summary().failed());
            assertEquals(3, server.requests());
            assertEquals(0, r.summary().reasked());
            for (int row = 0; row < 25; row++) {
                assertEquals(false, r.table().booleanColumn("spam").get(row)); // the smallest boolean
                assertEquals(false, r.table().booleanColumn("question").get(row));
            }
            for (FakeChatServer.Call call : server.calls()) {
                assertEquals(call.rows().stream().map(Item::id).toList(), requiredIds(call));
            }
        }
    }

    @Test
    void aReAskedSubBatchGetsASchemaWithOnlyItsIds() throws IOException {
        try (FakeChatServer server = constrained()
                .script(c -> c.number() == 0 ? new FakeChatServer.Reply().body("<html>502 Bad Gateway</html>") : new FakeChatServer.Reply())
                .start();
             OpenAiChatAnnotator llm = client(server).build()) {
            EnrichResult r = Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(8).workers(1).build()
                    .run(EnricherProtocolTest.table(8), RowText.columns("subject"));
            assertEquals(8, r.summary().labelled());
            assertEquals(8, r.summary().reasked());
            List<List<Integer>> asked = server.calls().stream().map(c -> c.rows().stream().map(Item::id).toList()).toList();
            assertEquals(List.of(List.of(0, 1, 2, 3, 4, 5, 6, 7), List.of(0, 1, 2, 3), List.of(4, 5, 6, 7)), asked);
            assertEquals(asked, server.calls().stream().map(ConstrainedDecoderTest::requiredIds).toList());
        }
    }

    @Test
    void singleLabelsGetTheFirstLabelAndTypedFieldsTheirSmallestValues() throws IOException {
        OutputSchema single = OutputSchema.singleLabel("predicted", List.of("ham", "spam"));
        OutputSchema fields = OutputSchema.fromJsonSchema("{\"properties\": {\"sentiment\": {\"enum\": [\"neg\", \"pos\"]},"
                + " \"score\": {\"type\": \"number\"}, \"stars\": {\"type\": \"integer\"}, \"sarcastic\": {\"type\": \"boolean\"},"
                + " \"topic\": {\"type\": \"string\"}}}");
        try (FakeChatServer server = constrained().start(); OpenAiChatAnnotator llm = client(server).build()) {
            Table t = Enricher.builder(llm, single).batchSize(4).build().run(EnricherProtocolTest.table(9), RowText.columns("subject"))
                    .table();
            assertEquals(List.of("ham"), t.stringColumn("predicted").unique().asList());
            EnrichResult r = Enricher.builder(llm, fields).batchSize(4).build().run(EnricherProtocolTest.table(9),
                    RowText.columns("subject"));
            assertEquals(9, r.summary().labelled());
            Table f = r.table();
            for (int row = 0; row < 9; row++) {
                assertEquals("neg", f.getString(row, "sentiment"));
                assertEquals(0.0, f.doubleColumn("score").get(row), 0.0);
                assertEquals(0L, f.longColumn("stars").get(row));
                assertEquals(false, f.booleanColumn("sarcastic").get(row));
                assertEquals("", f.getString(row, "topic"));
            }
        }
    }

    @Test
    void theKeyedSchemaKeepsToOpenAisStrictSubset() {
        OutputSchema fields = OutputSchema.fromJsonSchema("{\"properties\": {\"sentiment\": {\"enum\": [\"neg\", \"pos\"],"
                + " \"description\": \"the tone\"}, \"score\": {\"type\": \"number\"}}}");
        JsonObject schema = fields.keyedAnswerJsonSchema(List.of(3, 10, 4));
        assertEquals("{\"type\":\"object\",\"properties\":{"
                + "\"3\":{\"type\":\"object\",\"properties\":{\"sentiment\":{\"type\":\"string\",\"enum\":[\"neg\",\"pos\"],"
                + "\"description\":\"the tone\"},\"score\":{\"type\":\"number\"}},\"required\":[\"sentiment\",\"score\"],"
                + "\"additionalProperties\":false},", schema.toString().substring(0, schema.toString().indexOf("\"10\"")));
        assertEquals("[\"3\",\"10\",\"4\"]", schema.get("required").toString());
        assertStrict(schema);
        assertStrict(OutputSchema.multiLabel(List.of("spam", "urgent")).keyedAnswerJsonSchema(List.of(0)));
    }

    /** Every object: all properties required, additionalProperties false, only keywords of the strict subset. */
    private static void assertStrict(JsonObject schema) {
        for (String keyword : schema.keySet()) {
            assertTrue(STRICT_KEYWORDS.contains(keyword), keyword);
        }
        if (schema.get("type").getAsString().equals("object")) {
            assertEquals(false, schema.get("additionalProperties").getAsBoolean());
            Set<String> required = new TreeSet<>();
            schema.getAsJsonArray("required").forEach(e -> required.add(e.getAsString()));
            assertEquals(new TreeSet<>(schema.getAsJsonObject("properties").keySet()), required);
            for (Map.Entry<String, JsonElement> p : schema.getAsJsonObject("properties").entrySet()) {
                assertStrict(p.getValue().getAsJsonObject());
            }
        }
    }

    @Test
    void theRequestAsksForTheKeyedShapeInWordsAndKeepsAStableName() throws IOException {
        try (FakeChatServer server = constrained().start(); OpenAiChatAnnotator llm = client(server).build()) {
            Enricher.builder(llm, EnricherProtocolTest.SCHEMA).batchSize(3).build().run(EnricherProtocolTest.table(3),
                    RowText.columns("subject"));
            JsonObject body = server.calls().get(0).body();
            String system = body.getAsJsonArray("messages").get(0).getAsJsonObject().get("content").getAsString();
            assertTrue(system.endsWith("Return every input row's id once, nothing else. Reply with JSON: {\"0\": {...}, \"1\": {...}, ...}"),
                    system);
            JsonObject jsonSchema = body.getAsJsonObject("response_format").getAsJsonObject("json_schema");
            assertEquals("rows", jsonSchema.get("name").getAsString());
            assertTrue(jsonSchema.get("strict").getAsBoolean());
        }
    }

    @Test
    void keyedAnswersAreReadInEveryModeWithRepeatedKeysAndCutOffAnswers() {
        JsonAnswers.Rows rows = JsonAnswers.extract("```json\n{\"4\": {\"spam\": true}, \"2\": {\"spam\": false, \"id\": 9}}\n```");
        assertEquals("[{\"id\":4,\"spam\":true}, {\"id\":2,\"spam\":false}]", rows.rows().toString());
        assertEquals(List.of(1, 1), JsonAnswers.extract("{\"1\": {\"spam\": true}, \"1\": {\"spam\": false}}").rows().stream()
                .map(o -> o.get("id").getAsInt()).toList());
        JsonAnswers.Rows cut = JsonAnswers.extract("{\"0\": {\"spam\": true, \"t\": \"a}{\"}, \"1\": {\"spam\": false}, \"2\": {\"sp");
        assertEquals("[{\"id\":0,\"spam\":true,\"t\":\"a}{\"}, {\"id\":1,\"spam\":false}]", cut.rows().toString());
        assertTrue(cut.truncated());
    }
}
