/**
 * Low-rank adaptation (LoRA) of a pretrained model's linear layers, computed and stored as
 * Hugging Face PEFT does: {@link dev.notebench.train.lora.LoraConfig} (rank, alpha, dropout, target
 * modules), {@link dev.notebench.train.lora.LoraModel} (the frozen base with trainable adapters,
 * and their merge into the weights) and {@link dev.notebench.train.lora.PeftAdapters}
 * ({@code adapter_config.json} and {@code adapter_model.safetensors}, read and written).
 */
package dev.notebench.train.lora;
