package dev.notebench.serve.internal;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The ids a path may hold (runs, tokenizers): checked before anything touches the disk, so that
 * no id can name a path outside its directory.
 */
public final class Ids {
    /** What an id may be: a letter or digit, then up to 127 letters, digits, dots, underscores or dashes. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Ids() {
    }

    /**
     * Checks an id.
     *
     * @param field the path parameter's name, e.g. {@code id}
     * @param id the id as decoded from the path
     * @return the id
     * @throws HttpError 400 {@code invalid_id} when it is not an id
     */
    public static String check(String field, String id) {
        if (!ID.matcher(id).matches() || id.contains("..")) {
            throw new HttpError(400, "invalid_id", "'" + shown(id) + "' is not an id: an id is 1 to 128 letters, digits, '.', '_' or"
                    + " '-', starting with a letter or digit, without '..'", field);
        }
        return id;
    }

    /**
     * Resolves a checked id in a directory, and makes sure it stayed there.
     *
     * @param dir the directory, absolute and normalized
     * @param id a checked id
     */
    public static Path resolve(Path dir, String id) {
        Path p = dir.resolve(id).normalize();
        if (!p.getParent().equals(dir)) {
            throw new HttpError(400, "invalid_id", "'" + shown(id) + "' is not an id", "id");
        }
        return p;
    }

    /** An id as a message may quote it: at most 64 characters, control characters shown as '?'. */
    static String shown(String id) {
        String s = id.length() > 64 ? id.substring(0, 64) + "..." : id;
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
