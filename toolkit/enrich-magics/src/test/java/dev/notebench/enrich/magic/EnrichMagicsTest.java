package dev.notebench.enrich.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.display.Html;
import dev.notebench.enrich.EnrichJob;
import dev.notebench.enrich.Enricher;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.RecordingContext;
import dev.notebench.tables.CsvTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class EnrichMagicsTest {
    @TempDir
    Path tmp;
    private final RecordingContext context = new RecordingContext();

    private EnrichMagics magics() {
        return new EnrichMagics(context, Map.of(), tmp.resolve("home"));
    }

    /** 30 spam and 30 ham subjects from the shipped sample. */
    private Path sample() throws IOException {
        Table all = CsvTables.read(Path.of("../../datasets/spam/spamassassin-subjects.csv"));
        Table spam = all.where(all.stringColumn("label").isEqualTo("spam")).first(30);
        Table ham = all.where(all.stringColumn("label").isEqualTo("ham")).first(30);
        Path in = tmp.resolve("mail.csv");
        CsvTables.write(spam.append(ham), in);
        return in;
    }

    /** Labels the sample offline with the embedded labeler (5 examples per label from its label column) into labelled.csv. */
    private Path labelOffline(String... more) throws IOException {
        Path in = sample();
        Path out = tmp.resolve("labelled.csv");
        List<String> args = new ArrayList<>(List.of("--input", in.toString(), "--text", "subject", "--labels", "spam,ham", "--single",
                "--examples-column", "label", "--examples-per-label", "5", "--out", out.toString(),
                "--embedding-cache", tmp.resolve("emb.sqlite").toString(), "--no-cache"));
        args.addAll(List.of(more));
        magics().enrich(args, "spam: unsolicited bulk email: advertising, offers, money, scams\nham: an ordinary email");
        return out;
    }

    @Test
    void aDryRunShowsTheEstimateAndThePromptAndWritesNothing() throws IOException {
        Path in = sample();
        Path out = tmp.resolve("labelled.csv");
        magics().enrich(List.of("--input", in.toString(), "--text", "subject", "--labels", "spam,ham", "--single", "--out",
                out.toString(), "--base-url", "http://127.0.0.1:9/v1", "--model", "gpt-4o-mini", "--price-in", "0.15",
                "--price-out", "0.6", "--dry-run"), "Is this e-mail subject spam?");
        Table estimate = (Table) context.shown.get(0);
        assertEquals("dry run: nothing sent", estimate.name());
        assertEquals(List.of("openai: gpt-4o-mini", "60", "6"), estimate.stringColumn("value").asList().subList(0, 3));
        String prompt = context.shownText().get(context.shownText().size() - 1);
        assertTrue(prompt.startsWith("The first call's request (messages and response_format; headers and the key are never"
                + " shown):\n{\n  \"messages\": ["), prompt);
        assertTrue(prompt.contains("Is this e-mail subject spam?"), prompt);
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(EnrichJob.journalOf(out)));
    }

    @Test
    void aBatchApiDryRunShowsTheJobsFirstJsonlLine() throws IOException {
        Path out = tmp.resolve("labelled.csv");
        magics().enrich(List.of("--input", sample().toString(), "--text", "subject", "--labels", "spam,ham", "--single", "--out",
                out.toString(), "--base-url", "http://127.0.0.1:9/v1", "--model", "gpt-4o-mini", "--batch-api", "--dry-run"),
                "Is this e-mail subject spam?");
        Table estimate = (Table) context.shown.get(0);
        assertEquals(List.of("openai: gpt-4o-mini (batch API)", "60", "6"), estimate.stringColumn("value").asList().subList(0, 3));
        String prompt = context.shownText().get(context.shownText().size() - 1);
        assertTrue(prompt.startsWith("The first of the batch job's 6 JSONL lines, as uploaded (headers and the key are never in"
                + " it):\n{\"custom_id\":\"rows-0\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{"), prompt);
        assertFalse(Files.exists(out));
    }

    @Test
    void aSampleShowsItsRowsWithTheirAnswersAndTheEstimateForTheRest() throws IOException {
        Path out = labelOffline("--sample", "6");
        Table shown = (Table) context.shown.stream().filter(o -> o instanceof Table t && t.name().startsWith("sample: "))
                .findFirst().orElseThrow();
        assertEquals("sample: 6 of 60 rows (--seed 42)", shown.name());
        assertEquals(List.of("subject", "predicted", Enricher.ERROR_COLUMN), shown.columnNames());
        assertEquals(6, shown.rowCount());
        assertTrue(context.shownText().stream().anyMatch(s -> s.endsWith("to label the other 54 rows (they are not asked again), run"
                + " the same cell with --resume in place of --sample 6")), context.shownText().toString());
        assertFalse(Files.exists(out));
        assertTrue(Files.exists(EnrichJob.journalOf(out)));
    }

    @Test
    void enrichLabelsACsvOfflineShowsTheSummaryAndWritesTheOutput() throws IOException {
        Path out = labelOffline();
        Table t = CsvTables.read(out);
        assertEquals(List.of("id", "subject", "label", "group", "predicted", Enricher.ERROR_COLUMN), t.columnNames());
        assertEquals(60, t.rowCount());
        assertTrue(t.stringColumn("predicted").asList().stream().allMatch(v -> v.equals("spam") || v.equals("ham")));
        assertTrue(t.stringColumn(Enricher.ERROR_COLUMN).asList().stream().allMatch(String::isEmpty));
        assertTrue(Files.exists(EnrichJob.journalOf(out)));
        List<String> text = context.shownText();
        assertTrue(text.stream().anyMatch(s -> s.startsWith("60 of 60 rows labelled, 0 failed; written to " + out)), text.toString());
        Table overview = (Table) context.shown.stream().filter(o -> o instanceof Table t2 && t2.name().equals("enrichment summary"))
                .findFirst().orElseThrow();
        assertEquals("60", overview.getString(0, "value"));
        Table labels = (Table) context.shown.stream().filter(o -> o instanceof Table t2 && t2.name().equals("labels"))
                .findFirst().orElseThrow();
        assertEquals(60, labels.intColumn("rows").sum(), 0);
        String bar = ((Html) context.updates.get(context.updates.size() - 1)).text();
        assertTrue(bar.startsWith("enriching: 100% (60 of 60 rows"), bar);

        NotebenchExceptionCheck.rerunWithoutResumeIsRefused(magics(), tmp.resolve("mail.csv"), out, tmp);
        context.shown.clear();
        labelOffline("--resume");
        assertTrue(context.shownText().stream().anyMatch(s -> s.startsWith("60 of 60 rows labelled, 0 failed, 60 resumed")),
                context.shownText().toString());
    }

    @Test
    void goldShowsTheScoresAndTheConfusionMatrixAsAHeatmapOfItsCounts() throws IOException {
        Path in = sample();
        magics().enrich(List.of("--input", in.toString(), "--text", "subject", "--labels", "spam,ham", "--single",
                "--examples-column", "label", "--examples-per-label", "5", "--gold", "label", "--out", tmp.resolve("g.csv").toString(),
                "--embedding-cache", tmp.resolve("emb.sqlite").toString(), "--no-cache"),
                "spam: unsolicited bulk email: advertising, offers, money, scams\nham: an ordinary email");
        Table overview = shown("gold: overview");
        assertEquals(List.of("50", "0", "10", "50", "0", "1.0000"), overview.stringColumn("value").asList().subList(0, 6));
        assertEquals(List.of("spam", "ham", "macro avg", "weighted avg"), shown("gold: per label").stringColumn("label").asList());
        Table confusion = shown("gold: confusion matrix");
        assertEquals(50, confusion.intColumn("spam").sum() + confusion.intColumn("ham").sum(), 0);
        dev.notebench.plots.PlotlyFigure heatmap = context.shown.stream().filter(o -> o instanceof dev.notebench.plots.PlotlyFigure)
                .map(o -> (dev.notebench.plots.PlotlyFigure) o).findFirst().orElseThrow();
        assertEquals(EnrichMagics.confusionHeatmap(confusion).data(), heatmap.data());
        assertTrue(heatmap.data().contains("\"text\":[[\"" + confusion.intColumn("spam").get(0) + "\",\""
                + confusion.intColumn("ham").get(0) + "\",\"0\"],[\"" + confusion.intColumn("spam").get(1) + "\",\""
                + confusion.intColumn("ham").get(1) + "\",\"0\"]]"), heatmap.data());
    }

    private Table shown(String name) {
        return (Table) context.shown.stream().filter(o -> o instanceof Table t && t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not shown: " + context.shownText()));
    }

    /** Checks on a second run over the same output. */
    static final class NotebenchExceptionCheck {
        static void rerunWithoutResumeIsRefused(EnrichMagics m, Path in, Path out, Path tmp) {
            dev.notebench.NotebenchException e = assertThrows(dev.notebench.NotebenchException.class, () -> m.enrich(List.of(
                    "--input", in.toString(), "--text", "subject", "--labels", "spam,ham", "--single", "--out", out.toString(),
                    "--embedding-cache", tmp.resolve("emb.sqlite").toString(), "--no-cache"), ""));
            assertTrue(e.getMessage().contains("resume it (--resume: finished rows are not asked again) or start over (--fresh)"),
                    e.getMessage());
        }
    }

    @Test
    void wrongArgumentsAreOneUsageErrorAndNothingIsWritten() throws IOException {
        Path in = sample();
        String before = Files.readString(in);
        List<List<String>> wrong = List.of(
                List.of("--input", in.toString(), "--text", "subject", "--labels", "a,b"),
                List.of("--input", in.toString(), "--out", "x.csv", "--labels", "a,b"),
                List.of("--input", in.toString(), "--out", "x.csv", "--text", "subject", "--labels", "a", "--batch", "0"),
                List.of("--input", in.toString(), "--out", "x.csv", "--text", "subject", "--labelz", "a"));
        List<String> messages = new ArrayList<>();
        for (List<String> args : wrong) {
            messages.add(assertThrows(MagicUsageException.class, () -> magics().enrich(args, "")).getMessage());
        }
        assertTrue(messages.get(0).contains("give the input CSV and the output file: --input FILE.csv --out FILE.csv"), messages.get(0));
        assertTrue(messages.get(1).contains("give the text column (--text COLUMN) or a --template"), messages.get(1));
        assertTrue(messages.get(2).contains("--batch 0 is out of range; give a number from 1 to 10000"), messages.get(2));
        assertTrue(messages.get(3).contains("unknown option --labelz"), messages.get(3));
        dev.notebench.NotebenchException same = assertThrows(dev.notebench.NotebenchException.class, () -> magics().enrich(List.of(
                "--input", in.toString(), "--out", in.toString(), "--text", "subject", "--labels", "a,b", "--no-cache"), ""));
        assertTrue(same.getMessage().contains("; writing it would destroy the input: give --out another path"), same.getMessage());
        dev.notebench.NotebenchException column = assertThrows(dev.notebench.NotebenchException.class, () -> magics().enrich(
                List.of("--input", in.toString(), "--out", tmp.resolve("o.csv").toString(), "--text", "body", "--labels", "a,b",
                        "--no-cache"), ""));
        assertEquals("the table mail.csv has no column 'body'; its columns are [id, subject, label, group]", column.getMessage());
        dev.notebench.NotebenchException model = assertThrows(dev.notebench.NotebenchException.class, () -> magics().enrich(
                List.of("--input", in.toString(), "--out", tmp.resolve("o.csv").toString(), "--text", "subject", "--labels", "a,b",
                        "--provider", "local", "--model", "all-minilm-l6-v2+bge-large", "--no-cache"), ""));
        assertEquals("no local embedding model 'bge-large'; use one of all-minilm-l6-v2, bge-small-en-v1.5", model.getMessage());
        assertEquals(before, Files.readString(in));
        assertFalse(Files.exists(tmp.resolve("o.csv")));
    }

    @Test
    void aTableVariableOfTheNotebookCanBeEnrichedInsteadOfAFile() throws IOException {
        Table mail = CsvTables.read(sample());
        context.evaluator(code -> switch (code) {
            case "mail" -> mail;
            case "word" -> "not a table";
            default -> throw new IllegalStateException("cannot find symbol " + code);
        });
        Path out = tmp.resolve("from-table.csv");
        magics().enrich(List.of("--table", "mail", "--text", "subject", "--labels", "spam,ham", "--single", "--out", out.toString(),
                "--embedding-cache", tmp.resolve("emb.sqlite").toString(), "--no-cache"), "spam: Make money fast!\nham: Re: a patch");
        assertEquals(60, CsvTables.read(out).rowCount());
        assertEquals(4, mail.columnCount(), "the notebook's table is not modified");
        String wrong = assertThrows(MagicUsageException.class, () -> magics().enrich(List.of("--table", "word", "--text", "subject",
                "--labels", "a,b", "--out", out.toString()), "")).getMessage();
        assertTrue(wrong.contains("word is a String, not a Table"), wrong);
        String missing = assertThrows(MagicUsageException.class, () -> magics().enrich(List.of("--table", "nope", "--text", "subject",
                "--labels", "a,b", "--out", out.toString()), "")).getMessage();
        assertTrue(missing.contains("no variable nope in this notebook (cannot find symbol nope)"), missing);
        String both = assertThrows(MagicUsageException.class, () -> magics().enrich(List.of("--table", "mail", "--input", "x.csv",
                "--text", "subject", "--labels", "a,b", "--out", out.toString()), "")).getMessage();
        assertTrue(both.contains("give --input FILE.csv or a table, not both"), both);
    }

    @Test
    void helpListsEveryOption() {
        magics().enrich(List.of("--help"), "");
        String help = context.shownText().get(0);
        assertTrue(help.contains("--examples-column COLUMN"), help);
        assertTrue(help.contains("--key-env VAR"), help);
    }
}
