/**
 * Training data: a corpus encoded once into a memory-mapped token file with a train/validation
 * split ({@link dev.notebench.train.data.TokenFile}), and the seeded windows drawn from it
 * ({@link dev.notebench.train.data.Windows}); or supervised fine-tuning rows of a JSONL file
 * ({@link dev.notebench.train.data.SftExamples}, chat rows rendered by the tokenizer's
 * {@link dev.notebench.train.data.ChatTemplate}) in padded batches whose loss counts completion
 * tokens only ({@link dev.notebench.train.data.SftBatches}). Both are
 * {@link dev.notebench.train.data.Batches}.
 */
package dev.notebench.train.data;
