package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A row's confidence goes from the answer through the journal to the optional enrich_confidence column. */
class ConfidenceColumnTest {
    private static final OutputSchema SCHEMA = OutputSchema.singleLabel("label", List.of("spam", "ham"));

    @Test
    void theCheckerKeepsAConfidenceFromZeroToOneAndIgnoresAnyOther() {
        List<Item> asked = List.of(new Item(0, "a"), new Item(1, "b"), new Item(2, "c"), new Item(3, "d"));
        List<JsonObject> rows = new ArrayList<>();
        for (String r : List.of("{\"id\": 0, \"label\": \"spam\", \"_confidence\": 0.875}", "{\"id\": 1, \"label\": \"ham\"}",
                "{\"id\": 2, \"label\": \"ham\", \"_confidence\": 1.5}", "{\"id\": 3, \"label\": \"ham\", \"_confidence\": \"high\"}")) {
            rows.add(JsonParser.parseString(r).getAsJsonObject());
        }
        AnswerChecker.Verdict v = new AnswerChecker(SCHEMA).check(asked, new Answer(rows, 0, 0, false, false, null));
        assertEquals(List.of(new Journal.Settled(0, List.of("spam"), null, 0.875), new Journal.Settled(1, List.of("ham"), null),
                new Journal.Settled(2, List.of("ham"), null), new Journal.Settled(3, List.of("ham"), null)), v.good());
    }

    @Test
    void theColumnIsAddedOnlyWhenAskedEmptyWhereThereIsNoConfidence() {
        Table input = Table.create("mail", StringColumn.create("subject", "win money", "lunch?", "hi", "re: x"));
        Journal.Settled[] settled = {new Journal.Settled(0, List.of("spam"), null, 0.9), new Journal.Settled(1, List.of("ham"), null),
            new Journal.Settled(2, null, "failed after 3 attempts: missing from the answer"), null};
        Table with = new ResultTables(SCHEMA, true).enriched(input, settled);
        assertEquals(List.of("subject", "label", Enricher.CONFIDENCE_COLUMN, Enricher.ERROR_COLUMN), with.columnNames());
        assertEquals(0.9, with.doubleColumn(Enricher.CONFIDENCE_COLUMN).getDouble(0), 0);
        assertEquals(3, with.doubleColumn(Enricher.CONFIDENCE_COLUMN).countMissing());
        assertEquals(List.of("subject", "label", Enricher.ERROR_COLUMN), new ResultTables(SCHEMA).enriched(input, settled).columnNames());
    }

    @Test
    void confidencesAreShownToFourPlacesAndWrittenWithEveryDigit(@TempDir Path tmp) {
        Table input = Table.create("mail", StringColumn.create("subject", "win money"));
        Journal.Settled[] settled = {new Journal.Settled(0, List.of("spam"), null, 0.5980337786585299)};
        Table with = new ResultTables(SCHEMA, true).enriched(input, settled);
        assertEquals("0.5980", with.doubleColumn(Enricher.CONFIDENCE_COLUMN).getString(0));
        dev.notebench.tables.CsvTables.write(with, tmp.resolve("out.csv"));
        assertEquals("0.5980337786585299", dev.notebench.tables.CsvTables.read(tmp.resolve("out.csv"))
                .getString(0, Enricher.CONFIDENCE_COLUMN));
    }

    @Test
    void confidencesAreJournalledAndAJournalWrittenBeforeThemStillResumes(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("out.csv.journal.jsonl");
        try (Journal j = Journal.open(file, Journal.Mode.NEW, "fp", 3, SCHEMA)) {
            j.append(List.of(new Journal.Settled(0, List.of("spam"), null, 0.75), new Journal.Settled(1, List.of("ham"), null)));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("{\"done\":[[0,[\"spam\"],0.75],[1,[\"ham\"]]]}", lines.get(1));
        // a line as journals were written before confidences: [row, [values]] only
        Files.writeString(file, "{\"done\":[[2,[\"ham\"]]]}\n", java.nio.file.StandardOpenOption.APPEND);
        try (Journal j = Journal.open(file, Journal.Mode.RESUME, "fp", 3, SCHEMA)) {
            assertEquals(List.of(new Journal.Settled(0, List.of("spam"), null, 0.75), new Journal.Settled(1, List.of("ham"), null),
                    new Journal.Settled(2, List.of("ham"), null)), new ArrayList<>(j.restored().values()));
        }
        Files.writeString(file, "{\"done\":[[2,[\"ham\"],7]]}\n", java.nio.file.StandardOpenOption.APPEND);
        NotebenchException bad = assertThrows(NotebenchException.class, () -> Journal.open(file, Journal.Mode.RESUME, "fp", 3, SCHEMA));
        assertEquals("line 4 of the journal " + file + " does not fit this job: a confidence is 7, not a number from 0 to 1. The"
                + " journal was edited or damaged: correct or delete that line (its rows are then asked again) and --resume, or start"
                + " over with --fresh", bad.getMessage());
    }
}
