package dev.notebench.enrich.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.EnrichJob;
import dev.notebench.enrich.FakeChatServer;
import dev.notebench.enrich.Item;
import dev.notebench.magics.RecordingContext;
import dev.notebench.tables.CsvTables;
import dev.notebench.widgets.Button;
import dev.notebench.widgets.Widget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** %%enrich's Stop button, where the front end draws widgets: the journal keeps what was asked, --resume finishes. */
class EnrichStopTest {
    @TempDir
    Path tmp;

    private static JsonObject spamIfDollar(Item row) {
        JsonObject o = new JsonObject();
        o.addProperty("predicted", row.text().contains("$") ? "spam" : "ham");
        return o;
    }

    private List<String> args(FakeChatServer server, Path out, String... more) throws IOException {
        Path in = tmp.resolve("mail.csv");
        CsvTables.write(Table.create("mail", StringColumn.create("subject", List.of("Win $5", "Lunch?", "Win $9", "Patch 2"))), in);
        List<String> args = new ArrayList<>(List.of("--input", in.toString(), "--text", "subject", "--labels", "spam,ham", "--single",
                "--out", out.toString(), "--base-url", server.baseUrl(), "--model", "fake-model", "--no-cache", "--workers", "1",
                "--batch", "1"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void stopLetsTheCallInFlightFinishAndResumeAsksOnlyTheRest() throws IOException {
        RecordingContext notebook = new RecordingContext().withWidgets();
        Path out = tmp.resolve("labelled.csv");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // the server's address is part of the job: the resume uses the same
        }
        try (FakeChatServer server = FakeChatServer.builder(EnrichStopTest::spamIfDollar).port(port).script(c -> {
            notebook.shown(Button.class).get(0).click(); // a person clicks Stop while the first row is asked
            return new FakeChatServer.Reply();
        }).start()) {
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> new EnrichMagics(notebook, Map.of(), tmp).enrich(args(server, out), "Spam or ham?"));
            assertEquals(ErrorCode.CANCELLED, e.code());
            assertEquals("enrichment stopped with 1 of 4 rows settled; they are journalled in " + EnrichJob.journalOf(out)
                    + ": run again with --resume to finish", e.getMessage());
            assertEquals(1, server.calls().size(), "no call after the click");
            Button stop = notebook.shown(Button.class).get(0);
            assertEquals(List.of("Stopping…", true, List.of("notebench-enrich-stop")),
                    List.of(stop.description(), stop.disabled(), stop.state().get("_dom_classes")));
            assertTrue(stop.isClosed(), "closed when the job ended");
        }
        try (FakeChatServer server = FakeChatServer.builder(EnrichStopTest::spamIfDollar).port(port).start()) {
            RecordingContext again = new RecordingContext();
            new EnrichMagics(again, Map.of(), tmp).enrich(args(server, out, "--resume"), "Spam or ham?");
            assertEquals(3, server.calls().size(), "the 3 rows not settled, one a call");
            assertTrue(again.shownText().stream().anyMatch(t -> t.startsWith("4 of 4 rows labelled, 0 failed")),
                    again.shownText().toString());
            assertEquals(List.of(), again.shown(Widget.class), "no widgets where the front end draws none");
        }
        assertEquals(List.of("spam", "ham", "spam", "ham"), Table.read().csv(out.toFile()).stringColumn("predicted").asList());
        assertTrue(Files.exists(EnrichJob.journalOf(out)));
    }
}
