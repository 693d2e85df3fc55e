/**
 * Training language models on DJL/PyTorch: configure a run ({@link dev.notebench.train.TrainConfig}),
 * run it ({@link dev.notebench.train.Trainer}) with listeners for its metrics
 * ({@link dev.notebench.train.RunListener}), and resume it exactly from its checkpoints.
 */
package dev.notebench.train;
