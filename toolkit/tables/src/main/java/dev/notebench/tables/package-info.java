/** Tablesaw tables in and out of files, exactly and with errors that name the line to fix ({@link dev.notebench.tables.CsvTables}). */
package dev.notebench.tables;
