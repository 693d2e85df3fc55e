package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.notebench.http.CallStats;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class RunStatsTest {
    @Test
    void callsCachedAnswersTokensAndRowsAddUpAndHttpCountersAreThisRunsShare() {
        CallStats http = new CallStats();
        http.attempt();
        http.retry();
        RunStats stats = new RunStats(http); // the annotator's earlier run made 1 attempt and 1 retry
        stats.answered(new Answer(List.of(), 100, 20, false, false, null));
        stats.answered(new Answer(List.of(), 0, 0, false, true, null));
        stats.unanswered();
        stats.labelled(7);
        stats.failed(2);
        stats.reasked(3);
        stats.split();
        http.attempt();
        http.attempt();
        http.throttled();
        assertEquals(9, stats.settled());
        EnrichSummary s = stats.summary(12, 10, 2, 3, 1, new Prices(1, 2), Duration.ofSeconds(2), Table.create("labels"),
                Table.create("failures"));
        assertEquals("12 rows: 10 labelled, 2 failed, 3 resumed, 1 failed before; 2 calls (1 cached), 3 re-asked, 1 context"
                + " splits, 0 retries, 1 429s, tokens 100/20; 2.00 s, 4.5 rows/s", s.toString());
        assertEquals(2, s.httpAttempts());
        assertEquals(OptionalDouble.of(100 / 1e6 + 40 / 1e6), s.cost());
    }

    @Test
    void theNoteShowsCallsInFlightAgainstTheLimit() {
        RunStats stats = new RunStats(null);
        stats.callStarted();
        stats.callStarted();
        stats.callEnded();
        stats.reasked(4);
        stats.failed(1);
        assertEquals("1 in flight (limit 3) · 4 re-asked · 1 failed", stats.note(3));
        EnrichSummary s = stats.summary(1, 0, 1, 0, 0, null, Duration.ZERO, Table.create("l"), Table.create("f"));
        assertEquals(0, s.httpAttempts());
        assertEquals(OptionalDouble.empty(), s.cost());
    }
}
