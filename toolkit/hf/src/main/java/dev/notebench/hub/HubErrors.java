package dev.notebench.hub;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.net.URI;

/** The hub's failures as messages that say what happened, where the cache was looked at, and what to do. */
final class HubErrors {
    private HubErrors() {
    }

    private static String download(RepoRef ref) {
        return "`huggingface-cli download " + ref.repoId() + (ref.revision().equals(RepoRef.DEFAULT_REVISION) ? ""
                : " --revision " + ref.revision()) + "`";
    }

    private static String notCached(RepoRef ref, HfCache cache) {
        return "model " + ref.repoId() + " (revision " + ref.revision() + ") is not in the Hugging Face cache (looked in "
                + cache.repoDir(ref) + ")";
    }

    static NotebenchException offline(RepoRef ref, HfCache cache) {
        return new NotebenchException(ErrorCode.DATA_NOT_FOUND, notCached(ref, cache) + " and downloads are off"
                + " (HF_HUB_OFFLINE); download it where there is a network with " + download(ref)
                + " (into the same cache), or unset HF_HUB_OFFLINE");
    }

    static NotebenchException unreachable(RepoRef ref, HfCache cache, URI endpoint, IOException e) {
        String why = e instanceof HubHttp.Silent ? e.getMessage() : e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new NotebenchException(ErrorCode.PROVIDER_FAILED, notCached(ref, cache) + " and the Hugging Face hub at " + endpoint
                + " cannot be reached (" + why + "); check the network or HF_ENDPOINT, or download it with " + download(ref)
                + " where there is a network", e);
    }

    static NotebenchException status(RepoRef ref, int status, String body, boolean withToken, URI endpoint) {
        String said = body.isBlank() ? "" : ": " + body.strip().replaceAll("\\s+", " ");
        if (said.length() > 300) {
            said = said.substring(0, 300) + "...";
        }
        String http = "HTTP " + status + said;
        return switch (status) {
            case 401 -> new NotebenchException(ErrorCode.ACCESS_DENIED, "the Hugging Face hub refused " + ref.repoId()
                    + (withToken ? " with the token given" : " without a token") + " (" + http + "); it is private or gated:"
                    + " set HF_TOKEN to a token that may read it (huggingface-cli login)");
            case 403 -> new NotebenchException(ErrorCode.ACCESS_DENIED, "the Hugging Face hub refused access to " + ref.repoId()
                    + " (" + http + "); it is gated: accept its conditions on " + endpoint + "/" + ref.repoId()
                    + " with the account whose token HF_TOKEN holds");
            case 404 -> new NotebenchException(ErrorCode.DATA_NOT_FOUND, "the Hugging Face hub has no model " + ref.repoId()
                    + " at revision " + ref.revision() + " (" + http + "); check the name and the revision, or set HF_TOKEN"
                    + " if it is private");
            default -> new NotebenchException(ErrorCode.PROVIDER_FAILED, "the Hugging Face hub at " + endpoint + " failed on "
                    + ref.repoId() + " (" + http + "); try again later");
        };
    }
}
