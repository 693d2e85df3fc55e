package dev.notebench.hub;

import dev.notebench.files.AtomicFiles;
import dev.notebench.files.FileErrors;
import dev.notebench.safetensors.SafetensorsReader;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Hugging Face hub cache as {@code huggingface_hub} lays it out, read and written the same way
 * so that Python and Notebench share downloads:
 *
 * <pre>
 * {cache}/models--org--name/
 *     refs/main                  the commit the branch or tag points at
 *     blobs/{etag}               each file's bytes, named by its ETag (sha256 for LFS files)
 *     blobs/{etag}.incomplete    a download under way, resumed from its length
 *     snapshots/{commit}/{file}  a relative symbolic link to ../../blobs/{etag}
 * </pre>
 */
public final class HfCache {
    private static final Pattern SHARD = Pattern.compile("\"([^\"/\\\\]+\\.safetensors)\"");

    private final Path dir;

    /**
     * A cache in a directory.
     *
     * @param dir the hub cache directory ({@link HubSettings#cacheDir()})
     */
    public HfCache(Path dir) {
        this.dir = dir;
    }

    /** Returns the cache directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Returns a repository's folder, whether or not it exists.
     *
     * @param ref the model
     * @return {@code {cache}/models--org--name}
     */
    public Path repoDir(RepoRef ref) {
        return dir.resolve(ref.cacheFolder());
    }

    /**
     * Finds the snapshot a revision points at: a commit hash directly, a branch or tag through
     * {@code refs/}.
     *
     * @param ref the model and revision
     * @return the snapshot directory, if the cache has it
     */
    public Optional<Path> snapshot(RepoRef ref) {
        Path repo = repoDir(ref);
        String commit = ref.revision();
        if (!ref.isCommit()) {
            Path refFile = repo.resolve("refs").resolve(ref.revision());
            if (!Files.isRegularFile(refFile)) {
                return Optional.empty();
            }
            try {
                commit = Files.readString(refFile).strip();
            } catch (IOException e) {
                throw FileErrors.of("read " + refFile, refFile, e);
            }
        }
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        return Files.isDirectory(snapshot) ? Optional.of(snapshot) : Optional.empty();
    }

    /**
     * Returns whether a model directory holds what loading a causal LM needs: {@code config.json}
     * and its weights ({@code model.safetensors}, or the index and every shard it names), each a
     * readable file (a link whose blob is gone does not count).
     *
     * @param modelDir a snapshot or any model directory
     * @return true when complete
     */
    public static boolean hasModel(Path modelDir) {
        if (!Files.isRegularFile(modelDir.resolve("config.json"))) {
            return false;
        }
        if (Files.isRegularFile(modelDir.resolve(SafetensorsReader.MODEL_FILE))) {
            return true;
        }
        Path index = modelDir.resolve(SafetensorsReader.INDEX_FILE);
        if (!Files.isRegularFile(index)) {
            return false;
        }
        try {
            var m = SHARD.matcher(Files.readString(index));
            while (m.find()) {
                if (!Files.isRegularFile(modelDir.resolve(m.group(1)))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns where a blob lives. */
    Path blob(RepoRef ref, String etag) {
        return repoDir(ref).resolve("blobs").resolve(etag);
    }

    /** Returns where a blob is downloaded to before it is complete. */
    Path incomplete(RepoRef ref, String etag) {
        return repoDir(ref).resolve("blobs").resolve(etag + ".incomplete");
    }

    /**
     * Points a snapshot's file at its blob with a relative link, as huggingface_hub does (a copy
     * where the file system has no links).
     */
    void link(RepoRef ref, String commit, String file, String etag) throws IOException {
        Path entry = repoDir(ref).resolve("snapshots").resolve(commit).resolve(file);
        Files.createDirectories(entry.getParent());
        Path blob = blob(ref, etag);
        Path target = entry.getParent().relativize(blob);
        Files.deleteIfExists(entry);
        try {
            Files.createSymbolicLink(entry, target);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(blob, entry, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Records the commit a branch or tag points at. */
    void writeRef(RepoRef ref, String commit) {
        if (!ref.isCommit()) {
            AtomicFiles.writeString(repoDir(ref).resolve("refs").resolve(ref.revision()), commit);
        }
    }
}
