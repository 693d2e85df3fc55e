package dev.notebench.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class CsvTablesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void valuesComeBackExactlyAsWrittenQuotesCommasAndLineBreaksIncluded() throws IOException {
        Path in = write("in.csv", "id,subject,n\r\nspam-2/00061,\"Win, now\",007\n"
                + "x,\"say \"\"hi\"\"\nthere\",\n\n");
        Table t = CsvTables.read(in);
        assertEquals(List.of("id", "subject", "n"), t.columnNames());
        assertEquals(2, t.rowCount());
        assertEquals("Win, now", t.getString(0, "subject"));
        assertEquals("007", t.getString(0, "n"));
        assertEquals("say \"hi\"\nthere", t.getString(1, "subject"));
        assertEquals("", t.getString(1, "n"));
        Path out = dir.resolve("out/again.csv");
        CsvTables.write(t, out);
        Table back = CsvTables.read(out);
        assertEquals(t.print(), back.setName("in.csv").print());
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsIsRefusedWithItsLine() throws IOException {
        Path in = write("bad.csv", "a,b\n1,2\n\"multi\nline\",3\n4,5,6\n");
        NotebenchException e = assertThrows(NotebenchException.class, () -> CsvTables.read(in));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals(in + ": line 5 has 3 fields, the header has 2; quote fields that contain commas, quotes or line breaks"
                + " (\"a, b\", \"say \"\"hi\"\"\")", e.getMessage());
    }

    @Test
    void anUnclosedQuoteNamesTheLineItOpensOn() throws IOException {
        Path in = write("q.csv", "a,b\n1,2\n3,\"oops\n4,5\n");
        NotebenchException e = assertThrows(NotebenchException.class, () -> CsvTables.read(in));
        assertEquals(in + ": the quote opened on line 3 is never closed; close it, or write a quote inside a quoted field as two"
                + " quotes", e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8NamesTheLineAndHowToConvertIt() throws IOException {
        Path in = dir.resolve("latin.csv");
        Files.write(in, new byte[] {'a', '\n', 'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        NotebenchException e = assertThrows(NotebenchException.class, () -> CsvTables.read(in));
        assertEquals("the CSV file " + in + " is not UTF-8: byte 8 (line 3) is not valid UTF-8; convert it, e.g. iconv -f cp1252 -t utf-8",
                e.getMessage());
    }

    @Test
    void emptyFilesMissingFilesAndRepeatedColumnNamesAreRefused() throws IOException {
        Path empty = write("empty.csv", "\n");
        assertEquals(empty + " is empty; give a CSV file with a header line and rows",
                assertThrows(NotebenchException.class, () -> CsvTables.read(empty)).getMessage());
        assertEquals(ErrorCode.DATA_NOT_FOUND,
                assertThrows(NotebenchException.class, () -> CsvTables.read(dir.resolve("nope.csv"))).code());
        Path twice = write("twice.csv", "a,a\n1,2\n");
        assertEquals("the header of " + twice + " has the column name 'a' twice; every column needs its own name",
                assertThrows(NotebenchException.class, () -> CsvTables.read(twice)).getMessage());
    }

    @Test
    void aHeaderOnlyFileIsATableWithoutRows() throws IOException {
        assertEquals(0, CsvTables.read(write("h.csv", "a,b\n")).rowCount());
    }
}
