package dev.notebench.enrich;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves a fixed step each time it is read: time passes exactly as fast as the code looks at it. */
final class SteppingClock extends Clock {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private final long stepMs;

    SteppingClock(long stepMs) {
        this.stepMs = stepMs;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        return millis.getAndAdd(stepMs);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
