package dev.notebench.enrich;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The tables an enrichment run produces from its settled rows (one per table row, null where not
 * settled): the enriched copy of the input, the label counts and the failed rows.
 */
final class ResultTables {
    private final OutputSchema schema;
    private final boolean confidence;

    /** Tables for answers to {@code schema}. */
    ResultTables(OutputSchema schema) {
        this(schema, false);
    }

    /** Tables for answers to {@code schema}, with {@link Enricher#CONFIDENCE_COLUMN} when {@code confidence}. */
    ResultTables(OutputSchema schema, boolean confidence) {
        this.schema = schema;
        this.confidence = confidence;
    }

    /**
     * The input's columns, then one per field, then (when asked) {@link Enricher#CONFIDENCE_COLUMN},
     * then {@link Enricher#ERROR_COLUMN} (the reason, or empty).
     */
    Table enriched(Table table, Journal.Settled[] settled) {
        Table out = table.copy();
        List<Field> fields = schema.fields();
        for (int f = 0; f < fields.size(); f++) {
            Column<?> column = switch (fields.get(f).type()) {
                case BOOLEAN -> BooleanColumn.create(fields.get(f).name());
                case NUMBER -> DoubleColumn.create(fields.get(f).name());
                case INTEGER -> LongColumn.create(fields.get(f).name());
                case STRING, ENUM -> StringColumn.create(fields.get(f).name());
            };
            for (Journal.Settled s : settled) {
                if (s == null || s.error() != null) {
                    column.appendMissing();
                } else {
                    appendValue(column, s.values().get(f));
                }
            }
            out.addColumns(column);
        }
        if (confidence) {
            DoubleColumn c = DoubleColumn.create(Enricher.CONFIDENCE_COLUMN);
            // shown to 4 places in notebooks and printed tables; the CSV keeps every digit
            c.setPrintFormatter(tech.tablesaw.columns.numbers.NumberColumnFormatter.fixedWithGrouping(4));
            for (Journal.Settled s : settled) {
                if (s == null || s.error() != null || s.confidence() == null) {
                    c.appendMissing();
                } else {
                    c.append(s.confidence());
                }
            }
            out.addColumns(c);
        }
        StringColumn errors = StringColumn.create(Enricher.ERROR_COLUMN);
        for (Journal.Settled s : settled) {
            errors.append(s == null ? "not done (resume to finish)" : s.error() == null ? "" : s.error());
        }
        out.addColumns(errors);
        return out;
    }

    private static void appendValue(Column<?> column, Object v) {
        if (column instanceof BooleanColumn b) {
            b.append((Boolean) v);
        } else if (column instanceof DoubleColumn d) {
            d.append((Double) v);
        } else if (column instanceof LongColumn l) {
            l.append((Long) v);
        } else {
            ((StringColumn) column).append((String) v);
        }
    }

    /** Row, text and reason of every failed row, by row. */
    Table failures(Journal.Settled[] settled, List<Item> items) {
        StringColumn row = StringColumn.create("row");
        StringColumn text = StringColumn.create("text");
        StringColumn reason = StringColumn.create("reason");
        for (Journal.Settled s : settled) {
            if (s != null && s.error() != null) {
                row.append(Integer.toString(s.id()));
                text.append(items.get(s.id()).text());
                reason.append(s.error());
            }
        }
        return Table.create("failed rows", row, text, reason);
    }

    /** Each label's rows and share of the labelled rows (shares to 4 decimals), in the schema's order; empty for field schemas. */
    Table labelCounts(Journal.Settled[] settled) {
        Table t = EnrichSummary.emptyLabels();
        if (schema.kind() == OutputSchema.Kind.FIELDS) {
            return t;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        schema.labels().forEach(l -> counts.put(l, 0));
        int answered = 0;
        for (Journal.Settled s : settled) {
            if (s == null || s.error() != null) {
                continue;
            }
            answered++;
            if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL) {
                counts.merge((String) s.values().get(0), 1, Integer::sum);
            } else {
                for (int f = 0; f < schema.labels().size(); f++) {
                    if ((Boolean) s.values().get(f)) {
                        counts.merge(schema.labels().get(f), 1, Integer::sum);
                    }
                }
            }
        }
        StringColumn label = t.stringColumn("label");
        IntColumn rows = t.intColumn("rows");
        DoubleColumn share = t.doubleColumn("share");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            label.append(e.getKey());
            rows.append(e.getValue());
            share.append(answered == 0 ? 0 : Math.round(e.getValue() * 10000.0 / answered) / 10000.0);
        }
        return t;
    }
}
