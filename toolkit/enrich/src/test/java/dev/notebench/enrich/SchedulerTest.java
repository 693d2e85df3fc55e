package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void tasksThatSubmitTasksAreAllRunBeforeTheRunIsDone() throws InterruptedException {
        AtomicInteger ran = new AtomicInteger();
        try (Scheduler s = new Scheduler(3, "test", () -> false)) {
            for (int i = 0; i < 4; i++) {
                s.submit(new Runnable() {
                    private int depth;

                    @Override
                    public void run() {
                        ran.incrementAndGet();
                        if (depth++ < 3) {
                            s.submit(this);
                            s.submit(ran::incrementAndGet);
                        }
                    }
                });
            }
            assertTrue(s.awaitDone(LONG));
            assertEquals(0, s.pending());
            assertEquals(Optional.empty(), s.failure());
        }
        assertEquals(4 * (4 + 3), ran.get());
    }

    @Test
    void withNothingSubmittedTheRunIsDoneAtOnce() throws InterruptedException {
        try (Scheduler s = new Scheduler(1, "test", () -> false)) {
            assertTrue(s.awaitDone(Duration.ofMillis(1)));
        }
    }

    @Test
    void awaitDoneReturnsFalseWhileATaskRuns() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        try (Scheduler s = new Scheduler(1, "test", () -> false)) {
            s.submit(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertFalse(s.awaitDone(Duration.ofMillis(1)));
            assertEquals(1, s.pending());
            release.countDown();
            assertTrue(s.awaitDone(LONG));
        }
    }

    @Test
    void theFirstFailureIsKeptAndTasksNotStartedAreSkipped() throws InterruptedException {
        ConcurrentLinkedQueue<String> ran = new ConcurrentLinkedQueue<>();
        IllegalStateException boom = new IllegalStateException("boom");
        try (Scheduler s = new Scheduler(1, "test", () -> false)) {
            s.submit(() -> ran.add("a"));
            s.submit(() -> {
                throw boom;
            });
            s.submit(() -> ran.add("c"));
            assertTrue(s.awaitDone(LONG));
            assertEquals(Optional.of(boom), s.failure());
            s.fail(new IllegalStateException("later"));
            assertEquals(Optional.of(boom), s.failure());
        }
        assertEquals(List.of("a"), List.copyOf(ran));
    }

    @Test
    void onceStopSaysSoNoTaskStarts() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Integer> ran = new ConcurrentLinkedQueue<>();
        try (Scheduler s = new Scheduler(1, "test", stop::get)) {
            s.submit(() -> {
                ran.add(1);
                stop.set(true);
            });
            s.submit(() -> ran.add(2));
            assertTrue(s.awaitDone(LONG));
            assertEquals(Optional.empty(), s.failure());
        }
        assertEquals(List.of(1), List.copyOf(ran));
    }
}
