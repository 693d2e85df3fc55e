/**
 * Self-contained HTML reports of runs and comparisons of runs, with offline plots and no secrets
 * ({@link dev.notebench.train.report.RunReport}).
 */
package dev.notebench.train.report;
