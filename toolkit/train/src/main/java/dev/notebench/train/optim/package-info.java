/**
 * Optimization: AdamW with decoupled weight decay per parameter group
 * ({@link dev.notebench.train.optim.AdamW}), global-norm gradient clipping, and the warmup +
 * cosine learning-rate schedule ({@link dev.notebench.train.optim.LrSchedule}).
 */
package dev.notebench.train.optim;
