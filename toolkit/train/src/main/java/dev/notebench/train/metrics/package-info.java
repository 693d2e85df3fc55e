/**
 * Training metrics as Tablesaw tables: a run's metrics log, or a live run through a listener, as
 * a long table to filter, aggregate, join and plot ({@link dev.notebench.train.metrics.MetricsTable}).
 */
package dev.notebench.train.metrics;
