package dev.notebench.serve;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.secrets.Secrets;
import dev.notebench.serve.api.Health;
import dev.notebench.serve.api.Ready;
import dev.notebench.serve.internal.Followers;
import dev.notebench.serve.internal.HttpError;
import dev.notebench.serve.internal.Json;
import dev.notebench.serve.internal.JsonErrors;
import dev.notebench.serve.internal.OpenApi;
import dev.notebench.serve.internal.Route;
import dev.notebench.serve.internal.Router;
import dev.notebench.serve.internal.RunsRoutes;
import dev.notebench.train.RunDirectory;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code notebench serve}: an HTTP API over a runs directory (the runs and their true status,
 * logs, metrics, live streams of both, cancel) with its OpenAPI document at {@code /openapi.json}.
 * Bound to loopback by default; on any other address it needs a bearer token. Runs are their
 * directories, read at each request, so a restarted server reports every run truthfully.
 *
 * <pre>{@code
 * try (NotebenchServer server = NotebenchServer.builder(Path.of("runs")).port(0).build().start()) {
 *     System.out.println("http://127.0.0.1:" + server.port() + "/runs");
 *     server.join();
 * }
 * }</pre>
 */
public final class NotebenchServer implements AutoCloseable {
    /** The default address: loopback, reachable from this machine only. */
    public static final String LOOPBACK = "127.0.0.1";
    /** The default port. */
    public static final int DEFAULT_PORT = 8700;
    /** The default request body limit: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;

    private final Builder settings;
    private final Followers followers;
    private final Server jetty;
    private final ServerConnector connector;

    private NotebenchServer(Builder b) {
        this.settings = b;
        Json json = new Json();
        Secrets secrets = b.token == null ? b.secrets : b.secrets.and(Secrets.of(b.token));
        this.followers = new Followers(b.followEvery);
        List<Route> routes = new ArrayList<>();
        routes.add(Route.get("/healthz", "The server is alive", Health.class, c -> new Health("ok")));
        routes.add(Route.get("/readyz", "The runs directory can be read and written", Ready.class, c -> ready()));
        routes.addAll(new RunsRoutes(b.runsDir, b.clock, secrets, followers, b.heartbeat).routes());
        routes.addAll(b.extra);
        List<Route> withDoc = new ArrayList<>(routes);
        String version = Objects.requireNonNullElse(NotebenchServer.class.getPackage().getImplementationVersion(), "dev");
        JsonObject doc = new JsonObject();
        withDoc.add(Route.get("/openapi.json", "This document", JsonObject.class, c -> doc));
        OpenApi.document(withDoc, json, version, b.token != null).entrySet().forEach(e -> doc.add(e.getKey(), e.getValue()));

        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("notebench-serve");
        if (VirtualThreads.areSupported()) { // Java 21+: a blocked stream holds a virtual thread, not a platform one
            pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("notebench-serve-v"));
        }
        jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.heartbeat.multipliedBy(4).toMillis());
        jetty.addConnector(connector);
        jetty.setHandler(new Router(withDoc, json, b.maxBodyBytes, b.token, secrets, b.clock));
        jetty.setErrorHandler(new JsonErrors(json));
        jetty.setStopTimeout(2000);
    }

    /**
     * Starts a builder of a server over a runs directory.
     *
     * @param runsDir the runs directory (made if missing)
     */
    public static Builder builder(Path runsDir) {
        return new Builder(runsDir.toAbsolutePath().normalize());
    }

    /**
     * Starts listening.
     *
     * @return this server
     * @throws NotebenchException CONFIG_INVALID when the port is taken or the address cannot be
     *     listened on; DATA_NOT_FOUND when the runs directory cannot be made
     */
    public NotebenchServer start() {
        if (Files.exists(settings.runsDir) && !Files.isDirectory(settings.runsDir)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, settings.runsDir + " is a file, not a runs directory; give"
                    + " --runs-dir DIR");
        }
        try {
            Files.createDirectories(settings.runsDir);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot make the runs directory " + settings.runsDir + ": "
                    + e.getMessage() + "; give --runs-dir DIR", e);
        }
        try {
            jetty.start();
        } catch (Exception e) {
            close();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException bind) { // Jetty wraps it
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "cannot listen on " + settings.host + ":" + settings.port
                            + " (" + bind.getMessage() + "); is another server there? Give another --port (0 for any free one)", e);
                }
            }
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "cannot start the server on " + settings.host + ":" + settings.port
                    + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Returns the port it listens on (the one chosen when built with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Returns the address it listens on. */
    public String host() {
        return settings.host;
    }

    /** Returns its base URL, e.g. {@code http://127.0.0.1:8700}. */
    public String url() {
        String h = settings.host.contains(":") ? "[" + settings.host + "]" : settings.host;
        return "http://" + h + ":" + port();
    }

    /** Blocks until the server stops ({@link #close()} from another thread). */
    public void join() throws InterruptedException {
        jetty.join();
    }

    private Ready ready() {
        Path dir = settings.runsDir;
        if (!Files.isDirectory(dir) || !Files.isReadable(dir) || !Files.isWritable(dir)) {
            throw new HttpError(503, "not_ready", "the runs directory cannot be " + (Files.isDirectory(dir) ? "read and written"
                    : "found") + "; check the directory given with --runs-dir", null);
        }
        return new Ready("ready", RunDirectory.list(dir).size());
    }

    /** Stops listening, ends the open streams and their followers. Idempotent. */
    @Override
    public void close() {
        followers.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "cannot stop the server: " + e.getMessage(), e);
        }
    }

    /**
     * The settings of a server. Immutable: each setter returns a new builder.
     */
    public static final class Builder {
        private final Path runsDir;
        private String host = LOOPBACK;
        private int port = DEFAULT_PORT;
        private Path tokenizersDir;
        private String token;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Clock clock = Clock.systemUTC();
        private Secrets secrets = Secrets.NONE;
        private Duration followEvery = Duration.ofMillis(200);
        private Duration heartbeat = Duration.ofSeconds(15);
        private List<Route> extra = List.of();

        private Builder(Path runsDir) {
            this.runsDir = runsDir;
            this.tokenizersDir = runsDir.resolveSibling("tokenizers");
        }

        private Builder copy() {
            Builder b = new Builder(runsDir);
            b.host = host;
            b.port = port;
            b.tokenizersDir = tokenizersDir;
            b.token = token;
            b.maxBodyBytes = maxBodyBytes;
            b.clock = clock;
            b.secrets = secrets;
            b.followEvery = followEvery;
            b.heartbeat = heartbeat;
            b.extra = extra;
            return b;
        }

        /** The address to listen on (default {@value NotebenchServer#LOOPBACK}); any other needs a {@link #token}. */
        public Builder host(String host) {
            Builder b = copy();
            b.host = Objects.requireNonNull(host, "host").strip();
            return b;
        }

        /** The port (default {@value NotebenchServer#DEFAULT_PORT}; 0 for any free one, then {@link #port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--port " + port + " is not a port; give 0 to 65535");
            }
            Builder b = copy();
            b.port = port;
            return b;
        }

        /** Where the tokenizers are (the tokenizer routes of a later step serve them). */
        public Builder tokenizersDir(Path dir) {
            Builder b = copy();
            b.tokenizersDir = dir.toAbsolutePath().normalize();
            return b;
        }

        /** The bearer token every request but {@code /healthz} must carry; null for none (loopback only). */
        public Builder token(String token) {
            if (token != null && token.isBlank()) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the bearer token is empty; set the variable --token-env names"
                        + " to a long random value");
            }
            Builder b = copy();
            b.token = token;
            return b;
        }

        /** The largest request body accepted (default 1 MiB); a larger one is answered 413. */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1");
            }
            Builder b = copy();
            b.maxBodyBytes = bytes;
            return b;
        }

        /** The clock heartbeats are aged by (a run whose heartbeat is stale on another host reads lost). */
        public Builder clock(Clock clock) {
            Builder b = copy();
            b.clock = Objects.requireNonNull(clock, "clock");
            return b;
        }

        /** Secrets no answer may echo (the token is always one). */
        public Builder secrets(Secrets secrets) {
            Builder b = copy();
            b.secrets = Objects.requireNonNull(secrets, "secrets");
            return b;
        }

        /** How often followed files are read for the streams (default 200 ms). */
        public Builder followEvery(Duration every) {
            Builder b = copy();
            b.followEvery = Objects.requireNonNull(every, "every");
            return b;
        }

        /** How long a stream may be silent before a heartbeat comment (default 15 s). */
        public Builder heartbeat(Duration heartbeat) {
            Builder b = copy();
            b.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
            return b;
        }

        /** More routes (the capabilities of later steps plug in here). */
        Builder routes(List<Route> routes) {
            Builder b = copy();
            List<Route> all = new ArrayList<>(extra);
            all.addAll(routes);
            b.extra = List.copyOf(all);
            return b;
        }

        /**
         * Builds the server (not started).
         *
         * @throws NotebenchException CONFIG_INVALID when the host is not loopback and there is no
         *     token, or the host is unknown
         */
        public NotebenchServer build() {
            boolean loopback;
            try {
                loopback = InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--host " + host + " is not an address of this machine; give"
                        + " one, e.g. 127.0.0.1", e);
            }
            if (!loopback && token == null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "refusing to listen on " + host + " without a bearer token:"
                        + " anyone who reaches it could read and cancel runs. Put a long random token in an environment variable"
                        + " and name it with --token-env VAR, or listen on 127.0.0.1");
            }
            return new NotebenchServer(this);
        }
    }
}
