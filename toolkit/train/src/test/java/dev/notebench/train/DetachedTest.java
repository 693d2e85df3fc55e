package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachedTest {
    private static final List<String> JVM = List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path tmp;

    /** Records what a listener hears. */
    static final class Recorder implements RunListener {
        final List<Long> steps = new ArrayList<>();
        final List<Long> evals = new ArrayList<>();
        final List<Long> checkpoints = new ArrayList<>();
        long startedAt = -1;
        RunState ended;
        String message;

        @Override
        public void started(TrainRun run, long step) {
            startedAt = step;
        }

        @Override
        public void step(Step s) {
            steps.add(s.step());
        }

        @Override
        public void eval(Eval e) {
            evals.add(e.step());
        }

        @Override
        public void checkpoint(long step, Path dir) {
            checkpoints.add(step);
        }

        @Override
        public void ended(RunState status, String message) {
            ended = status;
            this.message = message;
        }
    }

    @Test
    void detachedRunTrainsInItsOwnProcessAndFollowerReplaysEveryStep() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "detached").build());
        Process p = Detached.start(run.directory(), JVM);
        assertTrue(p.pid() != ProcessHandle.current().pid());
        Recorder r = new Recorder();
        RunState status = new RunFollower(run.directory(), Duration.ofMillis(50), Duration.ofMinutes(2)).follow(r);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(run.directory().resolve(Detached.LOG));
        assertEquals(RunState.COMPLETED, status, log);
        assertEquals(0, p.exitValue(), log);
        assertEquals(RunState.COMPLETED, r.ended);
        assertEquals(0, r.startedAt);
        List<Long> all = new ArrayList<>();
        for (long i = 0; i < 30; i++) {
            all.add(i);
        }
        assertEquals(all, r.steps);
        assertEquals(List.of(9L, 19L, 29L), r.evals);
        assertTrue(r.checkpoints.contains(29L), r.checkpoints::toString);
        assertTrue(log.contains("completed after step 30"), log);
        assertEquals(RunState.COMPLETED, RunDirectory.open(run.directory()).status().state());
    }

    @Test
    void cancelFileStopsADetachedRunWithACheckpointAndResumeStartsAfterIt() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "cancel").steps(1_000_000).build());
        Process p = Detached.start(run.directory(), JVM);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(run.directory().resolve(MetricsLog.FILE))
                || Files.readAllLines(run.directory().resolve(MetricsLog.FILE)).size() < 5) {
            assertTrue(System.nanoTime() < deadline && p.isAlive(), () -> log(run));
            Thread.sleep(50);
        }
        RunDirectory.open(run.directory()).requestCancel();
        Recorder r = new Recorder();
        assertEquals(RunState.CANCELLED, new RunFollower(run.directory()).follow(r), log(run));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        long last = RunDirectory.open(run.directory()).status().step();
        assertTrue(last >= 3, "stopped at " + last);
        assertEquals(last, r.steps.get(r.steps.size() - 1));
        assertTrue(Files.isDirectory(run.directory().resolve("checkpoints").resolve(String.format("step-%08d", last))));

        // the old request does not stop the resumed run; a follower sees "starting", not "cancelled"
        Process again = Detached.start(run.directory(), JVM);
        assertEquals(RunState.STARTING, RunDirectory.open(run.directory()).status().state());
        Recorder r2 = new Recorder();
        Thread follower = new Thread(() -> new RunFollower(run.directory(), Duration.ofMillis(50), Duration.ofMinutes(2)).follow(r2));
        follower.start();
        deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (RunDirectory.open(run.directory()).status().step() < last + 3) {
            assertTrue(System.nanoTime() < deadline && again.isAlive(), () -> log(run));
            Thread.sleep(50);
        }
        again.destroyForcibly().waitFor(); // a crash: the follower reports the run lost
        follower.join(30_000);
        assertEquals(RunState.LOST, r2.ended, log(run));
        RunStatus lost = RunDirectory.open(run.directory()).status();
        assertEquals(RunState.LOST, lost.state());
        assertEquals(lost.message(), r2.message);
        Path dir = run.directory();
        assertEquals("the process that trained it (pid " + again.pid() + " on host " + RunLock.hostName() + ") is gone without"
                + " finishing, after step " + (lost.step() + 1) + " of 1000000; resume it from checkpoint " + lost.checkpoint()
                + " with --resume " + dir, r2.message);
        assertTrue(lost.step() >= last + 3 && Checkpoint.step(dir.resolve("checkpoints").resolve(lost.checkpoint())) <= lost.step(),
                lost::toString);
        assertEquals(last + 1, r2.startedAt);
        // attaching shows the whole run: the steps before the resume, then the new ones, each once
        for (int i = 0; i < r2.steps.size(); i++) {
            assertEquals(i, r2.steps.get(i));
        }
        assertTrue(r2.steps.size() >= last + 3, r2.steps::toString);
    }

    @Test
    void notifyingWithoutAWebhookUrlInTheGivenEnvironmentIsRefusedBeforeAnythingStarts() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "silent").build());
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> Detached.start(run.directory(), JVM, Map.of("NOTEBENCH_WEBHOOK", "not this one"), true));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("notifications need the webhook URL in the environment variable NOTEBENCH_WEBHOOK_URL (of the kernel or"
                + " the shell); it is kept out of commands, notebooks and logs", e.getMessage());
        assertFalse(Files.exists(run.directory().resolve(Detached.LOG)));
        assertEquals(RunState.CREATED, RunDirectory.open(run.directory()).status().state());
    }

    private static String log(TrainRun run) {
        try {
            return Files.readString(run.directory().resolve(Detached.LOG));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Test
    void aRunThatADetachedProcessTrainsIsRefusedToASecondStartAndToAResume() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "busy").steps(1_000_000).build());
        Path dir = run.directory();
        Process p = Detached.start(dir, JVM);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (RunDirectory.open(dir).status().state() != RunState.RUNNING || RunDirectory.open(dir).status().step() < 2) {
            assertTrue(System.nanoTime() < deadline && p.isAlive(), () -> log(run));
            Thread.sleep(50);
        }
        RunLock.Owner owner = RunLock.owner(dir).orElseThrow();
        assertEquals(p.pid(), owner.pid());
        String refusal = "run " + dir + " is being trained by process " + p.pid() + " on host " + RunLock.hostName() + " (since "
                + owner.since() + "); wait for it to end, or stop it with train --cancel " + dir;
        assertEquals(refusal, assertThrows(NotebenchException.class, () -> Detached.start(dir, JVM)).getMessage());
        assertEquals(refusal, assertThrows(NotebenchException.class, () -> TrainRun.open(dir).run()).getMessage());
        assertEquals(RunState.RUNNING, RunDirectory.open(dir).status().state());

        RunDirectory.open(dir).requestCancel();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log(run));
        assertEquals(RunState.CANCELLED, RunDirectory.open(dir).status().state());
        assertTrue(log(run).contains(": cancelled after step "), log(run));
    }
}
