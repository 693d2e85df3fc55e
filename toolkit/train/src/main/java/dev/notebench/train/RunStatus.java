package dev.notebench.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run is doing, as {@code %runs}, {@code ./notebench runs}, attach and {@code --cancel}
 * tell it: the state its trainer last wrote to {@code status.json}, corrected by whether that
 * trainer still owns the run ({@link RunLock}). A run whose status says it trains but whose owner
 * is gone (killed, crashed, its machine restarted) reads {@value #LOST}, with its last step and
 * the checkpoint a {@code --resume} continues from.
 *
 * <pre>{@code
 * RunStatus s = RunStatus.read(Path.of("runs/gpt-sotu"));
 * if (s.state().equals(RunStatus.LOST)) System.out.println(s.message()); // how to resume it
 * }</pre>
 *
 * @param state {@value #CREATED}, {@value #STARTING}, {@value #RUNNING}, {@value #COMPLETED},
 *     {@value #CANCELLED}, {@value #FAILED}, {@value #STOPPED_EARLY} or {@value #LOST}
 * @param step the last step done (0-based; -1 before the first)
 * @param steps the steps the run is configured for
 * @param pid the process that trains (or trained) it, if known
 * @param host that process's host, if known
 * @param heartbeat when the trainer last wrote the status, if ever
 * @param message why it failed, or, when lost, what happened and how to resume; else null
 * @param checkpoint the latest step checkpoint (e.g. {@code step-00000049}), which {@code --resume}
 *     continues from; null when there is none
 */
public record RunStatus(String state, long step, long steps, Long pid, String host, Instant heartbeat, String message,
                        String checkpoint) {
    /** Made, not trained yet. */
    public static final String CREATED = "created";
    /** A detached process is being started to train it. */
    public static final String STARTING = "starting";
    /** A process trains it now. */
    public static final String RUNNING = "running";
    /** It trained all its steps. */
    public static final String COMPLETED = "completed";
    /** Stopped on request, with a checkpoint. */
    public static final String CANCELLED = "cancelled";
    /** Stopped by an error (the message says which). */
    public static final String FAILED = "failed";
    /** Stopped by early stopping. */
    public static final String STOPPED_EARLY = "stopped-early";
    /** Its status says it trains, but the process that trained it is gone. */
    public static final String LOST = "lost";
    /**
     * How old a heartbeat must be before a run is taken for lost when its lock cannot decide: the
     * trainer is on another host (whose pid cannot be checked here, and whose lock a network file
     * system may not show), or the run was written by a version without the lock.
     */
    public static final Duration STALE = Duration.ofSeconds(60);
    private static final Set<String> ACTIVE = Set.of(STARTING, RUNNING);
    private static final Set<String> ENDED = Set.of(COMPLETED, CANCELLED, FAILED, STOPPED_EARLY);

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
        if (!Files.isRegularFile(dir.resolve(TrainRun.MANIFEST))) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, dir + " is not a run directory (it has no "
                    + TrainRun.MANIFEST + "); %runs or ./notebench runs lists the runs");
        }
        JsonObject s = raw(dir);
        String state = stateOf(s);
        if (ENDED.contains(state)) {
            return of(dir, s, state, null, null);
        }
        RunLock.Probe lock = RunLock.probe(dir);
        if (lock.held()) {
            // owned: it trains, whatever the status says yet (the owner writes it right after taking the lock)
            return of(dir, s, ACTIVE.contains(state) ? state : STARTING, lock.owner(), null);
        }
        if (!ACTIVE.contains(state)) {
            return of(dir, s, state, null, null);
        }
        s = raw(dir); // the owner writes its last status before it lets the lock go: look again
        state = stateOf(s);
        if (!ACTIVE.contains(state)) {
            return of(dir, s, state, null, null);
        }
        if (!ownerGone(s, state, lock, clock)) {
            return of(dir, s, state, null, null);
        }
        RunStatus gone = of(dir, s, LOST, null, null);
        String who = gone.pid() != null ? " (pid " + gone.pid() + (gone.host() != null ? " on host " + gone.host() : "") + ")" : "";
        String how = gone.checkpoint() != null
                ? "resume it from checkpoint " + gone.checkpoint() + " with --resume " + dir + " (%train --resume " + dir + ")"
                : "it wrote no checkpoint; --resume " + dir + " (%train --resume " + dir + ") trains it again from the first step";
        return of(dir, s, LOST, null, "the process that trained it" + who + " is gone without finishing, after step "
                + (gone.step() + 1) + " of " + gone.steps() + "; " + how);
    }

    /**
     * Reads the status of a run whose lock the caller holds: a status that says the run trains
     * is what a trainer that is gone left behind (unless a detached process is still starting).
     *
     * @param runDir the run directory
     */
    static RunStatus readOwned(Path runDir) {
        Path dir = runDir.toAbsolutePath().normalize();
        JsonObject s = raw(dir);
        String state = stateOf(s);
        boolean gone = state.equals(RUNNING)
                || (state.equals(STARTING) && ownerGone(s, state, new RunLock.Probe(true, false, null), Clock.systemUTC()));
        return of(dir, s, gone ? LOST : state, null, null);
    }

    /** Whether the process a status names is gone, for a run whose lock is free. */
    private static boolean ownerGone(JsonObject s, String state, RunLock.Probe lock, Clock clock) {
        Instant beat = instant(stringOrNull(s, "heartbeat"));
        boolean stale = beat == null || Duration.between(beat, clock.instant()).compareTo(STALE) > 0;
        String host = stringOrNull(s, "host");
        if (host != null && !host.equals(RunLock.hostName())) {
            return stale; // its pid means nothing here, and a network file system may hide its lock
        }
        if (lock.exists() && state.equals(RUNNING)) {
            return true; // a trainer writes "running" only while it holds the lock, and lets it go only when it has ended
        }
        // starting (the new process has not taken the lock yet), or a run written without the lock
        Long pid = longOrNull(s, "pid");
        return pid == null ? stale : !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static RunStatus of(Path dir, JsonObject s, String state, RunLock.Owner owner, String lostMessage) {
        Long written = longOrNull(s, "steps");
        long steps = written != null ? written
                : TrainRun.readJson(dir.resolve(TrainRun.MANIFEST), "run manifest").getAsJsonObject("config").get("steps").getAsLong();
        Long step = longOrNull(s, "step");
        Long pid = owner != null ? (Long) owner.pid() : longOrNull(s, "pid");
        String host = owner != null ? owner.host() : stringOrNull(s, "host");
        String message = lostMessage != null ? lostMessage : stringOrNull(s, "message");
        List<Path> cps = Checkpoint.list(dir.resolve(TrainRun.CHECKPOINTS));
        String cp = cps.isEmpty() ? null : cps.get(cps.size() - 1).getFileName().toString();
        return new RunStatus(state, step != null ? step : -1, steps, pid, host, instant(stringOrNull(s, "heartbeat")), message, cp);
    }

    /** Returns whether a process trains the run now (or is being started to). */
    public boolean active() {
        return ACTIVE.contains(state);
    }

    /** Returns whether the run ended: completed, cancelled, failed or stopped early. */
    public boolean ended() {
        return ENDED.contains(state);
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
        Path f = dir.resolve(TrainRun.STATUS);
        return Files.exists(f) ? TrainRun.readJson(f, "run status") : null;
    }

    private static String stateOf(JsonObject s) {
        String state = stringOrNull(s, "status");
        return state == null ? CREATED : state;
    }

    /**
     * Writes a run's status; only its owner (the holder of its {@link RunLock}) does.
     *
     * @param dir the run directory
     * @param state the state
     * @param step the last step done
     * @param steps the steps of the run
     * @param message why, or null
     * @param pid the process that trains it
     */
    static void write(Path dir, String state, long step, long steps, String message, Long pid) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", state);
        s.put("step", step);
        s.put("steps", steps);
        if (pid != null) {
            s.put("pid", pid);
            s.put("host", RunLock.hostName());
        }
        s.put("heartbeat", Instant.now().toString());
        if (message != null) {
            s.put("message", message);
        }
        TrainRun.writeJson(dir.resolve(TrainRun.STATUS), s);
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
