package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyStoppingTest {
    @TempDir
    Path tmp;

    @Test
    void aRunStopsEarlyAfterPatienceEvaluationsWithoutImprovement() throws Exception {
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "patient", 100), Clock.systemUTC());
        EarlyStopping stopping = new EarlyStopping(2);
        Training t = HandMadeRuns.at(dir, 9);
        t.evaluated(1.5);
        stopping.stepEnded(t);
        t.step(19);
        t.evaluated(1.6); // 1 without improvement
        stopping.stepEnded(t);
        assertEquals(Optional.empty(), t.stopping());
        t.step(29);
        t.evaluated(1.4); // improved: the count starts again
        stopping.stepEnded(t);
        t.step(39);
        t.evaluated(1.45);
        stopping.stepEnded(t);
        assertEquals(Optional.empty(), t.stopping());
        t.step(49);
        t.evaluated(1.41);
        stopping.stepEnded(t);
        assertEquals(Optional.of(RunState.STOPPED_EARLY), t.stopping());
        assertEquals(2, t.evalsSinceBest());
        assertEquals(1.4, t.bestValLoss());
    }

    @Test
    void patienceZeroNeverStops() throws Exception {
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "never", 100), Clock.systemUTC());
        Training t = HandMadeRuns.at(dir, 9);
        t.evaluated(1.0);
        for (int i = 0; i < 5; i++) {
            t.evaluated(2.0);
            new EarlyStopping(0).stepEnded(t);
        }
        assertEquals(Optional.empty(), t.stopping());
        assertEquals("patience must be 0 (never stop early) or more, got -1",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(-1)).getMessage());
    }
}
