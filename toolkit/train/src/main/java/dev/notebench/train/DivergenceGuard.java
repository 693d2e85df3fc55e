package dev.notebench.train;

import dev.notebench.ErrorCode;

/**
 * Fails a run whose training loss is no longer finite (NaN or infinite), before the optimizer
 * applies the step: the run ends {@link RunState#FAILED} at the step before, without a checkpoint,
 * and {@link TrainRun#run()} throws {@link ErrorCode#MODEL_TRAIN_FAILED} naming the last good
 * checkpoint and what to change.
 */
public final class DivergenceGuard implements RunListener {
    /** Creates the guard. */
    public DivergenceGuard() {
    }

    @Override
    public void batch(Training t) {
        double loss = t.loss();
        if (!Double.isFinite(loss)) {
            String last = t.directory().latestCheckpoint().map(p -> "the last good checkpoint is " + p.getFileName())
                    .orElse("no checkpoint was written yet");
            t.stop(RunState.FAILED, "the training loss became " + loss + " at step " + t.step() + "; " + last
                    + "; lower the learning rate or raise the warmup");
        }
    }
}
