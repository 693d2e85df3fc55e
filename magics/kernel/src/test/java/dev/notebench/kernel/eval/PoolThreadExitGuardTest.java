package dev.notebench.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.Test;

class PoolThreadExitGuardTest {
    @SuppressWarnings("unchecked")
    private static Throwable askOn(Thread.UncaughtExceptionHandler guard, boolean commonPool) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Runnable ask = () -> {
            try {
                ((ObjIntConsumer<String>) guard).accept("exit", 2);
            } catch (Throwable t) {
                thrown.set(t);
            }
        };
        if (commonPool) {
            ForkJoinTask<?> task = ForkJoinPool.commonPool().submit(ask);
            while (!task.isDone()) { // not join(): that could run the task on this thread
                Thread.onSpinWait();
            }
        } else {
            Thread t = new Thread(ask, "kernel-thread");
            t.start();
            t.join();
        }
        return thrown.get();
    }

    @Test
    void exitsOnTheCommonPoolAreRefusedAndOtherThreadsAreLeftToTheirGroup() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        try {
            CellThreadGroup cells = new CellThreadGroup(() -> false);
            PoolThreadExitGuard.install(cells);
            Thread.UncaughtExceptionHandler guard = Thread.getDefaultUncaughtExceptionHandler();
            cells.cellStarted();
            Throwable refused = askOn(guard, true);
            assertEquals(ExitRefusedError.class, refused.getClass());
            assertEquals(true, refused.getMessage().matches("Runtime\\.exit\\(2\\) was called by thread 'ForkJoinPool\\.commonPool"
                    + "-worker-\\d+' \\(the common ForkJoinPool's, running a parallel stream or async task\\); the kernel keeps"
                    + " running\\. Restart the kernel from the front end to stop it\\."), refused.getMessage());
            assertEquals(refused, cells.cellEnded(), "the running cell reports it");
            assertNull(askOn(guard, false), "a platform thread outside the pool is its group's to judge");
            PoolThreadExitGuard.install(cells);
            assertEquals(previous(guard), previous(Thread.getDefaultUncaughtExceptionHandler()), "installing twice does not stack"
                    + " guards");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    private static Thread.UncaughtExceptionHandler previous(Thread.UncaughtExceptionHandler h) throws Exception {
        var f = PoolThreadExitGuard.class.getDeclaredField("previous");
        f.setAccessible(true);
        return (Thread.UncaughtExceptionHandler) f.get(h);
    }
}
