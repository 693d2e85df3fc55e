/**
 * Local embedding models that run offline ({@link dev.notebench.embed.local.LocalEmbedder}).
 */
package dev.notebench.embed.local;
