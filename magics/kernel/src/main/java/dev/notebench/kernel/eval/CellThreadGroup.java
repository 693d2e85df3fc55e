package dev.notebench.kernel.eval;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread group of cell code: the threads that run cells and, since new threads join the
 * group of the thread that makes them, the threads cell code starts. With the kernel's agent
 * ({@link dev.notebench.kernel.agent.KernelAgent}) {@code Runtime.exit} and {@code halt} call
 * {@link #accept} on these threads, which refuses with an {@link ExitRefusedError} and keeps the
 * refusal for the running cell to report, even if cell code catches the error.
 */
final class CellThreadGroup extends ThreadGroup implements ObjIntConsumer<String> {
    private static final Logger log = LoggerFactory.getLogger(CellThreadGroup.class);

    private final BooleanSupplier onCellThread;
    private final AtomicReference<ExitRefusedError> refused = new AtomicReference<>();
    private volatile boolean cellRunning;

    /**
     * Creates the group under the JVM's root group (never a daemon group, which JDK 17 would
     * destroy when its last thread ends).
     *
     * @param onCellThread whether the current thread is running a cell (not one a cell started)
     */
    CellThreadGroup(BooleanSupplier onCellThread) {
        super(root(), "notebench-cells");
        this.onCellThread = onCellThread;
    }

    private static ThreadGroup root() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }

    /**
     * Refuses {@code Runtime.exit(status)} or {@code Runtime.halt(status)}.
     *
     * @param method {@code "exit"} or {@code "halt"}
     * @param status the status
     * @throws ExitRefusedError always
     */
    @Override
    public void accept(String method, int status) {
        refuse(method, status, onCellThread.getAsBoolean() ? "in this cell"
                : "by thread '" + Thread.currentThread().getName() + "', which a cell started");
    }

    /**
     * Refuses an exit called where {@code where} says, keeping it for the running cell to report.
     *
     * @throws ExitRefusedError always
     */
    void refuse(String method, int status, String where) {
        ExitRefusedError e = ExitRefusedError.refusing(method, status, where);
        if (cellRunning) {
            refused.compareAndSet(null, e);
        } else {
            log.warn("{}", e.getMessage());
        }
        throw e;
    }

    /** A cell starts: refusals from now on are its to report. */
    void cellStarted() {
        refused.set(null);
        cellRunning = true;
    }

    /** The cell ended; returns the first exit it had refused, or {@code null}. */
    ExitRefusedError cellEnded() {
        cellRunning = false;
        return refused.getAndSet(null);
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        if (!(e instanceof ExitRefusedError)) { // that one is reported by the cell, or logged
            super.uncaughtException(t, e);
        }
    }
}
