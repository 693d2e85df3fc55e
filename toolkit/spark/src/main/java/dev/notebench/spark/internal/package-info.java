/**
 * Parts the Spark capabilities share and users need not call: the per-executor-JVM holder of
 * costly resources ({@link dev.notebench.spark.internal.PerExecutor}) and the checks of a
 * DataFrame's columns made on the driver before any task runs
 * ({@link dev.notebench.spark.internal.Columns}), and the logging profile of a session opened where
 * no one configured Spark's logging ({@link dev.notebench.spark.internal.SessionLogging}).
 */
package dev.notebench.spark.internal;
