/**
 * The safetensors format, read and written by us: memory-mapped reading of single files (over
 * 2 GiB too) and sharded checkpoints ({@link dev.notebench.safetensors.SafetensorsReader#open}),
 * F32 handed out without a copy and F16 / BF16 converted to F32, every header checked; and a writer
 * whose files equal Hugging Face's byte for byte ({@link dev.notebench.safetensors.SafetensorsWriter}).
 */
package dev.notebench.safetensors;
