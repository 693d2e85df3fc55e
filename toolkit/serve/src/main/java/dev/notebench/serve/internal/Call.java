package dev.notebench.serve.internal;

import dev.notebench.NotebenchException;
import dev.notebench.options.Option;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

/**
 * One request to a route: its checked path parameters, its typed query parameters, its body read
 * as the route's record, and, for a stream, the response to write to.
 */
public final class Call {
    /** What a handler returns when it wrote the response itself (an event stream). */
    public static final Object STREAMED = new Object();

    private final Request request;
    private final Response response;
    private final Route route;
    private final Map<String, String> path;
    private final Fields query;
    private final String body;
    private final Json json;
    private final Clock clock;

    Call(Request request, Response response, Route route, Map<String, String> path, Fields query, String body, Json json,
         Clock clock) {
        this.request = request;
        this.response = response;
        this.route = route;
        this.path = path;
        this.query = query;
        this.body = body;
        this.json = json;
        this.clock = clock;
    }

    /** Returns a path parameter, already checked as an id ({@link Ids}). */
    public String path(String name) {
        return Objects.requireNonNull(path.get(name), () -> route + " has no path parameter " + name);
    }

    /** Returns the {@code {id}} path parameter. */
    public String id() {
        return path("id");
    }

    /**
     * Returns a query parameter of the route, parsed by its declaration, or its default.
     *
     * @throws HttpError 400 naming the parameter when its value does not parse
     */
    public <T> T query(Option<T> option) {
        if (!route.query().contains(option)) {
            throw new IllegalArgumentException(route + " declares no query parameter " + option.name());
        }
        String v = query.getValue(Route.queryName(option));
        if (v == null) {
            return option.defaultValue();
        }
        try {
            return option.type().parse(v);
        } catch (RuntimeException e) {
            String why = e instanceof NotebenchException n ? n.getMessage() : e.getMessage();
            throw HttpError.badField(Route.queryName(option), "query parameter " + Route.queryName(option) + "=" + Ids.shown(v) + " " + why);
        }
    }

    /**
     * Returns the request body as the route's record; an empty body reads as {@code {}}.
     *
     * @throws HttpError 400 naming what is wrong
     */
    public <T extends Record> T body(Class<T> type) {
        Type declared = route.request();
        if (!type.equals(declared)) {
            throw new IllegalArgumentException(route + " takes a " + declared + ", not a " + type);
        }
        return json.read(body.isBlank() ? "{}" : body, type);
    }

    /** Returns a request header, or null. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** Returns Jetty's request (for a stream). */
    public Request request() {
        return request;
    }

    /** Returns Jetty's response (for a stream). */
    public Response response() {
        return response;
    }

    /** Returns the server's clock. */
    public Clock clock() {
        return clock;
    }
}
