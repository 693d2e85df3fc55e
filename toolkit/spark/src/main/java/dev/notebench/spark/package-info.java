/**
 * Notebench on Apache Spark: the capabilities of the single-machine toolkit (enrichment,
 * embeddings, associations, tokenizer training, corpus preparation) run over a cluster's
 * DataFrames, giving the same results as the local API on the same data.
 *
 * <p>This module is optional and the only one that depends on Spark, which is {@code provided}:
 * the cluster (or the notebook's {@code %maven}/classpath) brings Spark 4.x for Scala 2.13.
 * Spark pins its own Jackson; nothing in Notebench's tree brings another one.
 */
package dev.notebench.spark;
