/**
 * Enrichment of DataFrames on Spark ({@link dev.notebench.spark.enrich.SparkEnricher}): the local
 * {@code Enricher} run on each partition with one annotator per executor JVM
 * ({@link dev.notebench.spark.enrich.SparkAnnotator}), the cluster-wide limits divided across the
 * executors, and task retries answered from the shared response cache.
 */
package dev.notebench.spark.enrich;
