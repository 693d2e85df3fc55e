/**
 * Tokenizers for language models: a byte-level BPE trainer that produces the same
 * {@code tokenizer.json} as Hugging Face's ({@link dev.notebench.tokenize.BpeTrainer}), an encoder
 * for byte-level BPE files with Hugging Face's ids ({@link dev.notebench.tokenize.BpeEncoder}), a char
 * tokenizer ({@link dev.notebench.tokenize.CharTokenizer}), SentencePiece models, the corpus they
 * read ({@link dev.notebench.tokenize.Corpus}) and statistics on held-out text
 * ({@link dev.notebench.tokenize.HoldoutStats}).
 */
package dev.notebench.tokenize;
