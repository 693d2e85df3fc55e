package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.NotebenchException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersAndSchemasTest {
    private static List<Integer> ids(JsonAnswers.Rows rows) {
        return rows.rows().stream().map(o -> o.get("id").getAsInt()).toList();
    }

    @Test
    void rowsAreFoundInEveryShapeModelsAnswerIn() {
        assertEquals(List.of(1, 2), ids(JsonAnswers.extract("{\"rows\":[{\"id\":1},{\"id\":2}]}")));
        assertEquals(List.of(1, 2), ids(JsonAnswers.extract("[{\"id\":1},{\"id\":2}]")));
        assertEquals(List.of(3), ids(JsonAnswers.extract("{\"id\":3,\"spam\":true}")));
        assertEquals(List.of(4), ids(JsonAnswers.extract("{\"results\":[{\"id\":4}],\"note\":\"x\"}")));
        assertEquals(List.of(5, 6), ids(JsonAnswers.extract("Sure! Here you go:\n```json\n{\"rows\": [{\"id\": 5}, {\"id\": 6}]}\n```\nDone.")));
        assertFalse(JsonAnswers.extract("{\"rows\":[{\"id\":1}]}").truncated());
    }

    @Test
    void aCutOffAnswerGivesItsCompleteRows() {
        JsonAnswers.Rows rows = JsonAnswers.extract("{\"rows\":[{\"id\":1,\"t\":\"a}b\"},{\"id\":2,\"t\":\"{\"},{\"id\":3,\"t\":\"x");
        assertEquals(List.of(1, 2), ids(rows));
        assertTrue(rows.truncated());
    }

    @Test
    void anAnswerWithoutJsonIsAFormatError() {
        AnswerFormatException e = assertThrows(AnswerFormatException.class, () -> JsonAnswers.extract("I cannot help with that."));
        assertEquals("the answer holds no JSON: I cannot help with that.", e.getMessage());
        assertThrows(AnswerFormatException.class, () -> JsonAnswers.extract("{\"rows\": 3}"));
    }

    @Test
    void valuesAreCheckedAndConvertedByFieldType() {
        OutputSchema s = OutputSchema.fromJsonSchema("{\"properties\": {\"sentiment\": {\"enum\": [\"pos\", \"neg\"]},"
                + " \"score\": {\"type\": \"number\"}, \"stars\": {\"type\": \"integer\"}, \"sarcastic\": {\"type\": \"boolean\"},"
                + " \"topic\": {\"type\": \"string\", \"description\": \"one or two words\"}}}");
        assertEquals(OutputSchema.Kind.FIELDS, s.kind());
        JsonObject row = JsonParser.parseString("{\"id\": 1, \"sentiment\": \"NEG\", \"score\": \"0.25\", \"stars\": 4.0,"
                + " \"sarcastic\": \"false\", \"topic\": \"billing\", \"other\": 1}").getAsJsonObject();
        assertEquals(List.of("neg", 0.25, 4L, false, "billing"), s.validate(row));
        assertEquals("field 'stars' is '4.5', not a integer", assertThrows(OutputSchema.InvalidRowException.class,
                () -> s.validate(JsonParser.parseString("{\"sentiment\": \"pos\", \"score\": 1, \"stars\": 4.5,"
                        + " \"sarcastic\": true, \"topic\": \"x\"}").getAsJsonObject())).getMessage());
        assertEquals("field 'sentiment' is 'meh', not one of [pos, neg]", assertThrows(OutputSchema.InvalidRowException.class,
                () -> s.validate(JsonParser.parseString("{\"sentiment\": \"meh\"}").getAsJsonObject())).getMessage());
        assertEquals("field 'score' is missing", assertThrows(OutputSchema.InvalidRowException.class,
                () -> s.validate(JsonParser.parseString("{\"sentiment\": \"pos\"}").getAsJsonObject())).getMessage());
        JsonObject schema = s.keyedAnswerJsonSchema(List.of(7));
        assertEquals("{\"type\":\"string\",\"enum\":[\"pos\",\"neg\"]}", schema.getAsJsonObject("properties").getAsJsonObject("7")
                .getAsJsonObject("properties").get("sentiment").toString());
    }

    @Test
    void aSchemaThatIsNotOneRowsSchemaSaysWhatToGive() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> OutputSchema.fromJsonSchema("{\"type\": \"object\"}"));
        assertTrue(e.getMessage().startsWith("the output schema is not a JSON schema of one row (it has no \"properties\" object)"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputSchema.singleLabel("predicted", List.of("only")));
        assertThrows(IllegalArgumentException.class, () -> OutputSchema.multiLabel(List.of("a", "a")));
    }

    @Test
    void theTokenBudgetGivesLongRowsSmallerBatchesAndARowOverItTravelsAlone() {
        List<Item> items = List.of(new Item(0, "x".repeat(40)), new Item(1, "x".repeat(40)), new Item(2, "x".repeat(400)),
                new Item(3, "short"), new Item(4, "short"), new Item(5, "short"));
        // tokens: 10+8, 10+8, 100+8, 2+8, 2+8, 2+8
        List<List<Item>> batches = new Packer(10, 40).pack(items);
        assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3, 4, 5)),
                batches.stream().map(b -> b.stream().map(Item::id).toList()).toList());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5)),
                new Packer(2, 0).pack(items).stream().map(b -> b.stream().map(Item::id).toList()).toList());
    }

    @Test
    void providersAreFoundByNameAndAnUnknownOneListsTheOthers() {
        ClassLoader loader = getClass().getClassLoader();
        assertEquals("openai", AnnotatorProvider.named("openai", loader).name());
        NotebenchException e = assertThrows(NotebenchException.class, () -> AnnotatorProvider.named("local", loader));
        assertEquals("no annotator provider named 'local'; available: [openai] (the local labeler comes with"
                + " notebench-enrich-local)", e.getMessage());
    }
}
