package dev.notebench.logging;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Locale;

/** How Notebench applications write their logs. */
public enum LogFormat {
    /** One human-readable line per event. */
    TEXT,
    /** One JSON object per line (see {@link JsonLayout}). */
    JSON;

    /**
     * Parses {@code text} or {@code json}, case-insensitively.
     *
     * @param value the name given by a user
     * @return the format
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} for any other value
     */
    public static LogFormat parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "unknown log format '" + value + "'; use text or json");
        }
    }
}
