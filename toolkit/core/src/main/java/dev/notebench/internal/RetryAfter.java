package dev.notebench.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): delta seconds (fractions accepted, as
 * some model servers send them) or an HTTP date. A date already past asks for no wait: the time the
 * server named has come, so the client may retry now (as urllib3 reads it: {@code max(date - now, 0)}).
 * Callers cap the wait and choose their own wait when the header says nothing usable.
 *
 * <pre>{@code
 * long ms = RetryAfter.parse(response.header("Retry-After"), clock)
 *     .map(d -> Math.min(d.toMillis(), 60_000)).orElse(backoff);
 * }</pre>
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * The wait a {@code Retry-After} value asks for.
     *
     * @param header the header's value; null when absent
     * @param clock the current time, for the date form
     * @return the wait (0 or more; 0 for a date already past); empty when the header is absent,
     *     blank or neither form
     */
    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = header.strip();
        try {
            double seconds = Double.parseDouble(h);
            if (Double.isNaN(seconds)) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(Math.max(0, Math.round(Math.min(seconds, 1e12) * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(clock), ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException garbage) {
                return Optional.empty();
            }
        }
    }
}
