/**
 * Language models and their families: the GPT-2-style decoder ({@link dev.notebench.train.model.GptModel}),
 * the LLaMA-style decoder of llama, mistral, qwen2 and qwen3 ({@link dev.notebench.train.model.LlamaModel}), the
 * char-LSTM ({@link dev.notebench.train.model.CharLstmModel}), and the
 * {@link dev.notebench.train.model.ModelFamily} SPI through which more families plug in.
 */
package dev.notebench.train.model;
