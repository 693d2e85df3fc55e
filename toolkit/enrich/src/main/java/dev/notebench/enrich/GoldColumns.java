package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * Which columns of the input hold the right answers, as {@code --gold} names them: one column for
 * labels ({@code --gold label}), or {@code FIELD=COLUMN} pairs separated by commas for the fields of
 * a {@code --schema} ({@code --gold sentiment=gold_sentiment,stars=gold_stars}; fields not named
 * are not scored). With several labels per row a gold cell holds the labels that apply separated
 * by {@value #SEPARATOR} (as {@code --examples} files hold them); a cell of only {@value #SEPARATOR}
 * says that no label applies, and an empty cell says the row has no gold answer.
 *
 * <pre>{@code
 * GoldColumns gold = GoldColumns.parse("label");
 * gold.check(table, schema, RowText.columns("subject"));   // before any call
 * }</pre>
 */
public final class GoldColumns {
    /** The separator of several labels in one gold cell. */
    public static final String SEPARATOR = ";";

    private final String labelColumn;
    private final Map<String, String> fieldColumns;

    private GoldColumns(String labelColumn, Map<String, String> fieldColumns) {
        this.labelColumn = labelColumn;
        this.fieldColumns = Map.copyOf(fieldColumns);
    }

    /**
     * Reads {@code --gold}'s value: {@code COLUMN}, or {@code FIELD=COLUMN[,FIELD=COLUMN...]}.
     *
     * @param spec the option's value
     * @throws NotebenchException (CONFIG_INVALID) for an empty value, an empty name or a field named twice
     */
    public static GoldColumns parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty()) {
            throw bad("--gold needs a column: --gold COLUMN for labels, --gold FIELD=COLUMN,... for a schema's fields");
        }
        if (!s.contains("=")) {
            if (s.contains(",")) {
                throw bad("--gold takes one column for labels (several labels per row go in one cell, separated by '"
                        + SEPARATOR + "'); for a schema's fields give FIELD=COLUMN pairs: --gold a=gold_a,b=gold_b");
            }
            return new GoldColumns(s, Map.of());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : Arrays.stream(s.split(",")).map(String::strip).toList()) {
            int eq = pair.indexOf('=');
            String field = eq < 0 ? "" : pair.substring(0, eq).strip();
            String column = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (field.isEmpty() || column.isEmpty()) {
                throw bad("--gold: '" + pair + "' is not FIELD=COLUMN; write --gold FIELD=COLUMN,FIELD=COLUMN");
            }
            if (fields.putIfAbsent(field, column) != null) {
                throw bad("--gold names the field '" + field + "' twice");
            }
        }
        return new GoldColumns(null, new LinkedHashMap<>(fields));
    }

    /** The gold column of the labels, or null when fields are named. */
    public String labelColumn() {
        return labelColumn;
    }

    /** Field to gold column, in the order given; empty for a label column. */
    public Map<String, String> fieldColumns() {
        return new LinkedHashMap<>(fieldColumns);
    }

    /** The gold column of each output field scored, in the schema's order. */
    Map<String, String> columnsFor(OutputSchema schema) {
        Map<String, String> out = new LinkedHashMap<>();
        if (labelColumn != null) {
            if (schema.kind() == OutputSchema.Kind.FIELDS) {
                throw bad("--gold " + labelColumn + " names one column, which scores labels; for a schema's fields name each:"
                        + " --gold FIELD=COLUMN,... (the fields are " + schema.fields().stream().map(Field::name).toList() + ")");
            }
            out.put(schema.kind() == OutputSchema.Kind.SINGLE_LABEL ? schema.fields().get(0).name() : "", labelColumn);
            return out;
        }
        List<String> names = schema.fields().stream().map(Field::name).toList();
        if (schema.kind() != OutputSchema.Kind.FIELDS) {
            if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL && fieldColumns.size() == 1 && fieldColumns.containsKey(names.get(0))) {
                out.putAll(fieldColumns);
                return out;
            }
            throw bad("--gold FIELD=COLUMN is for a --schema's fields; with --labels give the one gold column: --gold COLUMN");
        }
        for (String f : fieldColumns.keySet()) {
            if (!names.contains(f)) {
                throw bad("--gold names the field '" + f + "', which the schema does not have; its fields are " + names);
            }
        }
        for (String f : names) {
            if (fieldColumns.containsKey(f)) {
                out.put(f, fieldColumns.get(f));
            }
        }
        return out;
    }

    /**
     * The checks made before any call: every gold column is in the table, none is a column the
     * model reads (it would see the answer), none has the name of an output column.
     *
     * @param table the input table
     * @param schema the output schema
     * @param text the columns sent to the model
     * @throws NotebenchException (DATA_INVALID for the table, CONFIG_INVALID for the options) saying what to change
     */
    public void check(Table table, OutputSchema schema, RowText text) {
        List<String> outputs = schema.fields().stream().map(Field::name).toList();
        for (String column : columnsFor(schema).values()) {
            if (!table.containsColumn(column)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "--gold: the table has no column '" + column
                        + "'; its columns are " + table.columnNames());
            }
            if (text.columnNames().stream().anyMatch(c -> c.equalsIgnoreCase(column))) {
                throw bad("--gold " + column + " is also sent to the model (--text/--template " + text.columnNames() + "): the model"
                        + " would read the answer it is scored against; send other columns or name another gold column");
            }
            if (outputs.stream().anyMatch(c -> c.equalsIgnoreCase(column))) {
                throw bad("--gold " + column + " has the name of an output column, which would replace it in the result; name the"
                        + " output otherwise (--column NAME)");
            }
        }
    }

    @Override
    public String toString() {
        return labelColumn != null ? labelColumn : fieldColumns.toString();
    }

    private static NotebenchException bad(String message) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, message);
    }
}
