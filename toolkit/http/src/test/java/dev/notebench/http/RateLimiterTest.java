package dev.notebench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    /** A clock that moves only when someone waits on it, recording each wait in milliseconds. */
    private static final class FakeTicker implements RateLimiter.Ticker {
        private long now = 1_000_000_000L;
        private final List<Long> waitsMs = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            waitsMs.add(Math.round(nanos / 1e6));
            now += nanos;
        }
    }

    @Test
    void aFullBucketLetsOneSecondsAllowanceThroughAtOnceThenSpacesTheRestEvenly() throws InterruptedException {
        FakeTicker clock = new FakeTicker();
        RateLimiter limiter = new RateLimiter(1200, 0, clock); // 20 a second, a bucket of 20
        for (int i = 0; i < 30; i++) {
            limiter.acquire(1);
        }
        assertEquals(List.of(50L, 50L, 50L, 50L, 50L, 50L, 50L, 50L, 50L, 50L), clock.waitsMs);
    }

    @Test
    void aRequestBiggerThanTheBucketGoesThroughAndItsDebtIsRepaidBeforeTheNext() throws InterruptedException {
        FakeTicker clock = new FakeTicker();
        RateLimiter tokens = new RateLimiter(0, 60_000, clock); // 1,000 tokens a second
        tokens.acquire(5_000);
        assertEquals(List.of(), clock.waitsMs);
        tokens.acquire(10);
        assertEquals(List.of(4_010L), clock.waitsMs); // 4,000 tokens of debt, then the 10 asked for
    }

    @Test
    void timePassedRefillsTheBucketUpToItsCapacityOnly() throws InterruptedException {
        FakeTicker clock = new FakeTicker();
        RateLimiter limiter = new RateLimiter(120, 0, clock); // 2 a second, a bucket of 2
        limiter.acquire(1);
        limiter.acquire(1);
        clock.now += 60_000_000_000L; // a minute idle fills the bucket to 2, not 120
        for (int i = 0; i < 3; i++) {
            limiter.acquire(1);
        }
        assertEquals(List.of(500L), clock.waitsMs);
    }

    @Test
    void withoutLimitsNothingWaits() throws InterruptedException {
        FakeTicker clock = new FakeTicker();
        RateLimiter none = new RateLimiter(0, 0, clock);
        for (int i = 0; i < 1000; i++) {
            none.acquire(1_000_000);
        }
        assertEquals(List.of(), clock.waitsMs);
    }
}
