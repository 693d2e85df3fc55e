/**
 * Tokenizer training over a cluster: GPT-2 words counted by the executors, merges learned on the
 * driver by {@link dev.notebench.tokenize.BpeTrainer}
 * ({@link dev.notebench.spark.tokenize.SparkBpeTrainer}).
 */
package dev.notebench.spark.tokenize;
