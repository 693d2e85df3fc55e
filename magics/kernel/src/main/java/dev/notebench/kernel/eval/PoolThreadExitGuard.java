package dev.notebench.kernel.eval;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.ObjIntConsumer;

/**
 * Refuses {@code System.exit}, {@code Runtime.exit} and {@code halt} on the threads cell code
 * reaches that are not in its {@link CellThreadGroup}: the common {@link ForkJoinPool}'s workers
 * (parallel streams, {@code CompletableFuture.supplyAsync}) and virtual threads (Java 21+), whose
 * groups the JVM chooses. The kernel never exits from such a thread, so every exit there is cell
 * code's. The kernel's agent asks the JVM's default uncaught-exception handler when no thread
 * group does, so this is installed as that handler; it passes uncaught exceptions on to the one
 * it replaced, or prints them as the JVM would.
 */
final class PoolThreadExitGuard implements Thread.UncaughtExceptionHandler, ObjIntConsumer<String> {
    private static final MethodHandle IS_VIRTUAL = isVirtual();

    private final CellThreadGroup cells;
    private final Thread.UncaughtExceptionHandler previous;

    private PoolThreadExitGuard(CellThreadGroup cells, Thread.UncaughtExceptionHandler previous) {
        this.cells = cells;
        this.previous = previous;
    }

    /**
     * Makes this the JVM's default uncaught-exception handler, reporting refusals to {@code cells}.
     * The JVM has one default handler: the evaluator created last is the one that reports.
     */
    static void install(CellThreadGroup cells) {
        Thread.UncaughtExceptionHandler current = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(new PoolThreadExitGuard(cells,
                current instanceof PoolThreadExitGuard g ? g.previous : current));
    }

    @Override
    public void accept(String method, int status) {
        Thread t = Thread.currentThread();
        boolean commonPool = t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool();
        if (commonPool || isVirtual(t)) {
            // refuses: records it for the running cell and throws
            cells.refuse(method, status, "by thread '" + t.getName() + "' (" + (commonPool ? "the common ForkJoinPool's, running"
                    + " a parallel stream or async task" : "a virtual thread") + ")");
        }
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        if (e instanceof ExitRefusedError) {
            return; // the cell reports it, or the group logged it
        }
        if (previous != null) {
            previous.uncaughtException(t, e);
        } else {
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace(System.err);
        }
    }

    private static boolean isVirtual(Thread t) {
        try {
            return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invoke(t);
        } catch (Throwable e) { // isVirtual() throws nothing; were it to, the thread is treated as a platform thread
            return false;
        }
    }

    private static MethodHandle isVirtual() {
        try { // Thread.isVirtual() exists from Java 21; the kernel is built for 17
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
