/**
 * LLM enrichment of tables: rows packed into prompts ({@link dev.notebench.enrich.Packer}), sent in
 * parallel to an {@link dev.notebench.enrich.Annotator} (an OpenAI-compatible server, or the
 * embedded offline labeler), every answer validated against an
 * {@link dev.notebench.enrich.OutputSchema}, bad rows re-asked in smaller batches, finished batches
 * journalled so that a killed run resumes exactly, and the results written back as new columns by
 * the {@link dev.notebench.enrich.Enricher}.
 */
package dev.notebench.enrich;
