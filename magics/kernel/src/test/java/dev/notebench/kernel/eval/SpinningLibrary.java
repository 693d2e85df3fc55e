package dev.notebench.kernel.eval;

import java.util.concurrent.atomic.AtomicBoolean;

/** Library code a cell calls (no stop checks are woven into it) that ignores interruption. */
public final class SpinningLibrary {
    /** Set to let {@link #spinUntilReleased} return. */
    public static final AtomicBoolean RELEASE = new AtomicBoolean();

    private SpinningLibrary() {
    }

    /** Spins, ignoring interrupts, until {@link #RELEASE} is set. */
    public static long spinUntilReleased() {
        System.setProperty("notebench.test.cell", "spinning in a library");
        long spins = 0;
        while (!RELEASE.get()) {
            spins++;
        }
        return spins;
    }
}
