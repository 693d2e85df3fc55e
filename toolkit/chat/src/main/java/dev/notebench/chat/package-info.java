/**
 * Chat templates: the Jinja text of a tokenizer's {@code chat_template} rendered as transformers'
 * {@code apply_chat_template(tokenize=False)} renders it ({@link dev.notebench.chat.JinjaChatRenderer},
 * on HubSpot's Jinjava). This module is the only one with a Jinja engine; libraries reach it
 * through {@link dev.notebench.tokenize.ChatRenderer}, found by {@link java.util.ServiceLoader}.
 */
package dev.notebench.chat;
