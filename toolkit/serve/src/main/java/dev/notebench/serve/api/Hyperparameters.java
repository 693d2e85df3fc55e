package dev.notebench.serve.api;

import com.google.gson.JsonObject;

/**
 * The key hyperparameters of a run, from its manifest (never its environment: no key or webhook
 * URL is ever in a manifest).
 *
 * @param family the model family
 * @param model the family's settings, e.g. {@code {"n_layer": 1, "d_model": 32}}
 * @param tokenizer the tokenizer's directory or file name (not its path)
 * @param steps the configured optimizer steps
 * @param batchSize sequences per step
 * @param gradAccum micro-batches per step
 * @param learningRate the peak learning rate
 * @param minLearningRate the learning rate at the end of the schedule
 * @param warmupSteps warm-up steps
 * @param weightDecay AdamW's weight decay
 * @param gradClip the gradient-norm clip
 * @param evalEvery steps between evaluations
 * @param seed the seed
 * @param device the device, e.g. {@code cpu}
 * @param precision the precision, e.g. {@code fp32}
 * @param blockSize the training context, or null for the model's own
 */
public record Hyperparameters(String family, JsonObject model, String tokenizer, Long steps, Long batchSize, Long gradAccum,
                              Double learningRate, Double minLearningRate, Long warmupSteps, Double weightDecay, Double gradClip,
                              Long evalEvery, Long seed, String device, String precision, Long blockSize) {
}
