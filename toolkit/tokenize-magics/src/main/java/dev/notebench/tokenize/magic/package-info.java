/**
 * {@code %tokenizer}: training, encoding and measuring tokenizers from a notebook
 * ({@link dev.notebench.tokenize.magic.TokenizerMagics}); loaded by the kernel through
 * {@link dev.notebench.magics.MagicsProvider}.
 */
package dev.notebench.tokenize.magic;
