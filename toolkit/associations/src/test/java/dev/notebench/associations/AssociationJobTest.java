package dev.notebench.associations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.NotebenchException;
import dev.notebench.progress.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class AssociationJobTest {
    @TempDir
    Path tmp;

    @Test
    void aCsvColumnIsReadAndEveryOutputWritten() throws IOException {
        Path csv = Files.writeString(tmp.resolve("notes.csv"), "id,text\n1,Smoking causes cancer.\n2,\"Cats, dogs and other pets.\"\n");
        AssociationJob.Result r = AssociationJob.parse(List.of("--input", csv.toString(), "--column", "text", "--out",
                tmp.resolve("a.csv").toString(), "--graphml", tmp.resolve("g.graphml").toString(), "--dot", tmp.resolve("g.dot")
                        .toString(), "--cooccurrence", "--min-count", "1", "--cooccurrence-out", tmp.resolve("c.csv").toString()))
                .run(Progress.NONE);
        assertEquals(List.of("Smoking | causes | cancer", "Cats | is-a | pets", "dogs | is-a | pets"),
                r.extraction().associations().stream().map(a -> a.source() + " | " + a.relation() + " | " + a.target()).toList());
        assertEquals(4, r.written().size());
        assertEquals(4, Files.readAllLines(tmp.resolve("a.csv")).size());
        assertTrue(Files.readString(tmp.resolve("g.dot")).contains("\"smoking\" -> \"cancer\" [label=\"causes (1)\"];"));
        assertTrue(Files.readString(tmp.resolve("c.csv")).startsWith("a,b,count,pmi,npmi\n"));
        assertTrue(AssociationJob.summary(r).startsWith("2 concepts, 2 sentences: 3 associations, 0 failed concepts, "),
                AssociationJob.summary(r));
    }

    @Test
    void anOutputThatNamesTheInputOrAnotherOutputIsRefusedAndNothingIsWritten() throws IOException {
        Path text = Files.writeString(tmp.resolve("T.txt"), "Smoking causes cancer.\n");
        Path csv = Files.writeString(tmp.resolve("notes.csv"), "id,text\n1,Smoking causes cancer.\n");
        String t = text.toString();
        String x = tmp.resolve("X").toString();
        String[][] cases = {
                {"--input", t, "--out", t},
                {"--input", t, "--graphml", t},
                {"--input", t, "--dot", tmp.resolve("sub/../T.txt").toString()},
                {"--input", t, "--cooccurrence-out", t},
                {"--input", csv.toString(), "--column", "text", "--out", csv.toString()},
                {"--input", t, "--out", x, "--graphml", x}};
        String[] messages = {
                "--out " + t + " is the same file as --input " + t + "; writing it would destroy the input: give --out another path",
                "--graphml " + t + " is the same file as --input " + t + "; writing it would destroy the input: give --graphml another path",
                "--dot " + tmp.resolve("sub/../T.txt") + " is the same file as --input " + t + "; writing it would destroy the input:"
                        + " give --dot another path",
                "--cooccurrence-out " + t + " is the same file as --input " + t + "; writing it would destroy the input: give"
                        + " --cooccurrence-out another path",
                "--out " + csv + " is the same file as --input " + csv + "; writing it would destroy the input: give --out another path",
                "--graphml " + x + " is the same file as --out " + x + "; one would overwrite the other: give them different paths"};
        for (int i = 0; i < cases.length; i++) {
            String[] c = cases[i];
            NotebenchException e = assertThrows(NotebenchException.class, () -> AssociationJob.parse(List.of(c)).run(Progress.NONE));
            assertEquals(messages[i], e.getMessage());
        }
        assertEquals("Smoking causes cancer.\n", Files.readString(text));
        assertEquals("id,text\n1,Smoking causes cancer.\n", Files.readString(csv));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("T.txt", "notes.csv"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void badInputIsOneClearError() throws IOException {
        Path csv = Files.writeString(tmp.resolve("notes.csv"), "id,text\n1,a\n");
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
        Path latin = tmp.resolve("latin.txt");
        Files.write(latin, "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Path patterns = Files.writeString(tmp.resolve("p.txt"), "is-a 0.9 {T} such as {S+}\nis-a 0.9 {T} such as\n");
        String[][] cases = {
                {"--column", "text"}, // no input
                {"--input", csv.toString()},
                {"--input", csv.toString(), "--column", "body"},
                {"--input", empty.toString()},
                {"--input", latin.toString()},
                {"--input", csv.toString(), "--column", "text", "--patterns", patterns.toString()},
                {"--input", csv.toString(), "--column", "text", "--window", "3"},
                {"--input", tmp.resolve("none.txt").toString()}};
        String[] messages = {
                "give the concepts: --input FILE (a text file, one concept a line, or a CSV file with --column NAME)",
                "name the CSV column holding the concepts: --column NAME; the columns of " + csv + " are [id, text]",
                "the table notes.csv has no column 'body'; its columns are [id, text]",
                empty + " holds no text; give one concept a line",
                "the input " + latin + " is not UTF-8: byte 3 (line 1) is not valid UTF-8; convert it, e.g. iconv -f cp1252 -t utf-8",
                patterns + ", line 2: a pattern needs one {S} and one {T} slot; '{T} such as' has 0 and 1",
                "--window, --min-count and --min-pmi go with --cooccurrence",
                "cannot read the input: " + tmp.resolve("none.txt") + " does not exist"};
        for (int i = 0; i < cases.length; i++) {
            String[] c = cases[i];
            NotebenchException e = assertThrows(NotebenchException.class, () -> AssociationJob.parse(List.of(c)).run(Progress.NONE));
            assertEquals(messages[i], e.getMessage());
        }
    }

    @Test
    void aColumnThatIsNotTextOrIsEmptyIsRefused() {
        Table t = Table.create("t", IntColumn.create("n", new int[] {1, 2}), StringColumn.create("s", List.of("", " ")));
        assertEquals("the column 'n' holds integer values, not text; give a text column",
                assertThrows(NotebenchException.class, () -> AssociationJob.concepts(t, "n")).getMessage());
        assertEquals("the column 's' of t is empty; nothing to extract from",
                assertThrows(NotebenchException.class, () -> AssociationJob.concepts(t, "s")).getMessage());
    }
}
