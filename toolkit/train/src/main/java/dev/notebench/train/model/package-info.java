/**
 * Language models and their families: the GPT-2-style decoder ({@link dev.notebench.train.model.GptModel}),
 * the char-LSTM ({@link dev.notebench.train.model.CharLstmModel}), and the
 * {@link dev.notebench.train.model.ModelFamily} SPI through which more families plug in.
 */
package dev.notebench.train.model;
