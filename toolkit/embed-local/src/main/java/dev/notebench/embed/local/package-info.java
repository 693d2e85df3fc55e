/**
 * Local embedding models that run offline ({@link dev.notebench.embed.local.MiniLmEmbedder}).
 */
package dev.notebench.embed.local;
