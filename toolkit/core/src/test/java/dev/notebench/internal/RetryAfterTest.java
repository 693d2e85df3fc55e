package dev.notebench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    @Test
    void deltaSecondsMayHaveAFractionAndNeverGoBelowZero() {
        assertEquals(Optional.of(Duration.ofMillis(1500)), RetryAfter.parse("1.5", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("-3", NOW));
    }

    @Test
    void anHttpDateIsReadAgainstTheClockAndAPastOneAsksForNoWait() {
        assertEquals(Optional.of(Duration.ofMinutes(10)), RetryAfter.parse("Wed, 21 Oct 2015 07:38:00 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 21 Oct 2015 07:27:59 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Tue, 20 Oct 2015 07:28:00 GMT", NOW));
    }

    @Test
    void absentBlankAndGarbageSayNothing() {
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("  ", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("NaN", NOW));
    }
}
