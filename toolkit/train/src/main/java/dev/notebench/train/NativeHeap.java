package dev.notebench.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunes glibc's allocator for training, where libtorch allocates and frees the same large blocks
 * every step. By default glibc serves blocks over 128 KiB (rising with use, at most 32 MiB) with
 * fresh {@code mmap}s and returns freed memory at the top of the heap to the system, so each step
 * page-faults its activations in again; DJL frees a step's arrays all at once when its manager
 * closes, which makes that worse than in PyTorch. Training keeps blocks up to 32 MiB on the heap
 * and freed memory in the process ({@code mallopt}), and {@link #release()} hands the freed memory
 * back when a run ends. Without glibc (macOS, Windows, musl) both are no-ops.
 *
 * <p>The settings are the process's, so they stay after a run; tuning is idempotent. The system
 * property {@code notebench.train.tuneHeap=false} leaves the allocator alone (for comparisons).
 */
final class NativeHeap {
    private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    /** glibc's largest allowed mmap threshold on 64-bit systems: 4 * 1024 * 1024 * sizeof(long). */
    private static final int MMAP_THRESHOLD = 32 << 20;

    /** The two glibc calls used. */
    interface LibC extends Library {
        int mallopt(int param, int value);

        int malloc_trim(long pad);
    }

    private final LibC libc;

    private NativeHeap(LibC libc) {
        this.libc = libc;
    }

    /** Returns the allocator of this process, or one that does nothing where it is not glibc's. */
    static NativeHeap ofProcess() {
        if (!Platform.isLinux() || "false".equals(System.getProperty("notebench.train.tuneHeap"))) {
            return new NativeHeap(null);
        }
        try {
            return new NativeHeap(Native.load("c", LibC.class));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("no C library to tune: {}", e.toString());
            return new NativeHeap(null);
        }
    }

    /** Serves blocks up to 32 MiB from the heap and keeps freed memory in the process. */
    void tuneForTraining() {
        if (libc == null) {
            return;
        }
        try {
            boolean ok = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                    & libc.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1;
            if (!ok) {
                LOG.debug("the C library refused an allocator setting; training runs with its defaults");
            }
        } catch (UnsatisfiedLinkError e) { // not glibc (musl has no mallopt)
            LOG.debug("no mallopt: {}", e.toString());
        }
    }

    /** Returns the heap's free memory to the system. */
    void release() {
        if (libc == null) {
            return;
        }
        try {
            libc.malloc_trim(0);
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("no malloc_trim: {}", e.toString());
        }
    }
}
