package dev.notebench.embed.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where embeddings live unless told: one cache file and one models directory per user, shared
 * by every notebook, batch worker and command-line run.
 *
 * @param cacheFile {@code $NOTEBENCH_EMBED_CACHE}, else {@code ~/.cache/notebench/embeddings.sqlite}
 * @param modelsDir {@code $NOTEBENCH_MODELS}, else {@code ~/.cache/notebench/models}
 */
public record EmbeddingPaths(Path cacheFile, Path modelsDir) {
    /**
     * The paths for an environment.
     *
     * @param env environment variables, e.g. {@code System.getenv()}
     * @param home the user's home directory
     */
    public static EmbeddingPaths of(Map<String, String> env, Path home) {
        Path base = home.resolve(".cache").resolve("notebench");
        String cache = env.get("NOTEBENCH_EMBED_CACHE");
        String models = env.get("NOTEBENCH_MODELS");
        return new EmbeddingPaths(cache == null || cache.isBlank() ? base.resolve("embeddings.sqlite") : Path.of(cache),
                models == null || models.isBlank() ? base.resolve("models") : Path.of(models));
    }

    /**
     * The paths for this process's environment and user: for an application's edge only (the CLI's
     * commands, the kernel's magics), which read their environment there; library code takes an
     * environment ({@link #of}) or the paths themselves.
     */
    public static EmbeddingPaths ofProcess() {
        return of(System.getenv(), Path.of(System.getProperty("user.home")));
    }
}
