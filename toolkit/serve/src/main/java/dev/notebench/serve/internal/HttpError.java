package dev.notebench.serve.internal;

import java.util.Map;

/**
 * A request the server refuses, with its status, a stable code, a message that says what to do,
 * and the field at fault; the router writes it as {@link dev.notebench.serve.api.ApiError}.
 */
public final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;
    private final transient Map<String, String> headers;

    /**
     * Creates the error.
     *
     * @param status the HTTP status
     * @param code a stable word, e.g. {@code invalid_field}
     * @param message what happened and what to do
     * @param field the field at fault, or null
     */
    public HttpError(int status, String code, String message, String field) {
        this(status, code, message, field, Map.of());
    }

    HttpError(int status, String code, String message, String field, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.headers = headers;
    }

    /** A 400 naming the field at fault. */
    public static HttpError badField(String field, String message) {
        return new HttpError(400, "invalid_field", message, field);
    }

    /** A 404 for something that does not exist. */
    public static HttpError notFound(String message) {
        return new HttpError(404, "not_found", message, null);
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }

    /** Returns the code. */
    public String code() {
        return code;
    }

    /** Returns the field at fault, or null. */
    public String field() {
        return field;
    }

    /** Returns headers the answer carries (e.g. {@code Allow} on a 405). */
    public Map<String, String> headers() {
        return headers;
    }
}
