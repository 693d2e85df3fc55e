/**
 * Implementation details of the tokenizers: the GPT-2 byte-level alphabet, the pre-tokenizer
 * that splits UTF-8 bytes into words, word counting and the BPE merge loop. Not API.
 */
package dev.notebench.tokenize.internal;
