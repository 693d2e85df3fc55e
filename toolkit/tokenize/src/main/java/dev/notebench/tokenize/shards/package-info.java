/**
 * Token-id shards: a corpus encoded once, in parallel, into a directory that training (and
 * anything else) reads without the tokenizer.
 *
 * <p>The format, {@code notebench-token-shards/1}: a directory of shard files
 * {@code shard-00000.bin}, {@code shard-00001.bin}, ... each a flat array of token ids, little-endian
 * {@code uint16} when the vocabulary has at most 65,536 ids, else {@code int32} (the element
 * encoding of training's {@code tokens.bin}), and one manifest, {@code shards.json}
 * ({@link dev.notebench.tokenize.shards.ShardManifest}): the tokenizer's SHA-256, the vocabulary
 * size, the dtype, the total tokens, the inputs and the ordered shard list, each shard with its
 * tokens and its source (a file and line range, or a Spark partition). The manifest is written
 * last, whole: a directory without one is unfinished ({@code plan.json} and {@code shard-NNNNN.json}
 * records mark a run that a rerun resumes). The corpus is the concatenation of the shards in the
 * manifest's order. Reading it in Python takes a few lines of numpy:
 *
 * <pre>{@code
 * import json, numpy as np
 * m = json.load(open(f"{d}/shards.json"))
 * dtype = "<u2" if m["dtype"] == "uint16" else "<i4"
 * ids = np.concatenate([np.memmap(f"{d}/{s['file']}", dtype=dtype, mode="r") for s in m["shards"]])
 * }</pre>
 *
 * <p>{@link dev.notebench.tokenize.shards.CorpusEncoder} writes a directory from a local corpus
 * (resumable after a kill), {@link dev.notebench.tokenize.shards.ShardWriter} writes one shard
 * whole or not at all (the Spark encoder's partitions use it too), and
 * {@link dev.notebench.tokenize.shards.TokenShards} reads a directory as one memory-mapped sequence.
 */
package dev.notebench.tokenize.shards;
