package dev.notebench.associations.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.associations.Extraction;
import dev.notebench.display.Html;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class AssociationMagicsTest {
    @TempDir
    Path tmp;

    @Test
    void theMagicShowsCountsTheAssociationsAndTheGraph() throws IOException {
        RecordingContext context = new RecordingContext();
        Path text = Files.writeString(tmp.resolve("t.txt"), "Fruits such as apples and pears.\nSmoking causes cancer.\n");
        Extraction x = new AssociationMagics(context).associations(List.of("--input", text.toString(), "--cooccurrence",
                "--min-count", "1"));
        assertEquals(3, x.associations().size());
        assertTrue(((Html) context.shown.get(1)).text().startsWith("2 concepts, 2 sentences: 3 associations"), context.shownText()
                .toString());
        Table counts = (Table) context.shown.get(2);
        assertEquals(List.of("causes", "is-a"), counts.stringColumn("relation").asList());
        MagicUsageException e = assertThrows(MagicUsageException.class,
                () -> new AssociationMagics(context).associations(List.of("--input", text.toString(), "--columns", "x")));
        assertTrue(e.getMessage().contains("unknown option --columns"), e.getMessage());

        Table notes = Table.create("notes", StringColumn.create("note", List.of("Drought resulted in famine.", "Nothing here.")));
        context.evaluator(code -> code.equals("notes") ? notes : "a string");
        Extraction fromTable = new AssociationMagics(context).associations(List.of("--table", "notes", "--column", "note"));
        assertEquals(List.of("Drought | causes | famine"), fromTable.associations().stream()
                .map(a -> a.source() + " | " + a.relation() + " | " + a.target()).toList());
        String noColumn = assertThrows(MagicUsageException.class,
                () -> new AssociationMagics(context).associations(List.of("--table", "notes"))).getMessage();
        assertTrue(noColumn.contains("name the table's column holding the concepts: --column NAME; its columns are [note]"), noColumn);
        String notTable = assertThrows(MagicUsageException.class,
                () -> new AssociationMagics(context).associations(List.of("--table", "other", "--column", "x"))).getMessage();
        assertTrue(notTable.contains("other is a String, not a Table"), notTable);
    }
}
