/**
 * {@code notebench spark enrich|embed|associations|tokenizer train}: the local commands' declared
 * options on a Spark cluster ({@link dev.notebench.spark.cli.SparkCommandLine}), the entry point of
 * {@code ./notebench spark} and of the jar {@code spark-submit} takes.
 */
package dev.notebench.spark.cli;
