/**
 * Enrichment without a server: the embedded labeler ({@link dev.notebench.enrich.local.LocalLabeler},
 * local sentence embeddings plus a few labelled examples), registered as the {@code local}
 * annotator provider, and the {@code %%enrich} magic.
 */
package dev.notebench.enrich.local;
