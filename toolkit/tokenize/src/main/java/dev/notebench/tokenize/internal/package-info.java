/**
 * Implementation details of the tokenizers: the GPT-2 byte-level alphabet, the pre-tokenizer
 * that splits UTF-8 bytes into words, word counting and the BPE merge loop; the encoder's
 * pipeline (pre-tokenizer scanners for GPT-2's, LLaMA-3's and Qwen2's regexes, normalizers, added
 * tokens, merge tables, per-thread piece caches). Not API.
 */
package dev.notebench.tokenize.internal;
