/**
 * Training language models on DJL/PyTorch: configure a run ({@link dev.notebench.train.TrainConfig}),
 * train it ({@link dev.notebench.train.TrainRun}, a loop that only steps) with listeners
 * ({@link dev.notebench.train.RunListener}; the metrics log, checkpointing, early stopping, the
 * divergence guard and the heartbeat are its {@link dev.notebench.train.RunListener.Defaults}), and
 * resume it exactly from its checkpoints. A run's files on disk have one owner,
 * {@link dev.notebench.train.RunDirectory}; its status is a {@link dev.notebench.train.RunState}.
 */
package dev.notebench.train;
