package dev.notebench.enrich;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
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

    private GoldEvaluation(Table overview, Table perLabel, Table confusion, Table fields, double accuracy, double accuracyOverAll) {
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
        return schema.kind() == OutputSchema.Kind.FIELDS ? Fields.score(t, schema, columns, excluded)
                : Labels.score(t, schema, columns.values().iterator().next(), excluded);
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
        return Table.create("gold: per label", StringColumn.create("label"), DoubleColumn.create("precision"),
                DoubleColumn.create("recall"), DoubleColumn.create("f1"), IntColumn.create("support"));
    }

    /** The scores of labels (one per row or several). */
    static final class Labels {
        private Labels() {
        }

        static GoldEvaluation score(Table t, OutputSchema schema, String goldColumn, Set<Integer> excluded) {
            boolean single = schema.kind() == OutputSchema.Kind.SINGLE_LABEL;
            List<String> labels = schema.labels();
            Rows rows = Rows.of(t, List.of(goldColumn), excluded);
            int k = labels.size();
            long[] tp = new long[k];
            long[] predicted = new long[k];
            long[] support = new long[k];
            Set<String> outside = new LinkedHashSet<>();
            List<Set<String>> golds = new ArrayList<>();
            List<Set<String>> answers = new ArrayList<>();
            int right = 0;
            long hamming = 0;
            double jaccard = 0;
            for (int r : rows.scored()) {
                Set<String> g = goldSet(t.getString(r, goldColumn), single);
                for (String l : g) {
                    if (!labels.contains(l)) {
                        outside.add(l);
                    }
                }
                Set<String> p = Rows.failed(t, r) ? null : predictedSet(t, r, schema);
                golds.add(g);
                answers.add(p);
                if (p == null) {
                    continue;
                }
                right += g.equals(p) ? 1 : 0;
                Set<String> union = new LinkedHashSet<>(g);
                union.addAll(p);
                long both = g.stream().filter(p::contains).count();
                jaccard += ratio(both, union.size());
                for (int j = 0; j < k; j++) {
                    boolean inG = g.contains(labels.get(j));
                    boolean inP = p.contains(labels.get(j));
                    tp[j] += inG && inP ? 1 : 0;
                    predicted[j] += inP ? 1 : 0;
                    support[j] += inG ? 1 : 0;
                    hamming += inG != inP ? 1 : 0;
                }
            }
            int labelled = rows.labelled();
            double accuracy = ratio(right, labelled);
            double overAll = ratio(right, rows.scored().size());
            List<String[]> more = new ArrayList<>();
            more.add(new String[] {single ? "accuracy (over labelled rows)" : "exact-set accuracy (over labelled rows)", format(accuracy)});
            more.add(new String[] {single ? "accuracy over all scored rows (a failed row counts wrong)"
                    : "exact-set accuracy over all scored rows (a failed row counts wrong)", format(overAll)});
            if (!single) {
                more.add(new String[] {"Hamming loss (over the labels)", format(ratio(hamming, (double) labelled * k))});
                more.add(new String[] {"Jaccard index (mean over rows)", format(ratio(jaccard, labelled))});
            }
            more.add(new String[] {"gold values outside the labels", outside.isEmpty() ? "none" : String.join(", ", outside)});
            Table perLabel = perLabel(labels, tp, predicted, support, !single);
            Table confusion = confusion(labels, outside, golds, answers);
            return new GoldEvaluation(rows.overview(more), perLabel, confusion, Fields.empty(), accuracy, overAll);
        }

        static Set<String> goldSet(String cell, boolean single) {
            Set<String> out = new LinkedHashSet<>();
            if (single) {
                out.add(cell.strip());
                return out;
            }
            for (String l : cell.split(GoldColumns.SEPARATOR)) {
                if (!l.isBlank()) {
                    out.add(l.strip());
                }
            }
            return out;
        }

        static Set<String> predictedSet(Table t, int r, OutputSchema schema) {
            Set<String> out = new LinkedHashSet<>();
            if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL) {
                out.add(t.getString(r, schema.fields().get(0).name()));
                return out;
            }
            for (String l : schema.labels()) {
                if (Boolean.TRUE.equals(t.booleanColumn(l).get(r))) {
                    out.add(l);
                }
            }
            return out;
        }

        static Table perLabel(List<String> labels, long[] tp, long[] predicted, long[] support, boolean micro) {
            Table t = emptyPerLabel();
            int k = labels.size();
            double[] p = new double[k];
            double[] r = new double[k];
            double[] f = new double[k];
            long total = 0;
            for (int j = 0; j < k; j++) {
                p[j] = ratio(tp[j], predicted[j]);
                r[j] = ratio(tp[j], support[j]);
                f[j] = ratio(2.0 * tp[j], predicted[j] + support[j]);
                total += support[j];
                row(t, labels.get(j), p[j], r[j], f[j], support[j]);
            }
            if (micro) {
                long sumTp = java.util.Arrays.stream(tp).sum();
                long sumPredicted = java.util.Arrays.stream(predicted).sum();
                row(t, "micro avg", ratio(sumTp, sumPredicted), ratio(sumTp, total), ratio(2.0 * sumTp, sumPredicted + total), total);
            }
            row(t, "macro avg", mean(p, null), mean(r, null), mean(f, null), total);
            row(t, "weighted avg", mean(p, support), mean(r, support), mean(f, support), total);
            return t;
        }

        private static double mean(double[] v, long[] weights) {
            double sum = 0;
            double w = 0;
            for (int j = 0; j < v.length; j++) {
                double wj = weights == null ? 1 : weights[j];
                sum += wj * v[j];
                w += wj;
            }
            return ratio(sum, w);
        }

        private static void row(Table t, String label, double p, double r, double f, long support) {
            t.stringColumn("label").append(label);
            t.doubleColumn("precision").append(p);
            t.doubleColumn("recall").append(r);
            t.doubleColumn("f1").append(f);
            t.intColumn("support").append((int) support);
        }

        /** Gold value × predicted label: rows holding both, and rows with that gold value that failed. */
        static Table confusion(List<String> labels, Set<String> outside, List<Set<String>> golds, List<Set<String>> answers) {
            List<String> goldRows = new ArrayList<>(labels);
            goldRows.addAll(outside);
            StringColumn gold = StringColumn.create("gold \\ predicted", goldRows);
            Table t = Table.create("gold: confusion matrix", gold);
            int[][] counts = new int[goldRows.size()][labels.size() + 1];
            for (int i = 0; i < golds.size(); i++) {
                for (String g : golds.get(i)) {
                    int row = goldRows.indexOf(g);
                    if (answers.get(i) == null) {
                        counts[row][labels.size()]++;
                        continue;
                    }
                    for (String p : answers.get(i)) {
                        counts[row][labels.indexOf(p)]++;
                    }
                }
            }
            for (int c = 0; c <= labels.size(); c++) {
                IntColumn column = IntColumn.create(c < labels.size() ? labels.get(c) : FAILED);
                for (int[] row : counts) {
                    column.append(row[c]);
                }
                t.addColumns(column);
            }
            return t;
        }
    }

    /** Exact match per field of a schema. */
    static final class Fields {
        private Fields() {
        }

        static Table empty() {
            return Table.create("gold: per field", StringColumn.create("field"), StringColumn.create("gold column"),
                    IntColumn.create("scored"), IntColumn.create("labelled"), IntColumn.create("failed"), IntColumn.create("matches"),
                    DoubleColumn.create("exact match"), DoubleColumn.create("exact match over all"));
        }

        static GoldEvaluation score(Table t, OutputSchema schema, Map<String, String> columns, Set<Integer> excluded) {
            Rows all = Rows.of(t, columns.values(), excluded);
            Table out = empty();
            int allRight = 0;
            for (int r : all.scored()) {
                boolean right = !Rows.failed(t, r);
                for (Map.Entry<String, String> e : columns.entrySet()) {
                    String g = t.getString(r, e.getValue());
                    right &= g.isBlank() || matches(t, r, field(schema, e.getKey()), g); // a field without gold is not scored
                }
                allRight += right ? 1 : 0;
            }
            for (Map.Entry<String, String> e : columns.entrySet()) {
                Rows rows = Rows.of(t, List.of(e.getValue()), excluded);
                Field f = field(schema, e.getKey());
                int matches = 0;
                for (int r : rows.scored()) {
                    matches += !Rows.failed(t, r) && matches(t, r, f, t.getString(r, e.getValue())) ? 1 : 0;
                }
                out.stringColumn("field").append(e.getKey());
                out.stringColumn("gold column").append(e.getValue());
                out.intColumn("scored").append(rows.scored().size());
                out.intColumn("labelled").append(rows.labelled());
                out.intColumn("failed").append(rows.failed());
                out.intColumn("matches").append(matches);
                out.doubleColumn("exact match").append(ratio(matches, rows.labelled()));
                out.doubleColumn("exact match over all").append(ratio(matches, rows.scored().size()));
            }
            double accuracy = ratio(allRight, all.labelled());
            double overAll = ratio(allRight, all.scored().size());
            List<String[]> more = List.of(
                    new String[] {"rows with every field that has gold right (over labelled rows)", format(accuracy)},
                    new String[] {"rows with every field that has gold right over all scored rows (a failed row counts wrong)", format(overAll)});
            return new GoldEvaluation(all.overview(more), emptyPerLabel(), Table.create("gold: confusion matrix"), out, accuracy,
                    overAll);
        }

        private static Field field(OutputSchema schema, String name) {
            return schema.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
        }

        /** Whether the answer in the field's column equals the gold cell, compared as the field's type. */
        static boolean matches(Table t, int r, Field f, String gold) {
            if (t.column(f.name()).isMissing(r)) {
                return false;
            }
            String g = gold.strip();
            try {
                return switch (f.type()) {
                    case BOOLEAN -> (g.equalsIgnoreCase("true") || g.equalsIgnoreCase("false"))
                            && Boolean.parseBoolean(g) == t.booleanColumn(f.name()).get(r);
                    case NUMBER -> Double.parseDouble(g) == t.doubleColumn(f.name()).getDouble(r);
                    case INTEGER -> Long.parseLong(g) == t.longColumn(f.name()).getLong(r);
                    case STRING, ENUM -> g.equals(t.stringColumn(f.name()).get(r).strip());
                };
            } catch (NumberFormatException notANumber) {
                return false;
            }
        }
    }
}
