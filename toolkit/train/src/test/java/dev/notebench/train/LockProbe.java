package dev.notebench.train;

import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.time.Duration;

/** A process of its own that tries once to own a run directory and prints what happened. */
public final class LockProbe {
    private LockProbe() {
    }

    /**
     * Tries to own {@code args[0]}, at once.
     *
     * @param args the run directory
     */
    public static void main(String[] args) {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]), Duration.ZERO)) {
            System.out.print("owned by " + lock.owner().pid());
        } catch (NotebenchException e) {
            System.out.print(e.getMessage());
        }
    }
}
