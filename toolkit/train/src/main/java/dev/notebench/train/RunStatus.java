package dev.notebench.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What a run is doing, as {@code %runs}, {@code ./notebench runs}, attach and {@code --cancel}
 * tell it: the state its trainer last wrote to {@code status.json}, corrected by whether that
 * trainer still owns the run ({@link RunLock}). A run whose status says it trains but whose owner
 * is gone (killed, crashed, its machine restarted) reads {@link RunState#LOST}, with its last step and
 * the checkpoint a {@code --resume} continues from.
 *
 * <pre>{@code
 * RunStatus s = RunDirectory.open(Path.of("runs/gpt-sotu")).status();
 * if (s.state() == RunState.LOST) System.out.println(s.message()); // how to resume it
 * }</pre>
 *
 * @param state what the run is doing, or how it ended
 * @param step the last step done (0-based; -1 before the first)
 * @param steps the steps the run is configured for
 * @param pid the process that trains (or trained) it, if known
 * @param host that process's host, if known
 * @param heartbeat when the trainer last wrote the status, if ever
 * @param message why it failed, or, when lost, what happened and how to resume; else null
 * @param checkpoint the latest step checkpoint (e.g. {@code step-00000049}), which {@code --resume}
 *     continues from; null when there is none
 */
public record RunStatus(RunState state, long step, long steps, Long pid, String host, Instant heartbeat, String message,
                        String checkpoint) {
    /**
     * How old a heartbeat must be before a run is taken for lost when its lock cannot decide: the
     * trainer is on another host (whose pid cannot be checked here, and whose lock a network file
     * system may not show), or the run was written by a version without the lock.
     */
    public static final Duration STALE = Duration.ofSeconds(60);

    /**
     * Reads a run's status now.
     *
     * @param runDir the run directory
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when it is not a run directory
     */
    public static RunStatus read(Path runDir) {
        return read(runDir, Clock.systemUTC());
    }

    /**
     * Reads a run's status as of a clock's time (used only to age heartbeats).
     *
     * @param runDir the run directory
     * @param clock the time
     * @throws NotebenchException with {@link ErrorCode#DATA_NOT_FOUND} when it is not a run directory
     */
    public static RunStatus read(Path runDir, Clock clock) {
        Path dir = runDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve(RunDirectory.MANIFEST))) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, dir + " is not a run directory (it has no "
                    + RunDirectory.MANIFEST + "); " + FrontEnd.command("runs") + " lists the runs");
        }
        JsonObject s = raw(dir);
        RunState state = stateOf(s);
        if (state.ended()) {
            return of(dir, s, state, null, null);
        }
        RunLock.Probe lock = RunLock.probe(dir);
        if (lock.held()) {
            // owned: it trains, whatever the status says yet (the owner writes it right after taking the lock)
            return of(dir, s, state.active() ? state : RunState.STARTING, lock.owner(), null);
        }
        if (!state.active()) {
            return of(dir, s, state, null, null);
        }
        s = raw(dir); // the owner writes its last status before it lets the lock go: look again
        state = stateOf(s);
        if (!state.active()) {
            return of(dir, s, state, null, null);
        }
        if (!ownerGone(s, state, lock, clock)) {
            return of(dir, s, state, null, null);
        }
        RunStatus gone = of(dir, s, RunState.LOST, null, null);
        String who = gone.pid() != null ? " (pid " + gone.pid() + (gone.host() != null ? " on host " + gone.host() : "") + ")" : "";
        String how = gone.checkpoint() != null
                ? "resume it from checkpoint " + gone.checkpoint() + " with --resume " + dir
                : "it wrote no checkpoint; --resume " + dir + " trains it again from the first step";
        return of(dir, s, RunState.LOST, null, "the process that trained it" + who + " is gone without finishing, after step "
                + (gone.step() + 1) + " of " + gone.steps() + "; " + how);
    }

    /**
     * Reads the status of a run whose lock the caller holds: a status that says the run trains
     * is what a trainer that is gone left behind (unless a detached process is still starting).
     *
     * @param runDir the run directory
     * @param clock the time heartbeats are aged by
     */
    static RunStatus readOwned(Path runDir, Clock clock) {
        Path dir = runDir.toAbsolutePath().normalize();
        JsonObject s = raw(dir);
        RunState state = stateOf(s);
        boolean gone = state == RunState.RUNNING
                || (state == RunState.STARTING && ownerGone(s, state, new RunLock.Probe(true, false, null), clock));
        return of(dir, s, gone ? RunState.LOST : state, null, null);
    }

    /** Whether the process a status names is gone, for a run whose lock is free. */
    private static boolean ownerGone(JsonObject s, RunState state, RunLock.Probe lock, Clock clock) {
        Instant beat = instant(stringOrNull(s, "heartbeat"));
        boolean stale = beat == null || Duration.between(beat, clock.instant()).compareTo(STALE) > 0;
        String host = stringOrNull(s, "host");
        if (host != null && !host.equals(RunLock.hostName())) {
            return stale; // its pid means nothing here, and a network file system may hide its lock
        }
        if (lock.exists() && state == RunState.RUNNING) {
            return true; // a trainer writes "running" only while it holds the lock, and lets it go only when it has ended
        }
        // starting (the new process has not taken the lock yet), or a run written without the lock
        Long pid = longOrNull(s, "pid");
        return pid == null ? stale : !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static RunStatus of(Path dir, JsonObject s, RunState state, RunLock.Owner owner, String lostMessage) {
        Long written = longOrNull(s, "steps");
        long steps = written != null ? written
                : RunDirectory.readJson(dir.resolve(RunDirectory.MANIFEST), "run manifest").getAsJsonObject("config").get("steps").getAsLong();
        Long step = longOrNull(s, "step");
        Long pid = owner != null ? (Long) owner.pid() : longOrNull(s, "pid");
        String host = owner != null ? owner.host() : stringOrNull(s, "host");
        String message = lostMessage != null ? lostMessage : stringOrNull(s, "message");
        List<Path> cps = Checkpoint.list(dir.resolve(RunDirectory.CHECKPOINTS));
        String cp = cps.isEmpty() ? null : cps.get(cps.size() - 1).getFileName().toString();
        return new RunStatus(state, step != null ? step : -1, steps, pid, host, instant(stringOrNull(s, "heartbeat")), message, cp);
    }

    /** Returns whether a process trains the run now (or is being started to). */
    public boolean active() {
        return state.active();
    }

    /** Returns whether the run ended: completed, cancelled, failed or stopped early. */
    public boolean ended() {
        return state.ended();
    }

    /**
     * Returns the status in words, e.g. {@code completed after step 30 of 30}, {@code running
     * (step 12 of 100, process 4242 on host gpu-1)}.
     */
    public String describe() {
        String at = "step " + (step + 1) + " of " + steps;
        return switch (state) {
            case CREATED -> "created, not trained yet";
            case STARTING, RUNNING -> state + " (" + at + (pid != null ? ", process " + pid + (host != null ? " on host " + host : "") : "")
                    + ")";
            default -> state + " after " + at;
        };
    }

    /** The status file as written, or null when the run has none yet. */
    static JsonObject raw(Path dir) {
        Path f = dir.resolve(RunDirectory.STATUS);
        return Files.exists(f) ? RunDirectory.readJson(f, "run status") : null;
    }

    private static RunState stateOf(JsonObject s) {
        String state = stringOrNull(s, "status");
        return state == null ? RunState.CREATED : RunState.parse(state);
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Long longOrNull(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsLong();
    }

    private static String stringOrNull(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
