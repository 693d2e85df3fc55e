package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's status as every front end reads it, from run directories written by hand: whether its
 * trainer still owns it decides between running and lost.
 */
class RunStatusTest {
    private static final Instant BEAT = Instant.parse("2026-12-01T10:00:00Z");
    private static final long ME = ProcessHandle.current().pid();
    private static long gone;

    @TempDir
    Path tmp;

    @BeforeAll
    static void aProcessThatIsGone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        gone = p.pid();
    }

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    /** A run directory with a manifest of 100 steps, a status and a checkpoint after step 49. */
    private Path run(String name, String status, Object pid, String host, boolean lockFile) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name).resolve("checkpoints/step-00000049")).getParent().getParent();
        Files.writeString(dir.resolve("checkpoints/step-00000049/state.json"), "{\"step\": 49}");
        Files.writeString(dir.resolve(RunDirectory.MANIFEST), "{\"config\": {\"family\": \"gpt\", \"steps\": 100}}");
        if (status != null) {
            Files.writeString(dir.resolve(RunDirectory.STATUS), "{\"status\": \"" + status + "\", \"step\": 57, \"steps\": 100"
                    + (pid != null ? ", \"pid\": " + pid : "") + (host != null ? ", \"host\": \"" + host + "\"" : "")
                    + ", \"heartbeat\": \"" + BEAT + "\"}");
        }
        if (lockFile) {
            RunLock.acquire(dir).close(); // owned once, by a trainer that is gone
        }
        return dir;
    }

    @Test
    void aRunningRunWhoseLockIsFreeIsLostAtOnceWithItsLastStepAndCheckpoint() throws Exception {
        Path dir = run("killed", "running", gone, RunLock.hostName(), true);
        RunStatus s = RunStatus.read(dir, at(BEAT.plusSeconds(1)));
        assertEquals(new RunStatus(RunState.LOST, 57, 100, gone, RunLock.hostName(), BEAT, "the process that trained it (pid " + gone
                + " on host " + RunLock.hostName() + ") is gone without finishing, after step 58 of 100; resume it from checkpoint"
                + " step-00000049 with --resume " + dir, "step-00000049"), s);
        assertEquals("lost after step 58 of 100", s.describe());
    }

    @Test
    void aRunWhoseLockThisProcessHoldsIsRunningWhateverItsStatusSaysYet() throws Exception {
        Path dir = run("owned", "running", gone, RunLock.hostName(), false);
        try (RunLock owner = RunLock.acquire(dir)) {
            RunStatus s = RunStatus.read(dir, at(BEAT.plusSeconds(3600)));
            assertEquals(RunState.RUNNING, s.state());
            assertEquals(ME, s.pid());
            assertEquals("running (step 58 of 100, process " + ME + " on host " + RunLock.hostName() + ")", s.describe());
            Files.writeString(dir.resolve(RunDirectory.STATUS), "{\"status\": \"cancelled\", \"step\": 57}");
            assertEquals(RunState.CANCELLED, RunStatus.read(dir).state(), "an ended status is as written");
            Files.delete(dir.resolve(RunDirectory.STATUS));
            assertEquals(RunState.STARTING, RunStatus.read(dir).state(), "owned, and the owner has not written yet");
        }
    }

    @Test
    void aStartingRunIsLostOnlyOnceItsNewProcessIsGone() throws Exception {
        assertEquals(RunState.STARTING, RunStatus.read(run("booting", "starting", ME, RunLock.hostName(), false)).state());
        assertEquals(RunState.LOST, RunStatus.read(run("died", "starting", gone, RunLock.hostName(), false)).state());
        Path noPid = run("no-pid", "starting", null, null, false);
        assertEquals(RunState.STARTING, RunStatus.read(noPid, at(BEAT.plus(RunStatus.STALE))).state());
        assertEquals(RunState.LOST, RunStatus.read(noPid, at(BEAT.plus(RunStatus.STALE).plusSeconds(1))).state());
    }

    @Test
    void aRunWrittenWithoutALockIsRunningWhileItsProcessLives() throws Exception {
        assertEquals(RunState.RUNNING, RunStatus.read(run("old-alive", "running", ME, null, false), at(BEAT.plusSeconds(3600))).state());
        assertEquals(RunState.LOST, RunStatus.read(run("old-dead", "running", gone, null, false), at(BEAT)).state());
    }

    @Test
    void aRunOnAnotherHostIsLostOnlyWhenItsHeartbeatIsStale() throws Exception {
        Path dir = run("remote", "running", 12345, "elsewhere", true);
        assertEquals(RunState.RUNNING, RunStatus.read(dir, at(BEAT.plusSeconds(60))).state());
        RunStatus lost = RunStatus.read(dir, at(BEAT.plusSeconds(61)));
        assertEquals(RunState.LOST, lost.state());
        assertEquals("the process that trained it (pid 12345 on host elsewhere) is gone without finishing, after step 58 of 100;"
                + " resume it from checkpoint step-00000049 with --resume " + dir, lost.message());
    }

    @Test
    void endedAndNewRunsReadAsWritten() throws Exception {
        assertEquals(new RunStatus(RunState.COMPLETED, 57, 100, gone, null, BEAT, null, "step-00000049"),
                RunStatus.read(run("done", "completed", gone, null, true)));
        Path created = run("new", null, null, null, false);
        RunStatus s = RunStatus.read(created);
        assertEquals(new RunStatus(RunState.CREATED, -1, 100, null, null, null, null, "step-00000049"), s);
        assertEquals("created, not trained yet", s.describe());
        assertNull(RunStatus.read(run("failed", "failed", gone, null, true)).message());
        NotebenchException e = assertThrows(NotebenchException.class, () -> RunStatus.read(tmp));
        assertEquals(tmp + " is not a run directory (it has no manifest.json); runs lists the runs", e.getMessage());
    }
}
