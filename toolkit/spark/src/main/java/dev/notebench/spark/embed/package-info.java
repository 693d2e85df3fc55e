/**
 * Embeddings of a DataFrame's text column on Spark ({@link dev.notebench.spark.embed.SparkEmbedder}):
 * one local model per executor JVM, texts batched by length inside each partition, the same
 * vectors as the local {@code Embedder}.
 */
package dev.notebench.spark.embed;
