package dev.notebench.hub;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns what a user typed after {@code --model} into a model directory: an existing directory as
 * is; else {@code org/name[@revision]} from the Hugging Face cache (what Python downloaded is
 * found); else downloaded from the hub, unless offline. Never a hang: the hub has connect and read
 * timeouts, and offline or unreachable is one error naming the model, where the cache was looked
 * at, and what to do.
 *
 * <pre>{@code
 * ModelResolver models = new ModelResolver(HubSettings.fromEnvironment(System.getenv(), home));
 * Path dir = models.resolve("Qwen/Qwen2.5-0.5B", Progress.NONE); // config.json, model.safetensors, ...
 * }</pre>
 */
public final class ModelResolver {
    private final HubSettings settings;
    private final HfCache cache;
    private final HubDownloader downloader;

    /**
     * A resolver.
     *
     * @param settings the cache, the hub, the token, offline or not
     */
    public ModelResolver(HubSettings settings) {
        this.settings = settings;
        this.cache = new HfCache(settings.cacheDir());
        this.downloader = new HubDownloader(settings);
    }

    /** Returns the cache this resolver reads. */
    public HfCache cache() {
        return cache;
    }

    /**
     * Resolves a model.
     *
     * @param model a directory, or {@code org/name} with an optional {@code @revision}
     * @param progress told the download's bytes, if there is one
     * @return a directory with config.json and the weights
     * @throws NotebenchException DATA_NOT_FOUND for a missing directory or a model neither cached
     *     nor downloadable (offline), PROVIDER_FAILED when the hub cannot be reached, ACCESS_DENIED
     *     for a gated or private model, CONFIG_INVALID for text that is neither a path nor an id
     */
    public Path resolve(String model, Progress progress) {
        Path asPath = Path.of(model);
        if (Files.isDirectory(asPath)) {
            return asPath;
        }
        if (Files.exists(asPath)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, model + " is a file, not a model directory; give the directory"
                    + " that holds config.json and model.safetensors, or a Hugging Face id such as Qwen/Qwen2.5-0.5B");
        }
        if (looksLikePath(model)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "model directory " + model + " does not exist; give a"
                    + " directory with config.json and model.safetensors, or a Hugging Face id such as Qwen/Qwen2.5-0.5B");
        }
        RepoRef ref = RepoRef.parse(model);
        Optional<Path> cached = cache.snapshot(ref).filter(HfCache::hasModel);
        if (cached.isPresent()) {
            return cached.get();
        }
        if (settings.offline()) {
            throw HubErrors.offline(ref, cache);
        }
        return downloader.download(ref, progress);
    }

    private static boolean looksLikePath(String model) {
        return model.startsWith("/") || model.startsWith(".") || model.startsWith("~") || model.contains("\\")
                || model.chars().filter(c -> c == '/').count() > 1;
    }
}
