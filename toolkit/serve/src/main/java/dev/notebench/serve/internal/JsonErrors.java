package dev.notebench.serve.internal;

import dev.notebench.serve.api.ApiError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a request it cannot parse, an ambiguous path such as {@code %2F} in a
 * segment, headers too large) in the API's JSON error shape, never an HTML page or a trace.
 */
public final class JsonErrors extends ErrorHandler {
    private final Json json;

    /** Creates the handler. */
    public JsonErrors(Json json) {
        this.json = json;
        setShowStacks(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        if (code == 400) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close"); // what follows an unreadable request cannot be trusted
        }
        Router.respond(response, callback, body(code, message));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    private String body(int code, String why) {
        String reason = why == null || why.isBlank() ? HttpStatus.getMessage(code) : why.replaceAll("\\p{Cntrl}", "?");
        String message = code == 400 ? "the request cannot be read (" + reason + "): check its path, its escapes and its headers"
                : code == 431 ? "the request's headers are too large" : reason;
        return json.write(new ApiError(new ApiError.Detail(code, code == 400 ? "bad_request" : "http_" + code, message, null, null)));
    }
}
