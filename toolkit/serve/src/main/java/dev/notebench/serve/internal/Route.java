package dev.notebench.serve.internal;

import dev.notebench.options.Option;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One route of the API, declared once: its method and path template ({@code /runs/{id}/metrics}),
 * its query parameters (declared as {@link Option}s, as the command line's are), its request and
 * response types, and its handler. The router serves it and {@link OpenApi} describes it from the
 * same declaration. Immutable; each {@code with...} returns a copy.
 *
 * <pre>{@code
 * Route.get("/runs/{id}", "A run's status", RunDetail.class, call -> runs.detail(call.id()))
 * }</pre>
 */
public final class Route {
    /** Answers a call: returns the body (written as JSON with the route's status), or {@link Call#STREAMED}. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Answers a call.
         *
         * @param call the request, its checked path parameters and typed query parameters
         * @return the response body, or {@link Call#STREAMED} when the handler wrote the response itself
         * @throws Exception on an I/O failure or a bug (the router answers 500)
         */
        Object handle(Call call) throws Exception;
    }

    /** The media type of a server-sent event stream. */
    public static final String EVENT_STREAM = "text/event-stream";
    private static final Pattern PARAM = Pattern.compile("\\{(\\w+)}");

    private final String method;
    private final String path;
    private final String summary;
    private final List<Option<?>> query;
    private final Type request;
    private final Type response;
    private final int status;
    private final String produces;
    private final String events;
    private final Handler handler;

    private Route(String method, String path, String summary, List<Option<?>> query, Type request, Type response, int status,
                  String produces, String events, Handler handler) {
        this.method = method;
        this.path = path;
        this.summary = summary;
        this.query = List.copyOf(query);
        this.request = request;
        this.response = response;
        this.status = status;
        this.produces = produces;
        this.events = events;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** A {@code GET} answering JSON of a type with 200. */
    public static Route get(String path, String summary, Type response, Handler handler) {
        return new Route("GET", path, summary, List.of(), null, response, 200, "application/json", null, handler);
    }

    /** A {@code POST} answering JSON of a type with a status; its request body, if any, is {@link #withBody}. */
    public static Route post(String path, String summary, int status, Type response, Handler handler) {
        return new Route("POST", path, summary, List.of(), null, response, status, "application/json", null, handler);
    }

    /**
     * A {@code GET} answering a server-sent event stream.
     *
     * @param events the events it sends, in words, for the document
     */
    public static Route events(String path, String summary, String events, Handler handler) {
        return new Route("GET", path, summary, List.of(), null, String.class, 200, EVENT_STREAM, events, handler);
    }

    /** This route with query parameters. */
    public Route withQuery(Option<?>... options) {
        List<Option<?>> q = new ArrayList<>(query);
        q.addAll(List.of(options));
        return new Route(method, path, summary, q, request, response, status, produces, events, handler);
    }

    /** This route with a JSON request body of a record type. */
    public Route withBody(Class<? extends Record> type) {
        return new Route(method, path, summary, query, type, response, status, produces, events, handler);
    }

    /**
     * A query parameter's name: its option's, in the snake_case of the API's JSON ({@code page-size} is {@code page_size}).
     *
     * @param option the declared option
     */
    public static String queryName(Option<?> option) {
        return option.name().replace('-', '_');
    }

    /** Returns the method. */
    public String method() {
        return method;
    }

    /** Returns the path template. */
    public String path() {
        return path;
    }

    /** Returns the summary. */
    public String summary() {
        return summary;
    }

    /** Returns the query parameters. */
    public List<Option<?>> query() {
        return query;
    }

    /** Returns the request body's type, or null when it takes none. */
    public Type request() {
        return request;
    }

    /** Returns the response body's type. */
    public Type response() {
        return response;
    }

    /** Returns the status of a successful answer. */
    public int status() {
        return status;
    }

    /** Returns the response's media type. */
    public String produces() {
        return produces;
    }

    /** Returns the events of a stream in words, or null. */
    public String events() {
        return events;
    }

    /** Returns the handler. */
    Handler handler() {
        return handler;
    }

    /** The template's segments, e.g. {@code [runs, {id}, metrics]}. */
    List<String> segments() {
        return List.of(path.substring(1).split("/", -1));
    }

    /** The path parameters' names, in order. */
    List<String> parameters() {
        List<String> out = new ArrayList<>();
        var m = PARAM.matcher(path);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
