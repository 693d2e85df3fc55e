package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.Table;

/**
 * How a table row becomes the text an annotator reads: one column's value, several columns as
 * {@code name: value} lines, or a template with {@code {column}} placeholders.
 */
public final class RowText {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");

    private final List<String> columns;
    private final String template;

    private RowText(List<String> columns, String template) {
        this.columns = List.copyOf(columns);
        this.template = template;
    }

    /**
     * The text of one or more columns; with several, each on its own line as {@code name: value}.
     *
     * @param columns the column names
     */
    public static RowText columns(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("name at least one text column");
        }
        return new RowText(List.of(columns), null);
    }

    /**
     * A template whose {@code {column}} placeholders are replaced by the row's values, e.g.
     * {@code "Subject: {subject}\nFrom: {sender}"}.
     *
     * @param template the template
     */
    public static RowText template(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the template '" + template + "' names no {column}");
        }
        return new RowText(names, template);
    }

    /** The columns read. */
    public List<String> columnNames() {
        return columns;
    }

    /**
     * Checks that the table has every column named.
     *
     * @throws NotebenchException (DATA_INVALID) naming the missing column and listing the table's
     */
    public void check(Table table) {
        for (String c : columns) {
            if (!table.containsColumn(c)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "the table " + table.name() + " has no column '" + c
                        + "'; its columns are " + table.columnNames());
            }
        }
    }

    /**
     * The text of a row.
     *
     * @param table the table
     * @param row the row index
     */
    public String apply(Table table, int row) {
        if (template != null) {
            Matcher m = PLACEHOLDER.matcher(template);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(table.getString(row, m.group(1))));
            }
            m.appendTail(out);
            return out.toString();
        }
        if (columns.size() == 1) {
            return table.getString(row, columns.get(0));
        }
        StringBuilder out = new StringBuilder();
        for (String c : columns) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(c).append(": ").append(table.getString(row, c));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return template != null ? "template " + template : "columns " + columns;
    }
}
