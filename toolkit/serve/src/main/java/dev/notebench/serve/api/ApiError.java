package dev.notebench.serve.api;

/**
 * Every error the API answers: {@code {"error": {"status": 400, "code": "invalid_field", ...}}}.
 *
 * @param error what went wrong
 */
public record ApiError(Detail error) {
    /**
     * What went wrong.
     *
     * @param status the HTTP status
     * @param code a stable word for programs, e.g. {@code malformed_json}, {@code invalid_id}, {@code not_found}
     * @param message what happened and what to do, for people
     * @param field the field, query parameter or path parameter at fault, or null
     * @param id for an unexpected error (500), the id under which the server logged it; else null
     */
    public record Detail(int status, String code, String message, String field, String id) {
    }
}
