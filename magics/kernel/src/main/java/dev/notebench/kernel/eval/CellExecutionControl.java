package dev.notebench.kernel.eval;

import dev.notebench.kernel.agent.KernelAgent;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
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
 * the object over. An interrupt interrupts the cell's thread and makes the stop checks woven into
 * cell classes ({@link StopChecks}) throw there, so a loop in cell code stops at once. Code outside
 * the cell's classes that ignores interruption is waited for during a grace period; then the kernel
 * goes on, its thread keeps running (and, on JDKs that still allow it, is stopped).
 *
 * <p>Classes JShell recompiles are redefined in place through the kernel's agent, as JShell's
 * debugger-based engine does, so that variables keep their values when a later import or
 * redeclaration makes JShell recompile their declarations; without the agent, or when a class's
 * shape changed, JShell replaces the class instead and resets its variables.
 *
 * <p>Cell threads belong to a {@link CellThreadGroup}, which refuses {@code System.exit} when
 * the kernel's agent is installed.
 */
final class CellExecutionControl extends DirectExecutionControl {
    /** The exception class name a {@link UserException} carries when a cell was interrupted. */
    static final String INTERRUPTED = "Cell interrupted"; // a space, so it can never be a class name

    private static final Logger log = LoggerFactory.getLogger(CellExecutionControl.class);
    private static final Object NULL = new Object();
    private static final long STOP_GRACE_MS = Long.getLong("notebench.interrupt.grace.ms", 10_000); // long enough for a training step and its checkpoint

    private final CellClassLoader loader;
    private final CellThreadGroup threads;
    private final ExecutorService workers;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Run> current = new ThreadLocal<>();
    /** Guards the runs' states and {@link #stoppingRuns}. */
    private final Object stopLock = new Object();
    private int stoppingRuns;
    private final Field stopHook;
    private final Runnable stopCheck = this::stopIfStopping;
    private volatile boolean weaveFailed;
    private volatile Throwable lastThrown;
    private volatile boolean lastInterruptAbandonedThread;
    /** Set by {@link #interrupt()}, cleared when a cell starts: a snippet starting after it does not run. */
    private volatile boolean interruptPending;

    CellExecutionControl(CellClassLoader loader) {
        super(new CellLoaderDelegate(loader));
        this.loader = loader;
        this.threads = new CellThreadGroup(() -> current.get() != null);
        PoolThreadExitGuard.install(threads);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(threads, r, "notebench-cell-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
        loader.declare(StopChecks.HOOK_CLASS, StopChecks.hookClass());
        try {
            this.stopHook = Class.forName(StopChecks.HOOK_CLASS, true, loader).getField(StopChecks.HOOK_FIELD);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the stop-check class of cells cannot be loaded", e);
        }
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
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] woven = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            woven[i] = new ClassBytecodes(cbcs[i].name(), weave(cbcs[i].bytecodes()));
        }
        super.load(woven);
    }

    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        if (!KernelAgent.canRedefineClasses()) {
            throw new NotImplementedException("redefining cell classes needs the kernel's agent");
        }
        ClassBytecodes[] woven = new ClassBytecodes[cbcs.length];
        ClassDefinition[] definitions = new ClassDefinition[cbcs.length];
        try {
            for (int i = 0; i < cbcs.length; i++) {
                woven[i] = new ClassBytecodes(cbcs[i].name(), weave(cbcs[i].bytecodes()));
                definitions[i] = new ClassDefinition(findClass(cbcs[i].name()), woven[i].bytecodes());
            }
            KernelAgent.redefine(definitions);
        } catch (ClassNotFoundException | UnmodifiableClassException | UnsupportedOperationException | LinkageError e) {
            // all or none were redefined: JShell replaces them instead
            throw new ClassInstallException("redefine: " + e, new boolean[cbcs.length]);
        }
        classesRedefined(woven);
    }

    private byte[] weave(byte[] classfile) {
        try {
            return StopChecks.weave(classfile);
        } catch (RuntimeException e) {
            if (!weaveFailed) {
                weaveFailed = true;
                log.warn("cell code runs without stop checks, so an interrupt cannot stop a loop that ignores it: {}",
                        e.toString());
            }
            return classfile;
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        KernelAgent.exitGuardInstalled(); // the agent installs it while the kernel starts: no cell runs before
        Run run = new Run(doitMethod);
        FutureTask<Object> task = new FutureTask<>(run);
        run.task = task;
        running.add(run);
        try {
            if (interruptPending) {
                // interrupted while JShell compiled this snippet, before it was running: it does not start.
                // interrupt() sets the flag before it looks at the running snippets, so one of the two sees the other.
                stop(run);
            }
            workers.execute(task);
            Object value = task.get();
            String key = UUID.randomUUID().toString();
            results.put(key, value == null ? NULL : value);
            return key;
        } catch (CancellationException e) {
            throw interrupted(run);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CellStopped || cause instanceof InvocationTargetException ite && ite.getCause() instanceof CellStopped) {
                // a stop check threw before stop() cancelled the task (the cell may have caught and rethrown it): interrupted all the same
                throw interrupted(run);
            }
            if (cause instanceof InvocationTargetException ite && ite.getCause() != null) {
                lastThrown = ite.getCause();
                throw ite; // the caller turns it into the UserException JShell reports
            }
            lastThrown = cause;
            throw new UserException(String.valueOf(cause), cause.getClass().getName(), cause.getStackTrace());
        } finally {
            running.remove(run);
        }
    }

    private UserException interrupted(Run run) {
        lastThrown = null;
        lastInterruptAbandonedThread = !run.leftWithin(STOP_GRACE_MS);
        return new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
    }

    /** Whether an interrupt came since the current cell started. */
    boolean interruptPending() {
        return interruptPending;
    }

    /** A cell starts: an interrupt that came before is not for it. */
    void cellStarted() {
        interruptPending = false;
        threads.cellStarted();
    }

    /** The cell ended; returns the first exit it called, which was refused, or {@code null}. */
    ExitRefusedError cellEnded() {
        return threads.cellEnded();
    }

    /**
     * Interrupts every running snippet, and every snippet of the current cell that has yet to start;
     * each one's {@link #invoke} then reports the interrupt.
     */
    void interrupt() {
        interruptPending = true;
        for (Run r : running) {
            stop(r);
        }
    }

    private void stop(Run run) {
        synchronized (stopLock) {
            if (run.stopping) {
                return;
            }
            run.stopping = true;
            if (run.started && !run.ended && stoppingRuns++ == 0) {
                setStopHook(stopCheck);
            }
        }
        run.task.cancel(true);
    }

    /** Called by the stop checks in cell code while some run is being stopped. */
    private void stopIfStopping() {
        Run run = current.get();
        if (run != null && run.stopping) {
            throw new CellStopped();
        }
    }

    private void setStopHook(Runnable hook) {
        try {
            stopHook.set(null, hook);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the stop-check class of cells is not accessible", e);
        }
    }

    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        interrupt();
        workers.shutdownNow();
        try {
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }

    /** One snippet's run on a worker thread. */
    private final class Run implements Callable<Object> {
        private final Method method;
        private final CountDownLatch finished = new CountDownLatch(1);
        FutureTask<Object> task;
        private volatile Thread thread;
        /** Guarded by {@link #stopLock}; volatile for the stop checks, which read it without the lock. */
        private volatile boolean stopping;
        private boolean started;
        private boolean ended;

        Run(Method method) {
            this.method = method;
        }

        @Override
        public Object call() throws Exception {
            synchronized (stopLock) {
                if (stopping) {
                    throw new CellStopped(); // stopped before it started
                }
                started = true;
                thread = Thread.currentThread();
            }
            current.set(this);
            try {
                return method.invoke(null);
            } finally {
                current.remove();
                synchronized (stopLock) {
                    ended = true;
                    if (stopping && --stoppingRuns == 0) {
                        setStopHook(null);
                    }
                }
                finished.countDown();
            }
        }

        /** Waits for an interrupted run to leave; stops its thread where the JDK still allows it. */
        boolean leftWithin(long graceMs) {
            Thread t = thread;
            if (t == null) {
                return true; // never started
            }
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
    }
}
