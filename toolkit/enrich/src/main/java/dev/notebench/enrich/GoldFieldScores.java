package dev.notebench.enrich;

import static dev.notebench.enrich.GoldEvaluation.format;
import static dev.notebench.enrich.GoldEvaluation.ratio;

import dev.notebench.enrich.GoldEvaluation.Rows;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@link GoldEvaluation}'s exact match per field of a schema. */
final class GoldFieldScores {
    private GoldFieldScores() {
    }

    static Table empty() {
        return Table.create("gold: per field", StringColumn.create("field"), StringColumn.create("gold column"),
                IntColumn.create("scored"), IntColumn.create("labelled"), IntColumn.create("failed"), IntColumn.create("matches"),
                GoldEvaluation.score("exact match"), GoldEvaluation.score("exact match over all"));
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
        return new GoldEvaluation(all.overview(more), GoldEvaluation.emptyPerLabel(), Table.create("gold: confusion matrix"), out, accuracy,
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
