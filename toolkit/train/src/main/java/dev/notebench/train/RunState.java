package dev.notebench.train;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Locale;

/**
 * What a run is doing or how it ended, as {@code status.json} spells it ({@link #json()}): one of
 * {@code created}, {@code starting}, {@code running}, {@code completed}, {@code cancelled},
 * {@code failed}, {@code stopped-early} and {@code lost}.
 *
 * <pre>{@code
 * RunState s = RunState.parse("stopped-early");   // STOPPED_EARLY
 * s.json();                                        // "stopped-early"
 * }</pre>
 */
public enum RunState {
    /** Made, not trained yet. */
    CREATED,
    /** A detached process is being started to train it. */
    STARTING,
    /** A process trains it now. */
    RUNNING,
    /** It trained all its steps. */
    COMPLETED,
    /** Stopped on request, with a checkpoint. */
    CANCELLED,
    /** Stopped by an error (the status's message says which). */
    FAILED,
    /** Stopped by early stopping. */
    STOPPED_EARLY,
    /** Its status says it trains, but the process that trained it is gone. */
    LOST;

    private final String json = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** Returns the state as {@code status.json} and the manifest's summary spell it, e.g. {@code stopped-early}. */
    public String json() {
        return json;
    }

    /** Returns whether a process trains the run (or is being started to). */
    public boolean active() {
        return this == STARTING || this == RUNNING;
    }

    /** Returns whether the run ended: completed, cancelled, failed or stopped early. */
    public boolean ended() {
        return this == COMPLETED || this == CANCELLED || this == FAILED || this == STOPPED_EARLY;
    }

    /** Returns {@link #json()}, so that messages read as they always did. */
    @Override
    public String toString() {
        return json;
    }

    /**
     * Reads a state as {@code status.json} spells it.
     *
     * @param json e.g. {@code running}
     * @return the state
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} when it is no state
     */
    public static RunState parse(String json) {
        for (RunState s : values()) {
            if (s.json.equals(json)) {
                return s;
            }
        }
        throw new NotebenchException(ErrorCode.DATA_INVALID, "'" + json + "' is not a run status; a run's status.json says"
                + " created, starting, running, completed, cancelled, failed, stopped-early or lost");
    }
}
