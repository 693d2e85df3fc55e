package dev.notebench.kernel.agent;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.concurrent.CountDownLatch;

/**
 * The kernel's Java agent: guards {@code System.exit}, {@code Runtime.exit} and
 * {@code Runtime.halt} so that cell code cannot end the kernel's JVM. The kernelspec starts the
 * kernel with it ({@code java -javaagent:notebench-kernel.jar ... KernelMain}).
 *
 * <p>The agent rewrites {@code Runtime.exit(int)} and {@code Runtime.halt(int)} to look, before
 * anything else, for a {@code java.util.function.ObjIntConsumer<String>} among the calling
 * thread's {@link ThreadGroup} and its parents. When there is one, it is called with the
 * method's name ({@code "exit"} or {@code "halt"}) and the status; it refuses by throwing, and when
 * it returns the JVM exits as before. Threads in other groups (the kernel's own, which shut it down
 * when the front end asks) are not affected. The kernel runs cells in such a group, and platform
 * threads started there inherit it (virtual threads and the common {@code ForkJoinPool}'s threads
 * have groups of their own, so they are not guarded):
 *
 * <pre>{@code
 * final class CellThreads extends ThreadGroup implements ObjIntConsumer<String> {
 *     public void accept(String method, int status) {
 *         throw new IllegalStateException(method + "(" + status + ") is not allowed here");
 *     }
 * }
 * }</pre>
 *
 * <p>It works the same on every JDK from 17 on and needs no SecurityManager. The state here is
 * per JVM because {@code Runtime} is.
 *
 * <p>It also lets the kernel redefine the classes of cells in place ({@link #redefine}), as JShell
 * does through a debugger when it runs code in another JVM, so that a declaration JShell recompiles
 * (after an import, or a method it calls is redeclared) keeps its variables' values.
 */
public final class KernelAgent {
    private static volatile boolean installed;
    private static volatile String problem = "the kernel was started without its agent (-javaagent)";
    /** Counted down when the guard is installed or has failed; {@code null} without the agent. */
    private static volatile CountDownLatch installing;
    /** The JVM's instrumentation; {@code null} without the agent. */
    private static volatile Instrumentation instrumentation;

    private KernelAgent() {
    }

    /**
     * Called by the JVM before {@code main} for {@code -javaagent:JAR}. Rewrites {@code Runtime}
     * on a thread of its own, so that the kernel's start does not wait for it.
     *
     * @param args ignored
     * @param inst the JVM's instrumentation
     */
    public static void premain(String args, Instrumentation inst) {
        instrumentation = inst;
        CountDownLatch done = new CountDownLatch(1);
        installing = done;
        Thread t = new Thread(() -> {
            try {
                install(inst);
            } finally {
                done.countDown();
            }
        }, "notebench-exit-guard");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Called by the JVM when the agent is attached to a running JVM.
     *
     * @param args ignored
     * @param inst the JVM's instrumentation
     */
    public static void agentmain(String args, Instrumentation inst) {
        instrumentation = inst;
        install(inst);
    }

    /**
     * Returns whether {@code Runtime.exit} and {@code halt} in this JVM ask the thread's group
     * first, after waiting for the agent, if it was loaded, to finish rewriting them (tens of
     * milliseconds after the JVM started). Call it before running code that must not end the JVM.
     */
    public static boolean exitGuardInstalled() {
        CountDownLatch done = installing;
        if (done != null && done.getCount() > 0) {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the guard must be settled first: wait on, then say so
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return installed;
    }

    /** Returns why the exit guard is not installed, or an empty string when it is. */
    public static String exitGuardProblem() {
        return exitGuardInstalled() ? "" : problem;
    }

    /** Returns whether {@link #redefine} can work: the agent is loaded and the JVM redefines classes. */
    public static boolean canRedefineClasses() {
        Instrumentation inst = instrumentation;
        return inst != null && inst.isRedefineClassesSupported();
    }

    /**
     * Replaces the code of loaded classes in place, keeping their identity and static state, as
     * {@link Instrumentation#redefineClasses} does: all or none, and only method bodies may change.
     *
     * @param definitions the classes and their new class files
     * @throws UnsupportedOperationException without the agent, or when a class's fields or
     *     methods changed
     * @throws ClassNotFoundException when a class cannot be found
     * @throws java.lang.instrument.UnmodifiableClassException when a class cannot be modified
     */
    public static void redefine(ClassDefinition... definitions) throws ClassNotFoundException,
            UnmodifiableClassException {
        Instrumentation inst = instrumentation;
        if (inst == null || !inst.isRedefineClassesSupported()) {
            throw new UnsupportedOperationException("the kernel's agent is not loaded: classes cannot be redefined");
        }
        inst.redefineClasses(definitions);
    }

    private static synchronized void install(Instrumentation inst) {
        if (installed) {
            return;
        }
        if (!inst.isRetransformClassesSupported() || !inst.isModifiableClass(Runtime.class)) {
            problem = "this JVM cannot retransform java.lang.Runtime";
            return;
        }
        RuntimeExitTransformer transformer = new RuntimeExitTransformer();
        // stays registered: a later retransformation of Runtime (by another agent) starts from the
        // original class file and must apply this again
        inst.addTransformer(transformer, true);
        try {
            inst.retransformClasses(Runtime.class);
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            inst.removeTransformer(transformer);
            problem = "java.lang.Runtime could not be rewritten: " + e;
            return;
        }
        if (!transformer.rewritten()) {
            // e.g. ASM refusing the class file of a JDK newer than it knows
            inst.removeTransformer(transformer);
            problem = "java.lang.Runtime of Java " + Runtime.version().feature() + " could not be rewritten: "
                    + transformer.failure();
            return;
        }
        installed = true;
    }
}
