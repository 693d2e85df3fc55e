package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerCheckerTest {
    private static final OutputSchema SCHEMA = OutputSchema.singleLabel("label", List.of("spam", "ham"));
    private static final List<Item> ASKED = List.of(new Item(0, "a"), new Item(1, "b"), new Item(2, "c"), new Item(3, "d"));

    private static Answer answer(boolean truncated, String... rows) {
        List<JsonObject> objects = java.util.Arrays.stream(rows).map(r -> JsonParser.parseString(r).getAsJsonObject()).toList();
        return new Answer(objects, 0, 0, truncated, false, null);
    }

    @Test
    void eachAskedRowIsGoodOnceOrBadWithItsReasonInTheOrderAsked() {
        AnswerChecker.Verdict v = new AnswerChecker(SCHEMA).check(ASKED, answer(false,
                "{\"id\": \"2\", \"label\": \"ham\"}", "{\"id\": 0, \"label\": \"spam\"}", "{\"id\": 1, \"label\": \"meh\"}",
                "{\"id\": 2, \"label\": \"spam\"}", "{\"id\": 9, \"label\": \"spam\"}", "{\"id\": \"x\", \"label\": \"spam\"}"));
        assertEquals(List.of(new Journal.Settled(0, List.of("spam"), null)), v.good());
        assertEquals(Map.of(1, "field 'label' is 'meh', not one of [spam, ham]", 2, "answered more than once",
                3, "missing from the answer"), v.bad());
        assertEquals(List.of(1, 2, 3), List.copyOf(v.bad().keySet()));
    }

    @Test
    void rowsAfterTheCutOfATruncatedAnswerSaySo() {
        AnswerChecker.Verdict v = new AnswerChecker(SCHEMA).check(ASKED.subList(0, 2), answer(true, "{\"id\": 0, \"label\": \"ham\"}"));
        assertEquals(List.of(new Journal.Settled(0, List.of("ham"), null)), v.good());
        assertEquals(Map.of(1, "the answer was cut off before this row"), v.bad());
    }

    @Test
    void anUnreadableAnswerFailsEveryRowWithOneReason() {
        AnswerChecker.Verdict v = AnswerChecker.allFailed(ASKED.subList(0, 2), "the answer holds no JSON: no");
        assertEquals(List.of(), v.good());
        assertEquals(Map.of(0, "the answer holds no JSON: no", 1, "the answer holds no JSON: no"), v.bad());
    }
}
