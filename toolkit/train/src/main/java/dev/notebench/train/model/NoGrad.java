package dev.notebench.train.model;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs work on this thread with PyTorch's autograd off, then puts it back as it was. PyTorch keeps
 * its grad mode per thread and DJL turns it off only on the thread that started the engine, so on
 * any other thread (a widget's click, a new cell thread, a background run) a checkpoint's in-place
 * parameter writes are refused ("a view of a leaf Variable that requires grad is being used in an
 * in-place operation") and forward passes record graphs nobody uses.
 */
public final class NoGrad {
    private NoGrad() {
    }

    /**
     * Runs {@code work} without autograd.
     *
     * @param work loading or inference
     * @param <T> what it returns
     * @return what {@code work} returned
     */
    public static <T> T run(Supplier<T> work) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(was);
        }
    }
}
