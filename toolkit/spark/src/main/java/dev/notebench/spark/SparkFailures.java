package dev.notebench.spark;

import dev.notebench.NotebenchException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * What failed a Spark job in Notebench's terms. A task that throws a {@link NotebenchException}
 * (an unreachable server, a refused key) fails its job once Spark gives up retrying it; the
 * driver's action then throws Spark's own exception with the task's exception among its causes.
 *
 * <pre>{@code
 * try {
 *     labelled.write().parquet(out);
 * } catch (RuntimeException e) {
 *     throw SparkFailures.cause(e).orElseThrow(() -> e);
 * }
 * }</pre>
 */
public final class SparkFailures {
    private SparkFailures() {
    }

    /**
     * The first {@link NotebenchException} among a failure and its causes.
     *
     * @param failure what an action threw
     * @return the task's error, if it was one of Notebench's
     */
    public static Optional<NotebenchException> cause(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof NotebenchException e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
