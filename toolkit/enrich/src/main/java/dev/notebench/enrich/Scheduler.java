package dev.notebench.enrich;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Runs an {@link Enricher}'s batches on a fixed pool of daemon threads, where a task may submit
 * more tasks (a retry, the halves of a split). It is done when every submitted task has finished;
 * the first tasks are submitted before the first {@link #awaitDone}, so that the run cannot look
 * done between two of them.
 * The first task to throw fails the run: tasks that have not started are then skipped, as they
 * are once {@code stop} says so, so that the calls in flight finish and nothing new starts.
 *
 * <pre>{@code
 * try (Scheduler s = new Scheduler(4, "enrich", stop)) {
 *     plan.forEach(b -> s.submit(() -> process(b)));
 *     while (!s.awaitDone(Duration.ofMillis(500))) {
 *         showProgress();
 *     }
 *     s.failure().ifPresent(e -> { throw e; });
 * }
 * }</pre>
 */
final class Scheduler implements AutoCloseable {
    private final ExecutorService pool;
    private final BooleanSupplier stop;
    /** Tasks not finished, plus one for the owner until its first {@link #awaitDone}. */
    private final AtomicInteger pending = new AtomicInteger(1);
    private final AtomicBoolean held = new AtomicBoolean(true);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /**
     * Starts the threads.
     *
     * @param workers how many tasks run at once
     * @param name the threads' name prefix ({@code name-1}, {@code name-2}...)
     * @param stop asked before each task starts; true skips it
     */
    Scheduler(int workers, String name, BooleanSupplier stop) {
        AtomicInteger threadNo = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, name + "-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.stop = stop;
    }

    /** Queues a task; it is skipped if the run has failed or been stopped by the time it would start. */
    void submit(Runnable task) {
        pending.incrementAndGet();
        try {
            pool.execute(() -> {
                try {
                    if (failure.get() == null && !stop.getAsBoolean()) {
                        task.run();
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished();
                }
            });
        } catch (RejectedExecutionException e) {
            finished(); // closing after a failure or a cancel
        }
    }

    private void finished() {
        if (pending.decrementAndGet() == 0) {
            done.complete(null);
        }
    }

    /**
     * Waits until every task has finished, or at most {@code tick}.
     *
     * @return whether every task has finished (true at once when none was submitted)
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean awaitDone(Duration tick) throws InterruptedException {
        if (held.compareAndSet(true, false)) {
            finished();
        }
        try {
            done.get(Math.max(1, tick.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException notYet) {
            return false;
        } catch (ExecutionException never) {
            throw new IllegalStateException(never); // done is only ever completed normally
        }
    }

    /** Records a failure found outside a task (the first one counts); tasks not started are skipped from now on. */
    void fail(RuntimeException e) {
        failure.compareAndSet(null, e);
    }

    /** The first failure of a task, if any. */
    Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Tasks submitted and not finished. */
    int pending() {
        return pending.get() - (held.get() ? 1 : 0);
    }

    /** Interrupts the tasks still running and waits up to 30 s for them to end. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
