package dev.notebench.enrich;

import dev.notebench.enrich.cascade.Target;
import dev.notebench.enrich.cascade.ThresholdSelection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a cascade ({@code --cascade}) did: per stage the rows it was asked, the answers kept from
 * it, calls, tokens and cost, with totals; the threshold, how it was chosen and why it stopped
 * there; the expensive calls and cost saved against sending every row to the expensive stage; the
 * accuracy reached on the gold sample and on every gold row; per target (accuracy, precision or
 * recall of a label) the value reached on the gold sample at the chosen threshold, the sample rows
 * it rests on, its p-value, and the value reached on the gold rows.
 */
public final class CascadeReport {
    private final String cheapName;
    private final String expensiveName;
    private final ThresholdSelection selection;
    private final int rows;
    private final int cheapKept;
    private final EnrichSummary cheap;
    /** Sample rows below the threshold: their answers are the expensive stage's. */
    private final int sampleKept;
    private final EnrichSummary sample;
    private final int escalated;
    private final Optional<EnrichSummary> escalatedSummary;
    private final GoldEvaluation scored;
    private final int goldRows;
    private final boolean priced;
    private final int batchForEveryRow;
    private final List<Target.Check> onGoldRows;

    /** {@code onGoldRows}: each target's value on the gold rows the sample was drawn from, in the targets' order. */
    CascadeReport(String cheapName, String expensiveName, ThresholdSelection selection, int rows, int cheapKept, EnrichSummary cheap,
                  int sampleKept, EnrichSummary sample, int escalated, Optional<EnrichSummary> escalatedSummary, GoldEvaluation scored,
                  int goldRows, boolean priced, int batchForEveryRow, List<Target.Check> onGoldRows) {
        this.onGoldRows = List.copyOf(onGoldRows);
        this.cheapName = cheapName;
        this.expensiveName = expensiveName;
        this.selection = selection;
        this.rows = rows;
        this.cheapKept = cheapKept;
        this.cheap = cheap;
        this.sampleKept = sampleKept;
        this.sample = sample;
        this.escalated = escalated;
        this.escalatedSummary = escalatedSummary;
        this.scored = scored;
        this.goldRows = goldRows;
        this.priced = priced;
        this.batchForEveryRow = batchForEveryRow;
    }

    /** How the threshold was chosen, its value and why it stopped there. */
    public ThresholdSelection selection() {
        return selection;
    }

    /** Rows whose answer is the cheap stage's. */
    public int cheapRows() {
        return cheapKept;
    }

    /** Rows the expensive stage was asked: the gold sample and the rows below the threshold outside it. */
    public int expensiveRowsAsked() {
        return sample.rows() + escalated;
    }

    /** Calls the expensive stage made (cached answers not counted). */
    public long expensiveCalls() {
        return sample.calls() + escalatedSummary.map(EnrichSummary::calls).orElse(0L);
    }

    /**
     * The expensive calls sending every row to the expensive stage would have made: every row in
     * batches of its size when calls are packed by row count alone, else pro rata of its calls per
     * row asked.
     */
    public double expensiveCallsForEveryRow() {
        return batchForEveryRow > 0 ? Math.ceil(rows / (double) batchForEveryRow) : expensiveCalls() * (double) rows / expensiveRowsAsked();
    }

    /** The share of the expensive calls saved against sending every row to the expensive stage, 0..1. */
    public double expensiveCallsSaved() {
        double every = expensiveCallsForEveryRow();
        return every == 0 ? 1 - expensiveRowsAsked() / (double) rows : 1 - expensiveCalls() / every;
    }

    /** The expensive stage's estimated cost, where prices were given. */
    public OptionalDouble expensiveCost() {
        if (!priced) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(sample.cost().orElse(0) + escalatedSummary.map(s -> s.cost().orElse(0)).orElse(0.0));
    }

    /**
     * Accuracy of the cascade's answers on every gold row the sample was drawn from (example rows left out), a failed row
     * counting as wrong.
     */
    public double accuracyOnGoldRows() {
        return scored.accuracyOverAll();
    }

    /** One line: rows per stage, threshold, calls saved and the accuracy reached. */
    public String headline() {
        return String.format(Locale.ROOT, "cascade: %d of %d rows kept the cheap answer (%s), %d the expensive one (%s); threshold %s;"
                + " %.1f%% of the expensive calls saved; accuracy %.4f on the %d-row gold sample, %.4f on %s", cheapKept, rows,
                cheapName, rows - cheapKept, expensiveName, thresholdText(), 100 * expensiveCallsSaved(), selection.sampleAccuracy(),
                selection.sampleRows(), accuracyOnGoldRows(), goldText()) + (resumedRows() == 0 ? ""
                : "; calls of this run only: " + resumedRows() + " stage answers came from the journals");
    }

    /** Rows the stages took from their journals (a resumed cascade), summed over the stages. */
    public int resumedRows() {
        return cheap.resumed() + sample.resumed() + escalatedSummary.map(EnrichSummary::resumed).orElse(0);
    }

    /** Per stage and in total: rows asked, answers kept, rows resumed from the stage's journal, calls, answers from the cache, tokens in and out, estimated cost. */
    public Table stages() {
        StringColumn stage = StringColumn.create("stage");
        StringColumn annotator = StringColumn.create("annotator");
        IntColumn asked = IntColumn.create("rows asked");
        IntColumn kept = IntColumn.create("answers kept");
        IntColumn resumed = IntColumn.create("resumed");
        LongColumn calls = LongColumn.create("calls");
        LongColumn cached = LongColumn.create("from cache");
        LongColumn in = LongColumn.create("tokens in");
        LongColumn out = LongColumn.create("tokens out");
        StringColumn cost = StringColumn.create("cost");
        Table t = Table.create("cascade stages", stage, annotator, asked, kept, resumed, calls, cached, in, out, cost);
        row(t, "cheap: every row", cheapName, cheap, cheapKept);
        row(t, "expensive: gold sample", expensiveName, sample, sampleKept);
        escalatedSummary.ifPresentOrElse(s -> row(t, "expensive: below threshold", expensiveName, s, escalated),
                () -> row(t, "expensive: below threshold", expensiveName, null, 0));
        stage.append("total");
        annotator.append("");
        asked.append(cheap.rows() + expensiveRowsAsked());
        kept.append(rows);
        resumed.append(resumedRows());
        calls.append(cheap.calls() + expensiveCalls());
        cached.append(sum(t, "from cache"));
        in.append(sum(t, "tokens in"));
        out.append(sum(t, "tokens out"));
        double c = cheap.cost().orElse(0) + expensiveCost().orElse(0);
        cost.append(priced || cheap.cost().isPresent() ? String.format(Locale.ROOT, "%.4f", c) : "-");
        return t;
    }

    /** How the threshold was chosen and why it stopped where it did: two sentences, on two lines. */
    public String explanation() {
        return "method: " + selection.method() + "\nthreshold " + thresholdText() + ": " + selection.reason();
    }

    /** Measure and value: threshold, rows, calls and cost saved, accuracy reached (the method is in {@link #explanation()}). */
    public Table savings() {
        StringColumn what = StringColumn.create("measure");
        StringColumn value = StringColumn.create("value");
        Table t = Table.create("cascade", what, value);
        add(t, "threshold", thresholdText());
        add(t, "rows to the expensive stage", String.format(Locale.ROOT, "%d of %d (%d sample + %d below threshold), %.1f%%",
                expensiveRowsAsked(), rows, sample.rows(), escalated, 100.0 * expensiveRowsAsked() / rows));
        add(t, "expensive calls", String.format(Locale.ROOT, "%d, against %.0f for every row (%s): %.1f%%"
                + " saved", expensiveCalls(), expensiveCallsForEveryRow(), batchForEveryRow > 0 ? "in batches of " + batchForEveryRow
                : "pro rata of its calls per row", 100 * expensiveCallsSaved()));
        if (expensiveCost().isPresent()) {
            double c = expensiveCost().getAsDouble();
            double every = c * rows / expensiveRowsAsked();
            add(t, "expensive cost", String.format(Locale.ROOT, "%.4f, against %.4f for every row: %.4f saved", c, every, every - c));
        } else {
            add(t, "expensive cost", "(no prices given: --price-in/--price-out)");
        }
        add(t, "accuracy on the gold sample", String.format(Locale.ROOT, "%.4f (%d rows, %s)", selection.sampleAccuracy(),
                selection.sampleRows(), Double.isNaN(selection.target()) ? "no accuracy target" : "target " + selection.target()));
        add(t, "accuracy on the gold rows", String.format(Locale.ROOT, "%.4f on %s", accuracyOnGoldRows(), goldText()));
        return t;
    }

    /**
     * Per target: the target, the value reached on the gold sample at the chosen threshold (the
     * sample rows it rests on: all of them for accuracy, those labelled L for the precision of L,
     * those whose gold is L for its recall), the target's p-value there, whether it passed at
     * delta, and the value reached on the gold rows (all rows where every row has a gold label),
     * each on the rows of its definition.
     */
    public Table targets() {
        StringColumn target = StringColumn.create("target");
        StringColumn onSample = StringColumn.create("on the gold sample");
        StringColumn restsOn = StringColumn.create("rests on");
        StringColumn p = StringColumn.create("p-value");
        StringColumn passed = StringColumn.create("passed at delta " + selection.delta());
        StringColumn onAll = StringColumn.create(goldRows == rows ? "on all " + rows + " rows" : "on the " + goldRows + " gold rows");
        for (int i = 0; i < selection.checks().size(); i++) {
            Target.Check c = selection.checks().get(i);
            Target.Check all = onGoldRows.get(i);
            target.append(c.target().measure() + " >= " + c.target().level());
            onSample.append(value(c));
            restsOn.append(c.target().rows(c.rows()));
            p.append(String.format(Locale.ROOT, "%.3g", c.pValue()));
            passed.append(c.pValue() <= selection.delta() ? "yes" : "no");
            onAll.append(value(all) + " (" + all.rows() + " rows)");
        }
        return Table.create("cascade targets at threshold " + thresholdText(), target, onSample, restsOn, p, passed, onAll);
    }

    /** Each target's value on the gold rows the sample was drawn from (every row where each has a gold label), in the targets' order. */
    public List<Target.Check> onGoldRows() {
        return onGoldRows;
    }

    /** The tables worth showing: the stages, the targets, then the savings. */
    public List<Table> tables() {
        return List.of(stages(), targets(), savings());
    }

    private static String value(Target.Check c) {
        return c.rows() == 0 ? "- (no row)" : String.format(Locale.ROOT, "%.4f", c.achieved());
    }

    private String goldText() {
        return goldRows == rows ? "all " + rows + " rows (every row has a gold label)"
                : "the " + goldRows + " gold rows the sample was drawn from (of " + rows + "; rows without gold and example rows"
                + " not scored)";
    }

    private String thresholdText() {
        return selection.threshold() == Double.POSITIVE_INFINITY ? "+inf (every row to the expensive stage)"
                : String.format(Locale.ROOT, "%.3f", selection.threshold());
    }

    private static void row(Table t, String name, String annotator, EnrichSummary s, int kept) {
        t.stringColumn("stage").append(name);
        t.stringColumn("annotator").append(annotator);
        t.intColumn("rows asked").append(s == null ? 0 : s.rows());
        t.intColumn("answers kept").append(kept);
        t.intColumn("resumed").append(s == null ? 0 : s.resumed());
        ((LongColumn) t.column("calls")).append(s == null ? 0 : s.calls());
        ((LongColumn) t.column("from cache")).append(s == null ? 0 : s.cachedAnswers());
        ((LongColumn) t.column("tokens in")).append(s == null ? 0 : s.tokensIn());
        ((LongColumn) t.column("tokens out")).append(s == null ? 0 : s.tokensOut());
        t.stringColumn("cost").append(s == null || s.cost().isEmpty() ? "-" : String.format(Locale.ROOT, "%.4f", s.cost().getAsDouble()));
    }

    private static long sum(Table t, String column) {
        LongColumn c = (LongColumn) t.column(column);
        long s = 0;
        for (int i = 0; i < c.size(); i++) {
            s += c.getLong(i);
        }
        return s;
    }

    private static void add(Table t, String what, String value) {
        t.stringColumn("measure").append(what);
        t.stringColumn("value").append(value);
    }
}
