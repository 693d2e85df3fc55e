package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.tables.CsvTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** {@code notebench enrich --gold label} offline (the embedded labeler) on a slice of the SpamAssassin subjects. */
class EnrichGoldCommandTest {
    @TempDir
    Path tmp;

    private record Result(int status, String out, String err) {
    }

    private static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Notebench.run(args.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    /** 20 spam and 20 ham subjects to label, and 5 of each others as examples (columns text, label). */
    private Path[] slice() {
        Table all = CsvTables.read(Path.of("../datasets/spam/spamassassin-subjects.csv"));
        Table spam = all.where(all.stringColumn("label").isEqualTo("spam"));
        Table ham = all.where(all.stringColumn("label").isEqualTo("ham"));
        Path in = tmp.resolve("mail.csv");
        CsvTables.write(spam.first(20).append(ham.first(20)), in);
        Table examples = spam.inRange(100, 105).append(ham.inRange(100, 105)).selectColumns("subject", "label");
        examples.column("subject").setName("text");
        Path ex = tmp.resolve("examples.csv");
        CsvTables.write(examples, ex);
        return new Path[] {in, ex};
    }

    private List<String> args(Path in, Path examples, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("enrich", "--input", in.toString(), "--text", "subject", "--labels",
                "spam,ham", "--single", "--examples", examples.toString(), "--out", tmp.resolve("out.csv").toString(),
                "--embedding-cache", tmp.resolve("emb.sqlite").toString(), "--no-cache", "--fresh"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void goldLabelPrintsTheScoresOfTheOfflineLabelerAfterTheSummary() {
        Path[] files = slice();
        Result r = run(args(files[0], files[1], "--gold", "label", "--confidence"));
        assertEquals(0, r.status(), r.out() + r.err());
        Table out = CsvTables.read(tmp.resolve("out.csv"));
        assertEquals(List.of("id", "subject", "label", "group", "predicted", "enrich_confidence", "enrich_error"), out.columnNames());
        // two labels: the chosen one is at least as likely as the other
        assertTrue(out.stringColumn("enrich_confidence").asList().stream().mapToDouble(Double::parseDouble)
                .allMatch(c -> c >= 0.5 && c <= 1), out.stringColumn("enrich_confidence").print());
        int right = 0;
        int[][] confusion = new int[2][2];
        List<String> labels = List.of("spam", "ham");
        for (int i = 0; i < out.rowCount(); i++) {
            int g = labels.indexOf(out.getString(i, "label"));
            int p = labels.indexOf(out.getString(i, "predicted"));
            confusion[g][p]++;
            right += g == p ? 1 : 0;
        }
        String o = r.out();
        int summary = o.indexOf("enrichment summary");
        int overview = o.indexOf("gold: overview");
        assertTrue(summary >= 0 && overview > summary, o);
        assertTrue(o.indexOf("gold: per label") > overview && o.indexOf("gold: confusion matrix") > o.indexOf("gold: per label"), o);
        assertTrue(o.matches("(?s).*rows scored\\s+\\|\\s+40\\s.*"), o);
        assertTrue(o.matches("(?s).*coverage \\(labelled / scored\\)\\s+\\|\\s+1\\.0000\\s.*"), o);
        String accuracy = String.format(Locale.ROOT, "%.4f", right / 40.0);
        assertTrue(o.matches("(?s).*accuracy \\(over labelled rows\\)\\s+\\|\\s+" + accuracy.replace(".", "\\.") + "\\s.*"), o);
        for (int g = 0; g < 2; g++) {
            String line = "\\s+" + labels.get(g) + "\\s+\\|\\s+" + confusion[g][0] + "\\s+\\|\\s+" + confusion[g][1] + "\\s+\\|\\s+0\\s";
            assertTrue(o.matches("(?s).*" + line + ".*"), "confusion row " + labels.get(g) + " " + confusion[g][0] + "/"
                    + confusion[g][1] + " in " + o);
        }
    }

    @Test
    void aGoldColumnThatIsMissingOrSentToTheModelIsRefusedBeforeAnyRowIsLabelled() {
        Path[] files = slice();
        Result missing = run(args(files[0], files[1], "--gold", "truth"));
        assertEquals(1, missing.status(), missing.out() + missing.err());
        assertTrue(missing.err().contains("--gold: the table has no column 'truth'; its columns are [id, subject, label, group]"),
                missing.err());
        Result sent = run(args(files[0], files[1], "--gold", "subject"));
        assertEquals(1, sent.status(), sent.out() + sent.err());
        assertTrue(sent.err().contains("--gold subject is also sent to the model (--text/--template [subject]): the model would read"
                + " the answer it is scored against; send other columns or name another gold column"), sent.err());
        assertEquals(false, tmp.resolve("out.csv").toFile().exists());
    }
}
