package dev.notebench.spark;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.spark.internal.SessionLogging;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * How Notebench opens a {@link SparkSession}: a master URL ({@code local[*]} by default, or
 * {@code local[N]}, {@code spark://host:port}, {@code k8s://...}, {@code yarn}), an application
 * name and Spark settings. The session is Spark's own; close it (it is {@link AutoCloseable}) when
 * done.
 *
 * <p>Where no one configured Spark's logging (Log4j 2), as in a notebook, JShell or a plain
 * {@code main}, {@link #open()} shows Spark's warnings and errors only, without the start-up
 * notices no one can act on, instead of Spark's default INFO profile (about 120 lines per start).
 * To see more, call {@code spark.sparkContext().setLogLevel("INFO")} after {@code open()}, or give
 * a Log4j 2 configuration of your own ({@code -Dlog4j2.configurationFile=...}), which is left alone.
 *
 * <pre>{@code
 * try (SparkSession spark = SparkSessions.builder().master("local[2]").build().open()) {
 *     ...
 * }
 * }</pre>
 */
public final class SparkSessions {
    /** The master when none is given: every core of this machine, in this JVM. */
    public static final String DEFAULT_MASTER = "local[*]";
    private static final int CONNECT_MILLIS = 5000;

    private final String master;
    private final String appName;
    private final Map<String, String> settings;

    private SparkSessions(Builder b) {
        this.master = b.master;
        this.appName = b.appName;
        this.settings = Map.copyOf(b.settings);
    }

    /** A builder with the defaults: {@value #DEFAULT_MASTER}, application "notebench". */
    public static Builder builder() {
        return new Builder();
    }

    /** The master URL. */
    public String master() {
        return master;
    }

    /** The Spark settings given beside the master and name. */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * Opens (or returns the running) session with these settings.
     *
     * @throws NotebenchException CONFIG_INVALID when the master cannot be reached or is not a master URL
     */
    public SparkSession open() {
        checkReachable(master);
        SessionLogging.quietUnlessConfigured();
        SparkSession.Builder b = SparkSession.builder().master(master).appName(appName);
        settings.forEach(b::config);
        try {
            return b.getOrCreate();
        } catch (RuntimeException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "Spark could not start a session on master '" + master + "': "
                    + e.getMessage() + ". Check the master URL (local[*], local[N], spark://HOST:PORT, k8s://..., yarn)"
                    + " and that the cluster is up and reachable from this machine.", e);
        }
    }

    /**
     * Refuses a standalone master ({@code spark://HOST:PORT[,HOST:PORT]}) none of whose addresses
     * accepts a connection within {@value #CONNECT_MILLIS} ms: Spark itself would start, retry in the
     * background for a minute and leave the first job waiting.
     */
    private static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        String failure = "";
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            try (java.net.Socket s = new java.net.Socket()) {
                int port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1).replace("/", ""));
                s.connect(new java.net.InetSocketAddress(colon < 0 ? hostPort : hostPort.substring(0, colon), port), CONNECT_MILLIS);
                return;
            } catch (java.io.IOException | IllegalArgumentException e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the Spark master " + master + " cannot be reached (" + failure
                + "); start the cluster, or check the master URL (spark://HOST:PORT, default port 7077) and that this machine"
                + " can reach it");
    }

    /** Builds {@link SparkSessions}. */
    public static final class Builder {
        private String master = DEFAULT_MASTER;
        private String appName = "notebench";
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** The master URL; {@value SparkSessions#DEFAULT_MASTER} by default. */
        public Builder master(String master) {
            this.master = Objects.requireNonNull(master, "master");
            return this;
        }

        /** The application's name in Spark's UI and logs. */
        public Builder appName(String appName) {
            this.appName = Objects.requireNonNull(appName, "appName");
            return this;
        }

        /** One Spark setting, e.g. {@code spark.executor.memory}. */
        public Builder config(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The immutable configuration. */
        public SparkSessions build() {
            return new SparkSessions(this);
        }
    }
}
