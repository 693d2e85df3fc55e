package dev.notebench.serve.internal;

import dev.notebench.secrets.Secrets;
import dev.notebench.serve.api.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the route table: the bearer token first (when there is one), then the route by path and
 * method (404, 405 with {@code Allow}), its path parameters checked as ids, the body capped (413),
 * then the handler; whatever it throws becomes one JSON error ({@link ApiError}), and an
 * unexpected exception a 500 whose trace goes only to the server's log, under an id the answer
 * gives. No CORS header is ever written.
 */
public final class Router extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** Paths answered without the token: liveness tells nothing about the runs. */
    private static final Set<String> OPEN = Set.of("/healthz");
    /** How many times the body limit a refused body may be read (and dropped) so that its client sees the 413. */
    private static final int DRAIN_FACTOR = 16;

    private final List<Route> routes;
    private final Json json;
    private final long maxBodyBytes;
    private final byte[] tokenDigest;
    private final Secrets secrets;
    private final Clock clock;

    /**
     * Creates the router.
     *
     * @param routes the routes
     * @param json the JSON mapping
     * @param maxBodyBytes the largest request body accepted
     * @param token the bearer token every request but {@code /healthz} must carry, or null for none
     * @param secrets what no answer may echo
     * @param clock the server's clock
     */
    public Router(List<Route> routes, Json json, long maxBodyBytes, String token, Secrets secrets, Clock clock) {
        super(InvocationType.BLOCKING);
        this.routes = List.copyOf(routes);
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.tokenDigest = token == null ? null : digest(token);
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Returns the routes. */
    public List<Route> routes() {
        return routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            serve(request, response, callback);
        } catch (HttpError e) {
            error(response, callback, e, null);
        } catch (IOException e) {
            if (response.isCommitted()) { // a stream's client went away
                LOG.debug("{} {}: the client went away: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString());
                callback.failed(e);
                return true;
            }
            failed(request, response, callback, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        } catch (Exception | StackOverflowError e) {
            failed(request, response, callback, e);
        }
        return true;
    }

    private void failed(Request request, Response response, Callback callback, Throwable e) {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        LOG.error("request {} {} failed (error id {})", request.getMethod(), request.getHttpURI().getPath(), id, e);
        error(response, callback, new HttpError(500, "internal", "the server failed unexpectedly; its log has the details under"
                + " error id " + id, null), id);
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String rawPath = request.getHttpURI().getPath();
        if (tokenDigest != null && !OPEN.contains(rawPath)) {
            authorize(request);
        }
        List<String> segments = segments(rawPath);
        Set<String> allowed = new LinkedHashSet<>();
        Route route = null;
        Map<String, String> params = null;
        for (Route r : routes) {
            Map<String, String> p = match(r, segments);
            if (p != null) {
                allowed.add(r.method());
                if (r.method().equals(request.getMethod()) && route == null) {
                    route = r;
                    params = p;
                }
            }
        }
        if (allowed.isEmpty()) {
            throw new HttpError(404, "not_found", "there is no route " + Ids.shown(rawPath) + "; GET /openapi.json lists the routes",
                    null);
        }
        if (route == null) {
            throw new HttpError(405, "method_not_allowed", request.getMethod() + " is not allowed on " + Ids.shown(rawPath)
                    + "; allowed: " + String.join(", ", allowed), null, Map.of("Allow", String.join(", ", allowed)));
        }
        for (Map.Entry<String, String> p : params.entrySet()) {
            Ids.check(p.getKey(), p.getValue());
        }
        Fields query = query(request, route);
        String body = body(request, route);
        Call call = new Call(request, response, route, params, query, body, json, clock);
        Object out = route.handler().handle(call);
        if (out == Call.STREAMED) {
            callback.succeeded();
            return;
        }
        response.setStatus(route.status());
        respond(response, callback, json.write(out));
    }

    private void authorize(Request request) {
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        boolean ok = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(digest(h.substring(7).strip()), tokenDigest); // digests: the same length, compared in constant time
        if (!ok) {
            throw new HttpError(401, "unauthorized", h == null ? "this server needs a bearer token: send 'Authorization: Bearer"
                    + " TOKEN' with the token of the variable its --token-env names" : "the bearer token is wrong", null,
                    Map.of("WWW-Authenticate", "Bearer realm=\"notebench\""));
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The path's segments, each percent-decoded on its own, so that an encoded '/' stays inside its segment. */
    private static List<String> segments(String rawPath) {
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        List<String> out = new ArrayList<>();
        for (String s : p.split("/", -1)) {
            out.add(decode(s));
        }
        return out;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 3 > s.length()) {
                    throw new HttpError(400, "bad_path", "the path has a cut-off percent escape", null);
                }
                bytes.put((byte) hex(s.substring(i + 1, i + 3)));
                i += 2;
            } else {
                bytes.put((byte) (c < 128 ? c : '?'));
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return "\uFFFD";
        }
    }

    private static int hex(String two) {
        try {
            return Integer.parseInt(two, 16);
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad_path", "the path has a bad percent escape '%" + Ids.shown(two) + "'", null);
        }
    }

    /** The path parameters when a route's template matches the segments, else null. */
    private static Map<String, String> match(Route r, List<String> segments) {
        List<String> t = r.segments();
        if (t.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < t.size(); i++) {
            String want = t.get(i);
            if (want.startsWith("{") && want.endsWith("}")) {
                params.put(want.substring(1, want.length() - 1), segments.get(i));
            } else if (!want.equals(segments.get(i))) {
                return null;
            }
        }
        return params;
    }

    private static Fields query(Request request, Route route) {
        Fields f;
        try {
            f = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new HttpError(400, "bad_query", "the query string cannot be read: " + e.getMessage(), null);
        }
        for (String name : f.getNames()) {
            if (route.query().stream().noneMatch(o -> Route.queryName(o).equals(name))) {
                throw HttpError.badField(name, "'" + Ids.shown(name) + "' is not a query parameter of " + route
                        + (route.query().isEmpty() ? ", which takes none" : "; it takes " + String.join(", ",
                        route.query().stream().map(Route::queryName).toList())));
            }
            if (f.getValues(name).size() > 1) {
                throw HttpError.badField(name, "query parameter " + Ids.shown(name) + " is given more than once");
            }
        }
        return f;
    }

    private String body(Request request, Route route) throws IOException {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge(request);
        }
        if (!HttpMethods.hasBody(request.getMethod())) {
            return "";
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge(request);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpError(400, "malformed_json", "the body is not UTF-8", null);
        }
        if (route.request() == null && !text.isBlank()) {
            json.parse(text); // malformed JSON is named as such before the body is refused
            if (!text.strip().equals("{}")) {
                throw new HttpError(400, "unexpected_body", route + " takes no request body; send none, or {}", null);
            }
        }
        return text;
    }

    /**
     * The 413, after reading and dropping a body up to {@value #DRAIN_FACTOR} times the limit: a client
     * that is still sending when the connection closes may never read the answer. A larger body is
     * refused without reading it (the connection is closed).
     */
    private HttpError tooLarge(Request request) {
        long budget = maxBodyBytes * DRAIN_FACTOR;
        if (request.getLength() <= budget) {
            try (InputStream in = Content.Source.asInputStream(request)) {
                long skipped = 0;
                byte[] sink = new byte[64 * 1024];
                int n;
                while (skipped <= budget && (n = in.read(sink)) > 0) {
                    skipped += n;
                }
            } catch (IOException e) {
                LOG.debug("a body over the limit ended early: {}", e.toString());
            }
        }
        return tooLargeError();
    }

    private HttpError tooLargeError() {
        return new HttpError(413, "body_too_large", "the request body is over the limit of " + maxBodyBytes + " bytes", null);
    }

    private void error(Response response, Callback callback, HttpError e, String id) {
        if (response.isCommitted()) { // a stream that failed after it began: nothing more can be said
            callback.failed(e);
            return;
        }
        response.reset();
        response.setStatus(e.status());
        e.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        respond(response, callback, json.write(new ApiError(new ApiError.Detail(e.status(), e.code(), secrets.scrub(e.getMessage()),
                e.field(), id))));
    }

    /** Writes a JSON answer whole. */
    static void respond(Response response, Callback callback, String body) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        Content.Sink.write(response, true, body, callback);
    }

    /** Which methods carry a request body here. */
    private static final class HttpMethods {
        static boolean hasBody(String method) {
            return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        }
    }
}
