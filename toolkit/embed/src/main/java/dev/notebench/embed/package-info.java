/**
 * Embeddings: the {@link dev.notebench.embed.Embedder} interface and a SQLite cache that many
 * threads and processes share ({@link dev.notebench.embed.EmbeddingCache}).
 */
package dev.notebench.embed;
