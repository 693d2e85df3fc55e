package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DivergenceGuardTest {
    @TempDir
    Path tmp;

    @Test
    void aFiniteLossTrainsOn() throws Exception {
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "fine", 100), Clock.systemUTC());
        Training t = HandMadeRuns.at(dir, 3);
        t.loss(2.5);
        new DivergenceGuard().batch(t);
        assertEquals(Optional.empty(), t.stopping());
    }

    @Test
    void aNanLossFailsTheRunNamingTheLastGoodCheckpoint() throws Exception {
        RunDirectory dir = HandMadeRuns.run(HandMadeRuns.config(tmp, "nan", 100), Clock.systemUTC());
        Training t = HandMadeRuns.at(dir, 7);
        t.loss(Double.NaN);
        new DivergenceGuard().batch(t);
        assertEquals(Optional.of(RunState.FAILED), t.stopping());
        assertEquals("the training loss became NaN at step 7; no checkpoint was written yet; lower the learning rate or"
                + " raise the warmup", t.stopMessage());

        Path cp = dir.checkpointsDir().resolve("step-00000004");
        Files.createDirectories(cp);
        Files.writeString(cp.resolve("state.json"), "{\"step\": 4}");
        Training later = HandMadeRuns.at(dir, 9);
        later.loss(Double.POSITIVE_INFINITY);
        new DivergenceGuard().batch(later);
        assertEquals("the training loss became Infinity at step 9; the last good checkpoint is step-00000004; lower the"
                + " learning rate or raise the warmup", later.stopMessage());
    }
}
