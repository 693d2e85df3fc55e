package dev.notebench.enrich;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How an enriched table's answers compare with the right ones in its gold column(s), with
 * scikit-learn's definitions (zero where a ratio divides by zero, as its {@code zero_division}
 * default gives). Rows with an empty gold cell are not scored (counted in {@link #overview()}),
 * nor are rows given as examples. A row that failed is scored as wrong in "accuracy over all
 * rows" and left out of everything else, which is computed over the rows with an answer.
 *
 * <ul>
 *   <li>One label per row: accuracy, per-label precision, recall, F1 and support with their macro
 *       and support-weighted averages (over the schema's labels, as {@code classification_report(...,
 *       labels=...)}), and a confusion matrix with gold values outside the label set as rows of
 *       their own and a {@code failed} column.</li>
 *   <li>Several labels per row (gold cells separated by {@value GoldColumns#SEPARATOR}): exact-set
 *       accuracy, Hamming loss over the schema's labels, Jaccard index averaged over rows (an empty
 *       union counts 0), per-label scores on the label sets with micro, macro and weighted
 *       averages, and a matrix of gold label × predicted label (rows holding both).</li>
 *   <li>Fields of a schema: exact match per field (numbers compared as numbers, booleans as
 *       {@code true}/{@code false} in any case, text after trimming).</li>
 * </ul>
 *
 * <pre>{@code
 * GoldEvaluation e = GoldEvaluation.of(result, schema, GoldColumns.parse("label"), List.of());
 * System.out.println(e.perLabel().print());
 * }</pre>
 */
public final class GoldEvaluation {
    /** The confusion matrix's column of failed rows. */
    public static final String FAILED = "failed";

    private final Table overview;
    private final Table perLabel;
    private final Table confusion;
    private final Table fields;
    private final double accuracy;
    private final double accuracyOverAll;

    GoldEvaluation(Table overview, Table perLabel, Table confusion, Table fields, double accuracy, double accuracyOverAll) {
        this.overview = overview;
        this.perLabel = perLabel;
        this.confusion = confusion;
        this.fields = fields;
        this.accuracy = accuracy;
        this.accuracyOverAll = accuracyOverAll;
    }

    /**
     * Scores an enrichment's result against its gold column(s).
     *
     * @param result the enriched table (with the gold columns among the input's) and the summary
     * @param schema the output schema of the run
     * @param gold the gold columns
     * @param excludedRows rows of the result's table not to score (those given to the model as examples)
     * @throws dev.notebench.NotebenchException when a gold column is missing or names no field
     */
    public static GoldEvaluation of(EnrichResult result, OutputSchema schema, GoldColumns gold, Collection<Integer> excludedRows) {
        Table t = result.table();
        Map<String, String> columns = gold.columnsFor(schema);
        Set<Integer> excluded = Set.copyOf(excludedRows);
        return schema.kind() == OutputSchema.Kind.FIELDS ? GoldFieldScores.score(t, schema, columns, excluded)
                : GoldLabelScores.score(t, schema, columns.values().iterator().next(), excluded);
    }

    /** Measure and value: rows scored, left out, labelled, failed, coverage, accuracies (values to 4 decimals here, exact in the getters). */
    public Table overview() {
        return overview;
    }

    /**
     * Per label: precision, recall, F1 and support (gold rows with an answer), then the average
     * rows ({@code micro avg} for several labels, {@code macro avg}, {@code weighted avg}); empty for fields.
     */
    public Table perLabel() {
        return perLabel;
    }

    /** Gold rows × predicted columns (and {@value #FAILED}), counts of rows; empty for fields. */
    public Table confusion() {
        return confusion;
    }

    /** Per field of a schema: its gold column, rows scored, answered, failed, matches, exact match; empty for labels. */
    public Table fields() {
        return fields;
    }

    /** Right answers over the scored rows that have an answer (exact-set accuracy for several labels; all fields for a schema). */
    public double accuracy() {
        return accuracy;
    }

    /** Right answers over every scored row, a failed row counting as wrong. */
    public double accuracyOverAll() {
        return accuracyOverAll;
    }

    /** The tables worth showing, in order: overview, then per label and confusion, or per field. */
    public List<Table> tables() {
        return fields.rowCount() > 0 ? List.of(overview, fields) : List.of(overview, perLabel, confusion);
    }

    static double ratio(double a, double b) {
        return b == 0 ? 0 : a / b;
    }

    /** Rows scored, left out and how, labelled and failed: the common part of every overview. */
    record Rows(List<Integer> scored, int emptyGold, int excluded, int failed) {
        static Rows of(Table t, Collection<String> goldColumns, Set<Integer> excluded) {
            List<Integer> scored = new ArrayList<>();
            int empty = 0;
            int left = 0;
            int failed = 0;
            for (int r = 0; r < t.rowCount(); r++) {
                if (excluded.contains(r)) {
                    left++;
                    continue;
                }
                int row = r;
                if (goldColumns.stream().allMatch(c -> t.getString(row, c).isBlank())) {
                    empty++;
                    continue;
                }
                scored.add(r);
                if (failed(t, r)) {
                    failed++;
                }
            }
            return new Rows(List.copyOf(scored), empty, left, failed);
        }

        static boolean failed(Table t, int r) {
            return !t.getString(r, Enricher.ERROR_COLUMN).isEmpty();
        }

        int labelled() {
            return scored.size() - failed;
        }

        Table overview(List<String[]> more) {
            StringColumn what = StringColumn.create("measure");
            StringColumn value = StringColumn.create("value");
            List<String[]> lines = new ArrayList<>(List.of(
                    new String[] {"rows scored", Integer.toString(scored.size())},
                    new String[] {"rows without a gold value (not scored)", Integer.toString(emptyGold)},
                    new String[] {"rows given as examples (not scored)", Integer.toString(excluded)},
                    new String[] {"labelled", Integer.toString(labelled())},
                    new String[] {"failed", Integer.toString(failed)},
                    new String[] {"coverage (labelled / scored)", format(ratio(labelled(), scored.size()))}));
            lines.addAll(more);
            for (String[] l : lines) {
                what.append(l[0]);
                value.append(l[1]);
            }
            return Table.create("gold: overview", what, value);
        }
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static Table emptyPerLabel() {
        return Table.create("gold: per label", StringColumn.create("label"), score("precision"), score("recall"), score("f1"),
                IntColumn.create("support"));
    }

    /** A column of scores in [0, 1], printed to 4 places as the overview's (the values stay exact). */
    static DoubleColumn score(String name) {
        DoubleColumn c = DoubleColumn.create(name);
        c.setPrintFormatter(tech.tablesaw.columns.numbers.NumberColumnFormatter.fixedWithGrouping(4));
        return c;
    }

}
