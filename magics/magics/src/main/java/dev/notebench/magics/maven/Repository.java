package dev.notebench.magics.maven;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.net.URI;
import java.util.Objects;

/**
 * A remote Maven repository.
 *
 * @param id the repository id, as in a POM's {@code <repository>}
 * @param url its base URL ({@code https:}, {@code http:} or {@code file:})
 */
public record Repository(String id, String url) {
    /** Maven Central. */
    public static final Repository CENTRAL = new Repository("central", "https://repo.maven.apache.org/maven2/");

    /** Validates the parts. */
    public Repository {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        if (id.isBlank()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a repository id must not be blank");
        }
        String scheme;
        try {
            scheme = URI.create(url).getScheme();
        } catch (IllegalArgumentException e) {
            scheme = null;
        }
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http") || scheme.equals("file"))) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "repository URL '" + url + "' is not an http(s) or file URL; give e.g. https://repo.example.com/maven2/");
        }
    }

    @Override
    public String toString() {
        return id + " (" + url + ")";
    }
}
