package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ResultTablesTest {
    private static final Table INPUT = Table.create("mail", StringColumn.create("subject", "win money", "lunch?", "hi", "re: x"));
    private static final List<Item> ITEMS = List.of(new Item(0, "win money"), new Item(1, "lunch?"), new Item(2, "hi"),
            new Item(3, "re: x"));

    private static Journal.Settled[] settled() {
        return new Journal.Settled[] {new Journal.Settled(0, List.of("spam"), null), new Journal.Settled(1, List.of("ham"), null),
            new Journal.Settled(2, null, "failed after 3 attempts: missing from the answer"), null};
    }

    @Test
    void theEnrichedTableAddsTheFieldsAndTheReasonsAndLeavesTheInputAlone() {
        Table out = new ResultTables(OutputSchema.singleLabel("label", List.of("spam", "ham"))).enriched(INPUT, settled());
        assertEquals(List.of("subject", "label", "enrich_error"), out.columnNames());
        assertEquals(List.of("spam", "ham", "", ""), out.stringColumn("label").asList());
        assertEquals(List.of("", "", "failed after 3 attempts: missing from the answer", "not done (resume to finish)"),
                out.stringColumn(Enricher.ERROR_COLUMN).asList());
        assertEquals(1, INPUT.columnCount());
    }

    @Test
    void labelCountsShareTheLabelledRowsInTheSchemasOrder() {
        Journal.Settled[] s = settled();
        s[3] = new Journal.Settled(3, List.of("ham"), null);
        Table counts = new ResultTables(OutputSchema.singleLabel("label", List.of("spam", "ham", "other"))).labelCounts(s);
        assertEquals(List.of("spam", "ham", "other"), counts.stringColumn("label").asList());
        assertEquals(List.of(1, 2, 0), counts.intColumn("rows").asList());
        assertEquals(List.of(0.3333, 0.6667, 0.0), counts.doubleColumn("share").asList());
        Table multi = new ResultTables(OutputSchema.multiLabel(List.of("a", "b"))).labelCounts(new Journal.Settled[] {
            new Journal.Settled(0, List.of(true, true), null), new Journal.Settled(1, List.of(false, true), null)});
        assertEquals(List.of(1, 2), multi.intColumn("rows").asList());
        assertEquals(0, new ResultTables(OutputSchema.fields(List.of(Field.of("n", Field.Type.NUMBER, "a number"))))
                .labelCounts(settled()).rowCount());
    }

    @Test
    void theFailuresTableHasEachFailedRowsTextAndReason() {
        Table failures = new ResultTables(OutputSchema.singleLabel("label", List.of("spam", "ham"))).failures(settled(), ITEMS);
        assertEquals("failed rows", failures.name());
        assertEquals(List.of("2"), failures.stringColumn("row").asList());
        assertEquals(List.of("hi"), failures.stringColumn("text").asList());
        assertEquals(List.of("failed after 3 attempts: missing from the answer"), failures.stringColumn("reason").asList());
    }
}
