/**
 * Training data: tokens with a train/validation split ({@link dev.notebench.train.data.TokenData}),
 * either a corpus encoded into the run's memory-mapped token file
 * ({@link dev.notebench.train.data.TokenFile}) or token shards prepared once by
 * {@code tokenizer encode --corpus ... --out DIR} ({@link dev.notebench.train.data.ShardData}),
 * and the seeded windows drawn from them
 * ({@link dev.notebench.train.data.Windows}); or supervised fine-tuning rows of a JSONL file
 * ({@link dev.notebench.train.data.SftExamples}, chat rows rendered by the tokenizer's
 * {@link dev.notebench.train.data.ChatTemplate}) in padded batches whose loss counts completion
 * tokens only ({@link dev.notebench.train.data.SftBatches}). Both are
 * {@link dev.notebench.train.data.Batches}.
 */
package dev.notebench.train.data;
