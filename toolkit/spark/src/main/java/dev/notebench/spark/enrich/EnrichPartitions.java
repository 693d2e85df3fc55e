package dev.notebench.spark.enrich;

import dev.notebench.enrich.Annotator;
import dev.notebench.enrich.AnnotatorProvider;
import dev.notebench.enrich.EnrichResult;
import dev.notebench.enrich.Enricher;
import dev.notebench.enrich.Field;
import dev.notebench.enrich.OutputSchema;
import dev.notebench.enrich.RowText;
import dev.notebench.spark.internal.PerExecutor;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Enriches one partition on an executor: its rows, in the order of their text columns' values,
 * become a small Tablesaw table that the local {@link Enricher} labels with this JVM's shared
 * annotator (packing, checking and re-asking as locally); each input row comes out in its place
 * with the fields and {@link Enricher#ERROR_COLUMN} appended.
 *
 * <p>Why sorted: the requests a partition sends (their rows, ids and batches) then depend only on
 * the partition's rows, not on the order they arrive in, so a retried task sends the very same
 * requests and finds the answers its failed attempt got in the response cache.
 */
final class EnrichPartitions implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final SparkAnnotator annotator;
    private final SchemaForm schema;
    private final String instructions;
    private final String[] textColumns;
    private final String template;
    private final int[] textIndices;
    private final int batchSize;
    private final int tokenBudget;
    private final int maxAttempts;

    EnrichPartitions(SparkAnnotator annotator, SchemaForm schema, String instructions, String[] textColumns, String template,
                     int[] textIndices, int batchSize, int tokenBudget, int maxAttempts) {
        this.annotator = annotator;
        this.schema = schema;
        this.instructions = instructions;
        this.textColumns = textColumns.clone();
        this.template = template;
        this.textIndices = textIndices.clone();
        this.batchSize = batchSize;
        this.tokenBudget = tokenBudget;
        this.maxAttempts = maxAttempts;
    }

    /** The annotator of a job, keyed by everything a provider may read when it opens one. */
    private record AnnotatorKey(SparkAnnotator annotator, SchemaForm schema, String instructions) {
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        List<Row> rows = new ArrayList<>();
        input.forEachRemaining(rows::add);
        if (rows.isEmpty()) {
            return Collections.emptyIterator();
        }
        String[][] texts = new String[rows.size()][textIndices.length];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < textIndices.length; c++) {
                String v = rows.get(r).getString(textIndices[c]);
                texts[r][c] = v == null ? "" : v; // a missing value reads as "", as in a Tablesaw table
            }
        }
        Integer[] order = new Integer[rows.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparing((Integer i) -> texts[i], Arrays::compare));
        Table table = Table.create("partition");
        for (int c = 0; c < textColumns.length; c++) {
            StringColumn column = StringColumn.create(textColumns[c]);
            for (Integer r : order) {
                column.append(texts[r][c]);
            }
            table.addColumns(column);
        }
        OutputSchema outputSchema = schema.schema();
        Annotator shared = PerExecutor.get(new AnnotatorKey(annotator, schema, instructions), () -> open(outputSchema));
        EnrichResult result = Enricher.builder(shared, outputSchema).instructions(instructions).examples(schema.exampleList())
                .batchSize(batchSize).tokenBudget(tokenBudget).workers(annotator.limits().workers()).maxAttempts(maxAttempts).build()
                .run(table, template == null ? RowText.columns(textColumns) : RowText.template(template));
        Row[] out = new Row[rows.size()];
        List<Field> fields = outputSchema.fields();
        Table enriched = result.table();
        Column<?> errors = enriched.column(Enricher.ERROR_COLUMN);
        for (int k = 0; k < order.length; k++) {
            Row in = rows.get(order[k]);
            Object[] values = new Object[in.length() + fields.size() + 1];
            for (int i = 0; i < in.length(); i++) {
                values[i] = in.get(i);
            }
            String error = (String) errors.get(k);
            for (int f = 0; f < fields.size(); f++) {
                Column<?> c = enriched.column(fields.get(f).name());
                values[in.length() + f] = error.isEmpty() && !c.isMissing(k) ? c.get(k) : null;
            }
            values[values.length - 1] = error;
            out[order[k]] = RowFactory.create(values);
        }
        return Arrays.asList(out).iterator();
    }

    private Annotator open(OutputSchema outputSchema) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : EnrichPartitions.class.getClassLoader();
        return AnnotatorProvider.named(annotator.provider(), loader).open(annotator.options(), outputSchema, instructions,
                schema.exampleList());
    }
}
