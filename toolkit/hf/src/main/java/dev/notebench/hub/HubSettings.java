package dev.notebench.hub;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where models are cached and fetched from, read once at the edge from the environment Python's
 * {@code huggingface_hub} reads ({@code HF_HUB_CACHE}, {@code HF_HOME}, {@code HF_ENDPOINT},
 * {@code HF_TOKEN}, {@code HF_HUB_OFFLINE}), so that both find the same files. Immutable; the token
 * never appears in {@link #toString()}.
 *
 * <pre>{@code
 * HubSettings settings = HubSettings.fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
 * }</pre>
 */
public final class HubSettings {
    /** The public hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    private static final Set<String> TRUE = Set.of("1", "on", "yes", "true");

    private final Path cacheDir;
    private final URI endpoint;
    private final String token;
    private final boolean offline;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int retries;

    private HubSettings(Builder b) {
        this.cacheDir = b.cacheDir;
        this.endpoint = b.endpoint;
        this.token = b.token;
        this.offline = b.offline;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.retries = b.retries;
    }

    /**
     * Reads the settings as {@code huggingface_hub} does: the cache from {@code HF_HUB_CACHE}, else
     * {@code HF_HOME/hub}, else {@code XDG_CACHE_HOME/huggingface/hub}, else
     * {@code ~/.cache/huggingface/hub}; the token from {@code HF_TOKEN}, else the file
     * {@code huggingface-cli login} wrote ({@code HF_TOKEN_PATH}, else {@code HF_HOME/token}).
     *
     * @param env the environment variables
     * @param home the user's home directory
     * @return the settings
     */
    public static HubSettings fromEnvironment(Map<String, String> env, Path home) {
        Path hfHome = present(env, "HF_HOME").map(Path::of)
                .orElseGet(() -> present(env, "XDG_CACHE_HOME").map(Path::of).orElse(home.resolve(".cache")).resolve("huggingface"));
        Path cache = present(env, "HF_HUB_CACHE").or(() -> present(env, "HUGGINGFACE_HUB_CACHE")).map(Path::of)
                .orElse(hfHome.resolve("hub"));
        Builder b = builder(cache).offline(present(env, "HF_HUB_OFFLINE").map(v -> TRUE.contains(v.strip().toLowerCase(Locale.ROOT)))
                .orElse(false));
        present(env, "HF_ENDPOINT").ifPresent(e -> b.endpoint(URI.create(e.strip())));
        Optional<String> token = present(env, "HF_TOKEN");
        if (token.isEmpty()) {
            Path file = present(env, "HF_TOKEN_PATH").map(Path::of).orElse(hfHome.resolve("token"));
            token = readToken(file);
        }
        token.ifPresent(b::token);
        return b.build();
    }

    private static Optional<String> readToken(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()).filter(t -> !t.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> present(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    /**
     * Returns a builder: the public hub, no token, online, 10 s to connect, 30 s without data, 3 retries.
     *
     * @param cacheDir the hub cache directory (the folder holding {@code models--org--name})
     * @return the builder
     */
    public static Builder builder(Path cacheDir) {
        return new Builder(cacheDir);
    }

    /** Returns a builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(cacheDir);
        b.endpoint = endpoint;
        b.token = token;
        b.offline = offline;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.retries = retries;
        return b;
    }

    /** Returns the hub cache directory. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** Returns the hub's address. */
    public URI endpoint() {
        return endpoint;
    }

    /** Returns the access token, if any; never log it. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** Returns whether downloads are off ({@code HF_HUB_OFFLINE}). */
    public boolean offline() {
        return offline;
    }

    /** Returns how long a connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns how long the hub may send nothing before a request fails. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Returns how many times a dropped download is resumed within one call. */
    public int retries() {
        return retries;
    }

    @Override
    public String toString() {
        return "HubSettings[cache=" + cacheDir + ", endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set")
                + ", offline=" + offline + "]";
    }

    /** Builds {@link HubSettings}. */
    public static final class Builder {
        private final Path cacheDir;
        private URI endpoint = DEFAULT_ENDPOINT;
        private String token;
        private boolean offline;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private int retries = 3;

        private Builder(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        }

        /**
         * Sets the hub's address ({@code HF_ENDPOINT}).
         *
         * @param endpoint e.g. {@code https://huggingface.co}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "HF_ENDPOINT '" + endpoint + "' is not an http(s) address;"
                        + " give one such as https://huggingface.co");
            }
            String s = endpoint.toString();
            this.endpoint = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            return this;
        }

        /**
         * Sets the access token sent as {@code Authorization: Bearer ...}.
         *
         * @param token the token; null or blank for none
         * @return this builder
         */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token.strip();
            return this;
        }

        /**
         * Turns downloads off (the cache only).
         *
         * @param offline true for no network
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Sets the timeouts.
         *
         * @param connect how long a connection may take
         * @param read how long the hub may send nothing
         * @return this builder
         */
        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = Objects.requireNonNull(connect, "connect");
            this.readTimeout = Objects.requireNonNull(read, "read");
            return this;
        }

        /**
         * Sets how many times a dropped download is resumed within one call.
         *
         * @param retries 0 or more
         * @return this builder
         */
        public Builder retries(int retries) {
            this.retries = Math.max(0, retries);
            return this;
        }

        /** Returns the settings. */
        public HubSettings build() {
            return new HubSettings(this);
        }
    }
}
