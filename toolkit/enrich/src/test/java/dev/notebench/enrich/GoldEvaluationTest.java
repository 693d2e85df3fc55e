package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Scores checked by hand (scikit-learn's definitions: classification_report with labels=, hamming_loss, jaccard_score samples). */
class GoldEvaluationTest {
    private static final double EPS = 1e-12;

    private static EnrichResult result(Table t) {
        return new EnrichResult(t, null);
    }

    private static double[] column(Table t, String name) {
        return t.doubleColumn(name).asDoubleArray();
    }

    private static int[] ints(Table t, String name) {
        return t.intColumn(name).asIntArray();
    }

    @Test
    void oneLabelPerRowGivesExactPrecisionRecallF1AndConfusion() {
        Table t = Table.create("t",
                StringColumn.create("gold", "spam", "spam", "spam", "ham", "ham", "ham", "ham", "eggs", "", "spam"),
                StringColumn.create("predicted", "spam", "spam", "ham", "ham", "ham", "spam", "ham", "spam", "ham", ""),
                StringColumn.create(Enricher.ERROR_COLUMN, "", "", "", "", "", "", "", "", "", "missing from the answer"));
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("spam", "ham"));
        GoldEvaluation e = GoldEvaluation.of(result(t), schema, GoldColumns.parse("gold"), List.of());

        assertEquals(5.0 / 8, e.accuracy(), EPS);
        assertEquals(5.0 / 9, e.accuracyOverAll(), EPS);
        Table p = e.perLabel();
        assertEquals(List.of("spam", "ham", "macro avg", "weighted avg"), p.stringColumn("label").asList());
        assertArrayEquals(new double[] {0.5, 0.75, 0.625, 4.5 / 7}, column(p, "precision"), EPS);
        assertArrayEquals(new double[] {2.0 / 3, 0.75, (2.0 / 3 + 0.75) / 2, 5.0 / 7}, column(p, "recall"), EPS);
        assertArrayEquals(new double[] {4.0 / 7, 0.75, (4.0 / 7 + 0.75) / 2, 33.0 / 49}, column(p, "f1"), EPS);
        assertArrayEquals(new int[] {3, 4, 7, 7}, ints(p, "support"));

        Table c = e.confusion();
        assertEquals(List.of("gold \\ predicted", "spam", "ham", "failed"), c.columnNames());
        assertEquals(List.of("spam", "ham", "eggs"), c.stringColumn(0).asList());
        assertArrayEquals(new int[] {2, 1, 1}, ints(c, "spam"));
        assertArrayEquals(new int[] {1, 3, 0}, ints(c, "ham"));
        assertArrayEquals(new int[] {1, 0, 0}, ints(c, "failed"));

        Table o = e.overview();
        assertEquals(List.of("9", "1", "0", "8", "1", "0.8889", "0.6250", "0.5556", "eggs"), o.stringColumn("value").asList());
        assertEquals("accuracy over all scored rows (a failed row counts wrong)", o.stringColumn("measure").get(7));
    }

    @Test
    void rowsGivenAsExamplesAreNotScored() {
        Table t = Table.create("t", StringColumn.create("gold", "spam", "ham", "ham"),
                StringColumn.create("predicted", "spam", "spam", "ham"), StringColumn.create(Enricher.ERROR_COLUMN, "", "", ""));
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("spam", "ham"));
        GoldEvaluation e = GoldEvaluation.of(result(t), schema, GoldColumns.parse("gold"), List.of(1));
        assertEquals(1.0, e.accuracy(), EPS);
        assertEquals("1", e.overview().stringColumn("value").get(2));
    }

    @Test
    void severalLabelsPerRowAreScoredOnLabelSets() {
        Table t = Table.create("t",
                StringColumn.create("gold", "a;b", "b", ";", "c; x", "", "a"),
                BooleanColumn.create("a", new boolean[] {true, false, false, false, false, false}),
                BooleanColumn.create("b", new boolean[] {false, true, false, false, false, false}),
                BooleanColumn.create("c", new boolean[] {false, true, false, true, false, false}),
                StringColumn.create(Enricher.ERROR_COLUMN, "", "", "", "", "", "invalid"));
        OutputSchema schema = OutputSchema.multiLabel(List.of("a", "b", "c"));
        GoldEvaluation e = GoldEvaluation.of(result(t), schema, GoldColumns.parse("gold"), List.of());

        assertEquals(0.25, e.accuracy(), EPS);
        assertEquals(0.2, e.accuracyOverAll(), EPS);
        Table o = e.overview();
        assertEquals(List.of("5", "1", "0", "4", "1", "0.8000", "0.2500", "0.2000", "0.1667", "0.3750", "x"),
                o.stringColumn("value").asList());
        Table p = e.perLabel();
        assertEquals(List.of("a", "b", "c", "micro avg", "macro avg", "weighted avg"), p.stringColumn("label").asList());
        assertArrayEquals(new double[] {1, 1, 0.5, 0.75, 2.5 / 3, 0.875}, column(p, "precision"), EPS);
        assertArrayEquals(new double[] {1, 0.5, 1, 0.75, 2.5 / 3, 0.75}, column(p, "recall"), EPS);
        assertArrayEquals(new double[] {1, 2.0 / 3, 2.0 / 3, 0.75, 7.0 / 9, 0.75}, column(p, "f1"), EPS);
        assertArrayEquals(new int[] {1, 2, 1, 4, 4, 4}, ints(p, "support"));
        Table c = e.confusion();
        assertEquals(List.of("a", "b", "c", "x"), c.stringColumn(0).asList());
        assertArrayEquals(new int[] {1, 1, 0, 0}, ints(c, "a"));
        assertArrayEquals(new int[] {0, 1, 0, 0}, ints(c, "b"));
        assertArrayEquals(new int[] {0, 1, 1, 1}, ints(c, "c"));
        assertArrayEquals(new int[] {1, 0, 0, 0}, ints(c, "failed"));
    }

    @Test
    void schemaFieldsAreMatchedExactlyPerField() {
        Table t = Table.create("t",
                StringColumn.create("gold_sentiment", "pos", "neg", "pos", "", "neg"),
                StringColumn.create("gold_stars", "5", "1", "3", "2", "4"),
                StringColumn.create("gold_urgent", "TRUE", "false", "yes", "", "true"),
                StringColumn.create("sentiment", "pos", "neg", "neg", "pos", ""),
                LongColumn.create("stars", new long[] {5, 2, 3, 2, 0}),
                BooleanColumn.create("urgent", new boolean[] {true, false, true, false, false}),
                DoubleColumn.create("score", new double[] {0.1, 0.2, 0.3, 0.4, 0.5}),
                StringColumn.create(Enricher.ERROR_COLUMN, "", "", "", "", "missing from the answer"));
        t.longColumn("stars").setMissing(4);
        OutputSchema schema = OutputSchema.fields(List.of(Field.oneOf("sentiment", List.of("pos", "neg"), "tone"),
                Field.of("stars", Field.Type.INTEGER, "1 to 5"), Field.of("urgent", Field.Type.BOOLEAN, "urgent"),
                Field.of("score", Field.Type.NUMBER, "score")));
        GoldEvaluation e = GoldEvaluation.of(result(t), schema,
                GoldColumns.parse("stars=gold_stars, sentiment=gold_sentiment,urgent=gold_urgent"), List.of());
        Table f = e.fields();
        assertEquals(List.of("sentiment", "stars", "urgent"), f.stringColumn("field").asList());
        assertArrayEquals(new int[] {4, 5, 4}, ints(f, "scored"));
        assertArrayEquals(new int[] {3, 4, 3}, ints(f, "labelled"));
        assertArrayEquals(new int[] {1, 1, 1}, ints(f, "failed"));
        assertArrayEquals(new int[] {2, 3, 2}, ints(f, "matches"));
        assertArrayEquals(new double[] {2.0 / 3, 0.75, 2.0 / 3}, column(f, "exact match"), EPS);
        assertArrayEquals(new double[] {0.5, 0.6, 0.5}, column(f, "exact match over all"), EPS);
        // rows 0 (all right) and 3 (only stars has gold, and it is right) of the 4 labelled; row 4 failed
        assertEquals(0.5, e.accuracy(), EPS);
        assertEquals(0.4, e.accuracyOverAll(), EPS);
        assertEquals(List.of(e.overview(), f), e.tables());
    }

    @Test
    void goldOptionsAreReadOnceAndWrongOnesNamed() {
        assertEquals("label", GoldColumns.parse(" label ").labelColumn());
        assertEquals(Map.of("a", "x", "b", "y"), GoldColumns.parse("a=x, b = y").fieldColumns());
        assertEquals("--gold takes one column for labels (several labels per row go in one cell, separated by ';'); for a"
                + " schema's fields give FIELD=COLUMN pairs: --gold a=gold_a,b=gold_b",
                assertThrows(NotebenchException.class, () -> GoldColumns.parse("a,b")).getMessage());
        assertEquals("--gold: 'b' is not FIELD=COLUMN; write --gold FIELD=COLUMN,FIELD=COLUMN",
                assertThrows(NotebenchException.class, () -> GoldColumns.parse("a=x,b")).getMessage());
        assertEquals("--gold names the field 'a' twice",
                assertThrows(NotebenchException.class, () -> GoldColumns.parse("a=x,a=y")).getMessage());
    }

    @Test
    void goldColumnsAreCheckedBeforeAnyCall() {
        Table t = Table.create("t", StringColumn.create("subject", "hi"), StringColumn.create("label", "ham"));
        OutputSchema single = OutputSchema.singleLabel("predicted", List.of("spam", "ham"));
        NotebenchException missing = assertThrows(NotebenchException.class,
                () -> GoldColumns.parse("gold").check(t, single, RowText.columns("subject")));
        assertEquals(ErrorCode.DATA_INVALID, missing.code());
        assertEquals("--gold: the table has no column 'gold'; its columns are [subject, label]", missing.getMessage());
        assertEquals("--gold label is also sent to the model (--text/--template [subject, label]): the model would read the answer"
                + " it is scored against; send other columns or name another gold column",
                assertThrows(NotebenchException.class, () -> GoldColumns.parse("label")
                        .check(t, single, RowText.columns("subject", "label"))).getMessage());
        assertEquals("--gold label is also sent to the model (--text/--template [subject, label]): the model would read the answer"
                + " it is scored against; send other columns or name another gold column",
                assertThrows(NotebenchException.class, () -> GoldColumns.parse("label")
                        .check(t, single, RowText.template("{subject} / {label}"))).getMessage());
        assertEquals("--gold label has the name of an output column, which would replace it in the result; name the output"
                + " otherwise (--column NAME)", assertThrows(NotebenchException.class, () -> GoldColumns.parse("label")
                .check(t, OutputSchema.singleLabel("label", List.of("spam", "ham")), RowText.columns("subject"))).getMessage());
        OutputSchema fields = OutputSchema.fields(List.of(Field.of("stars", Field.Type.INTEGER, "1 to 5")));
        assertEquals("--gold label names one column, which scores labels; for a schema's fields name each: --gold"
                + " FIELD=COLUMN,... (the fields are [stars])", assertThrows(NotebenchException.class,
                () -> GoldColumns.parse("label").check(t, fields, RowText.columns("subject"))).getMessage());
        assertEquals("--gold names the field 'tone', which the schema does not have; its fields are [stars]",
                assertThrows(NotebenchException.class, () -> GoldColumns.parse("tone=label")
                        .check(t, fields, RowText.columns("subject"))).getMessage());
    }

    @Test
    void aJobRefusesAGoldColumnItSendsBeforeAnyCall(@TempDir Path dir) {
        Table t = Table.create("t", StringColumn.create("subject", "hi"), StringColumn.create("label", "ham"));
        // the server does not exist: the refusal must come before any call is tried
        EnrichJob job = EnrichOptions.parse(List.of("--text", "subject,label", "--labels", "spam,ham", "--single", "--gold", "label",
                "--out", dir.resolve("out.csv").toString(), "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--no-cache"),
                "Label it.", Map.of(), dir, t);
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> job.run(dev.notebench.progress.Progress.NONE, getClass().getClassLoader()));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("--gold label is also sent to the model (--text/--template [subject, label]): the model would read the answer"
                + " it is scored against; send other columns or name another gold column", e.getMessage());
    }
}
