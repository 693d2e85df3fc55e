package dev.notebench.spark.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one piece of static, JVM-wide state in Notebench, because Spark forces it: a resource that is
 * costly to open (an annotator with its HTTP client and adaptive concurrency, a loaded embedding
 * model) is opened lazily, once per executor JVM, by the first task that needs it, and shared by
 * every later task of that JVM that asks with an equal configuration (the pattern of DJL's Spark
 * extension). Tasks are short-lived and serialized, so there is no other owner to hold it.
 *
 * <p>The key is the resource's whole configuration (a value type with {@code equals}): another
 * configuration gets another resource. Resources live as long as the JVM; those that are
 * {@link AutoCloseable} are closed when it shuts down (an executor ends with its application).
 *
 * <pre>{@code
 * LocalEmbedder model = PerExecutor.get(config, () -> LocalEmbedder.load(config.model(), config.modelsDir()));
 * }</pre>
 */
public final class PerExecutor {
    private static final Map<Object, Object> RESOURCES = new ConcurrentHashMap<>();
    private static final Thread CLOSER = new Thread(PerExecutor::closeAll, "notebench-per-executor-close");

    static {
        Runtime.getRuntime().addShutdownHook(CLOSER);
    }

    private PerExecutor() {
    }

    /**
     * The resource of this configuration in this JVM, opened by {@code open} the first time (once,
     * even when tasks ask at the same time).
     *
     * @param key the resource's configuration; equal keys share one resource
     * @param open opens it; called at most once per key and JVM (again only if it threw)
     * @param <R> the resource's type
     * @return the shared resource
     */
    @SuppressWarnings("unchecked")
    public static <R> R get(Object key, Supplier<R> open) {
        Objects.requireNonNull(key, "key");
        return (R) RESOURCES.computeIfAbsent(key, k -> Objects.requireNonNull(open.get(), "opened resource"));
    }

    /** How many resources this JVM holds (for tests and diagnostics). */
    public static int size() {
        return RESOURCES.size();
    }

    private static void closeAll() {
        List<Object> all = new ArrayList<>(RESOURCES.values());
        RESOURCES.clear();
        for (Object r : all) {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the JVM is going away; a resource that fails to close has nothing left to lose
                }
            }
        }
    }
}
