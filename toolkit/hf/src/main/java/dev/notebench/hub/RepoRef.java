package dev.notebench.hub;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.regex.Pattern;

/**
 * A model on the Hugging Face hub: its repository id ({@code org/name}, or {@code name} for the
 * old unscoped ones such as {@code gpt2}) and a revision (a branch, a tag or a commit hash).
 *
 * @param repoId e.g. {@code Qwen/Qwen2.5-0.5B}
 * @param revision e.g. {@code main}, {@code v1.0} or a 40-character commit hash
 */
public record RepoRef(String repoId, String revision) {
    /** The revision used when none is given. */
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern REPO_ID = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /** Checks the id and the revision. */
    public RepoRef {
        if (repoId == null || !REPO_ID.matcher(repoId).matches() || repoId.contains("--") || repoId.contains("..")) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "'" + repoId + "' is not a model directory nor a Hugging Face"
                    + " model id; give an existing directory or an id such as Qwen/Qwen2.5-0.5B (optionally @revision)");
        }
        if (revision == null || revision.isBlank() || revision.contains("..")) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "'" + revision + "' is not a revision of " + repoId
                    + "; give a branch, a tag or a commit hash after @");
        }
    }

    /**
     * Parses {@code org/name} or {@code org/name@revision}.
     *
     * @param spec the text
     * @return the reference, revision {@value #DEFAULT_REVISION} when none is given
     * @throws NotebenchException CONFIG_INVALID when it is not a repository id
     */
    public static RepoRef parse(String spec) {
        int at = spec.indexOf('@');
        return at < 0 ? new RepoRef(spec, DEFAULT_REVISION) : new RepoRef(spec.substring(0, at), spec.substring(at + 1));
    }

    /** Returns whether the revision is a full commit hash. */
    public boolean isCommit() {
        return COMMIT.matcher(revision).matches();
    }

    /** Returns the repository's folder name in the cache, {@code models--org--name}. */
    public String cacheFolder() {
        return "models--" + repoId.replace("/", "--");
    }

    /** Returns {@code org/name@revision}. */
    @Override
    public String toString() {
        return repoId + "@" + revision;
    }
}
