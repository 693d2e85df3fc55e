package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path tmp;

    private static JsonObject status(RunDirectory dir) {
        return RunDirectory.readJson(dir.path().resolve(RunDirectory.STATUS), "status");
    }

    @Test
    void theStatusIsRewrittenAtTheFirstStepAndThenOnlyOnceTheIntervalHasPassed() throws Exception {
        HandMadeRuns.ManualClock clock = new HandMadeRuns.ManualClock(T0);
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "beating", 100), clock);
        Heartbeat beat = new Heartbeat(Duration.ofSeconds(2), clock);

        beat.stepEnded(HandMadeRuns.at(dir, 0));
        assertEquals("running", status(dir).get("status").getAsString());
        assertEquals(0, status(dir).get("step").getAsLong());
        assertEquals(T0.toString(), status(dir).get("heartbeat").getAsString());

        clock.advance(Duration.ofSeconds(2)); // not more than the interval: no beat
        beat.stepEnded(HandMadeRuns.at(dir, 1));
        assertEquals(0, status(dir).get("step").getAsLong());

        clock.advance(Duration.ofMillis(1));
        beat.stepEnded(HandMadeRuns.at(dir, 2));
        assertEquals(2, status(dir).get("step").getAsLong());
        assertEquals(T0.plusMillis(2001).toString(), status(dir).get("heartbeat").getAsString());
        assertEquals(100, status(dir).get("steps").getAsLong());
        assertEquals(ProcessHandle.current().pid(), status(dir).get("pid").getAsLong());
    }

    @Test
    void aRunThatIsStoppingGetsNoBeatItsEndWritesTheStatus() throws Exception {
        HandMadeRuns.ManualClock clock = new HandMadeRuns.ManualClock(T0);
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "stopping", 100), clock);
        Training t = HandMadeRuns.at(dir, 5);
        t.stop(RunState.STOPPED_EARLY, null);
        new Heartbeat(Duration.ofSeconds(2), clock).stepEnded(t);
        assertEquals(false, java.nio.file.Files.exists(dir.path().resolve(RunDirectory.STATUS)));
    }
}
