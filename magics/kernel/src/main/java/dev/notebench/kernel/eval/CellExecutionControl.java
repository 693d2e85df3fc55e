package dev.notebench.kernel.eval;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.DirectExecutionControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cell code in this JVM on worker threads, keeping the real result objects (not their
 * strings) and the real exceptions, and stopping a cell on interrupt.
 *
 * <p>{@link #invoke(Method)} returns a key for the result; {@link #takeResult(String)} hands
 * the object over. A cell that ignores interruption is abandoned after a grace period: the
 * kernel goes on, its thread keeps running (and, on JDKs that still allow it, is stopped).
 */
final class CellExecutionControl extends DirectExecutionControl {
    /** The exception class name a {@link UserException} carries when a cell was interrupted. */
    static final String INTERRUPTED = "Cell interrupted"; // a space, so it can never be a class name

    private static final Logger log = LoggerFactory.getLogger(CellExecutionControl.class);
    private static final Object NULL = new Object();
    private static final long STOP_GRACE_MS = Long.getLong("notebench.interrupt.grace.ms", 10_000); // long enough for a training step and its checkpoint

    private final CellClassLoader loader;
    private final ExecutorService workers;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final Map<Future<?>, Thread> running = new ConcurrentHashMap<>();
    private volatile Throwable lastThrown;
    private volatile boolean lastInterruptAbandonedThread;
    /** Set by {@link #interrupt()}, cleared when a cell starts: a snippet starting after it does not run. */
    private volatile boolean interruptPending;

    CellExecutionControl(CellClassLoader loader) {
        super(new CellLoaderDelegate(loader));
        this.loader = loader;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "notebench-cell-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
    }

    CellClassLoader loader() {
        return loader;
    }

    /** Returns and forgets the object a snippet produced. */
    Object takeResult(String key) {
        Object v = results.remove(key);
        return v == NULL ? null : v;
    }

    /** Returns the exception the last failing snippet threw, as thrown. */
    Throwable lastThrown() {
        return lastThrown;
    }

    /** Returns whether the last interrupt had to leave a thread running. */
    boolean lastInterruptAbandonedThread() {
        return lastInterruptAbandonedThread;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Thread[] worker = new Thread[1];
        CountDownLatch finished = new CountDownLatch(1);
        Future<Object> task = workers.submit(() -> {
            synchronized (worker) {
                worker[0] = Thread.currentThread();
            }
            try {
                return doitMethod.invoke(null);
            } finally {
                finished.countDown();
            }
        });
        running.put(task, Thread.currentThread());
        if (interruptPending) {
            // interrupted while JShell compiled this snippet, before it was running: it does not start.
            // interrupt() sets the flag before it looks at the running tasks, so one of the two sees the other.
            task.cancel(true);
        }
        try {
            Object value = task.get();
            String key = UUID.randomUUID().toString();
            results.put(key, value == null ? NULL : value);
            return key;
        } catch (CancellationException e) {
            lastThrown = null;
            Thread t;
            synchronized (worker) {
                t = worker[0];
            }
            lastInterruptAbandonedThread = t != null && !stopWithin(t, finished, STOP_GRACE_MS);
            throw new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException ite && ite.getCause() != null) {
                lastThrown = ite.getCause();
                throw ite; // the caller turns it into the UserException JShell reports
            }
            lastThrown = cause;
            throw new UserException(String.valueOf(cause), cause.getClass().getName(), cause.getStackTrace());
        } finally {
            running.remove(task);
        }
    }

    /** Whether an interrupt came since the current cell started. */
    boolean interruptPending() {
        return interruptPending;
    }

    /** Forgets an interrupt that came before the cell now starting. */
    void clearInterrupt() {
        interruptPending = false;
    }

    /**
     * Interrupts every running snippet, and every snippet of the current cell that has yet to start;
     * each one's {@link #invoke} then reports the interrupt.
     */
    void interrupt() {
        interruptPending = true;
        for (Future<?> f : running.keySet()) {
            f.cancel(true);
        }
    }

    /** Waits for interrupted cell code to leave; stops its thread where the JDK still allows it. */
    private static boolean stopWithin(Thread t, CountDownLatch finished, long graceMs) {
        try {
            if (finished.await(graceMs, TimeUnit.MILLISECONDS)) {
                return true;
            }
            Thread.class.getMethod("stop").invoke(t); // allowed up to JDK 19; later JDKs refuse
            if (finished.await(graceMs, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReflectiveOperationException | UnsupportedOperationException e) {
            log.debug("cannot stop cell thread {}: {}", t.getName(), e.toString());
        }
        log.warn("cell thread {} ignored the interrupt and keeps running", t.getName());
        return false;
    }

    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }
}
