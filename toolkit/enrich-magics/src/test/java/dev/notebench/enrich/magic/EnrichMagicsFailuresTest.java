package dev.notebench.enrich.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.FakeChatServer;
import dev.notebench.enrich.Item;
import dev.notebench.magics.RecordingContext;
import dev.notebench.tables.CsvTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** %%enrich against a server that fails rows: the cell says so, and fails when no row was labelled. */
class EnrichMagicsFailuresTest {
    @TempDir
    Path tmp;
    private final RecordingContext context = new RecordingContext();

    private static JsonObject spamIfDollar(Item row) {
        JsonObject o = new JsonObject();
        o.addProperty("predicted", row.text().contains("$") ? "spam" : "ham");
        return o;
    }

    private List<String> args(FakeChatServer server, Path out) throws IOException {
        Path in = tmp.resolve("mail.csv");
        CsvTables.write(Table.create("mail", StringColumn.create("subject", List.of("Win $5", "Lunch?", "Win $9", "Patch 2"))), in);
        return List.of("--input", in.toString(), "--text", "subject", "--labels", "spam,ham", "--single", "--out", out.toString(),
                "--base-url", server.baseUrl(), "--model", "fake-model", "--no-cache", "--attempts", "1", "--workers", "1");
    }

    @Test
    void whenEveryRowFailsTheCellShowsTheSummaryThenFailsSayingWhyAndHowToResume() throws IOException {
        Path out = tmp.resolve("labelled.csv");
        try (FakeChatServer server = FakeChatServer.builder(EnrichMagicsFailuresTest::spamIfDollar)
                .script(c -> new FakeChatServer.Reply().raw(200, "text/html", "<html>Maintenance</html>")).start()) {
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> new EnrichMagics(context, Map.of(), tmp).enrich(args(server, out), "Spam or ham?"));
            assertEquals(ErrorCode.PROVIDER_FAILED, e.code());
            String advice = "every one of the 4 rows failed (failed after 1 attempt: the server's answer is not a chat completion:"
                    + " <html>Maintenance</html>); the reasons are in the enrich_error column of " + out + ". Fix the cause and run"
                    + " again with --resume to ask the failed rows again (--keep-failed keeps them)";
            assertEquals(advice, e.getMessage());
            List<String> shown = context.shownText();
            int headline = shown.indexOf("0 of 4 rows labelled, 4 failed; written to " + out);
            assertTrue(headline >= 0, shown.toString());
            assertEquals("Warning: " + advice, shown.get(headline + 1));
            assertTrue(context.shown.stream().anyMatch(o -> o instanceof Table t && t.name().equals("failed rows")
                    && t.rowCount() == 4), shown.toString());
        }
    }

    @Test
    void whenSomeRowsFailTheCellWarnsAndShowsTheTable() throws IOException {
        Path out = tmp.resolve("labelled.csv");
        JsonObject invalid = new JsonObject();
        invalid.addProperty("id", 1);
        invalid.addProperty("predicted", "eggs");
        try (FakeChatServer server = FakeChatServer.builder(EnrichMagicsFailuresTest::spamIfDollar)
                .script(c -> new FakeChatServer.Reply().replace(1, invalid)).start()) {
            new EnrichMagics(context, Map.of(), tmp).enrich(args(server, out), "Spam or ham?");
            List<String> shown = context.shownText();
            int headline = shown.indexOf("3 of 4 rows labelled, 1 failed; written to " + out);
            assertTrue(headline >= 0, shown.toString());
            assertEquals("Warning: 1 of 4 rows failed (failed after 1 attempt: field 'predicted' is 'eggs', not one of [spam, ham]);"
                    + " the reasons are in the enrich_error column of " + out + ". Fix the cause and run again with --resume to ask"
                    + " the failed rows again (--keep-failed keeps them)", shown.get(headline + 1));
            assertTrue(context.shown.stream().anyMatch(o -> o instanceof Table t && t.name().equals("mail.csv: 4 rows")),
                    shown.toString());
        }
    }
}
