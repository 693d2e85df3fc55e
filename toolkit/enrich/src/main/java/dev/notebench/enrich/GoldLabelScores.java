package dev.notebench.enrich;

import static dev.notebench.enrich.GoldEvaluation.format;
import static dev.notebench.enrich.GoldEvaluation.ratio;

import dev.notebench.enrich.GoldEvaluation.Rows;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@link GoldEvaluation}'s scores of labels (one per row or several). */
final class GoldLabelScores {
    private GoldLabelScores() {
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
        return new GoldEvaluation(rows.overview(more), perLabel, confusion, GoldFieldScores.empty(), accuracy, overAll);
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
        Table t = GoldEvaluation.emptyPerLabel();
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
            IntColumn column = IntColumn.create(c < labels.size() ? labels.get(c) : GoldEvaluation.FAILED);
            for (int[] row : counts) {
                column.append(row[c]);
            }
            t.addColumns(column);
        }
        return t;
    }
}
