/**
 * Embeddings: the {@link dev.notebench.embed.Embedder} interface, a SQLite cache that many threads
 * and processes share ({@link dev.notebench.embed.EmbeddingCache}), an embedder with that cache in
 * front of it ({@link dev.notebench.embed.CachingEmbedder}), and the nearest cached texts to a
 * vector ({@link dev.notebench.embed.EmbeddingCache#nearest}).
 */
package dev.notebench.embed;
