package dev.notebench.enrich;

import tech.tablesaw.api.Table;

/**
 * The enriched table (the input's columns, then one per output field, then the error column,
 * empty for rows that succeeded) and the job's summary.
 *
 * @param table the enriched table
 * @param summary what the job did
 */
public record EnrichResult(Table table, EnrichSummary summary) {
}
