package dev.notebench.train;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Rewrites a training run's status at most every {@link #EVERY} (its {@code heartbeat} time and
 * last step), so that readers see it progress and tell a live trainer on another host from a lost
 * one ({@link RunStatus#STALE}). Timed by a clock, so a test moves time instead of sleeping.
 */
public final class Heartbeat implements RunListener {
    /** How often a run's status is rewritten while it trains. */
    public static final Duration EVERY = Duration.ofSeconds(2);

    private final Duration every;
    private final Clock clock;
    private Instant last;

    /**
     * Beats at most once per interval.
     *
     * @param every the least time between two beats
     * @param clock the time
     */
    public Heartbeat(Duration every, Clock clock) {
        this.every = Objects.requireNonNull(every, "every");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void stepEnded(Training t) {
        if (t.stopping().isPresent()) {
            return; // the end writes the status
        }
        Instant now = clock.instant();
        if (last == null || Duration.between(last, now).compareTo(every) > 0) {
            last = now;
            t.status(RunState.RUNNING);
        }
    }
}
