package dev.notebench.serve.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.notebench.options.Option;
import dev.notebench.serve.api.ApiError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3.1 document of a route table, built from the routes' declarations and the records'
 * {@link Json#schema schemas}: what {@code GET /openapi.json} answers.
 */
public final class OpenApi {
    private OpenApi() {
    }

    /**
     * Builds the document.
     *
     * @param routes the routes
     * @param json the JSON mapping whose schemas describe the bodies
     * @param version the server's version
     * @param secured whether every route but {@code /healthz} needs the bearer token
     * @return the document
     */
    public static JsonObject document(List<Route> routes, Json json, String version, boolean secured) {
        Map<String, JsonObject> components = new LinkedHashMap<>();
        JsonObject errorRef = json.schema(ApiError.class, components);
        JsonObject paths = new JsonObject();
        for (Route r : routes) {
            JsonObject item = paths.has(r.path()) ? paths.getAsJsonObject(r.path()) : new JsonObject();
            JsonObject op = new JsonObject();
            op.addProperty("operationId", operationId(r));
            op.addProperty("summary", r.summary());
            JsonArray params = new JsonArray();
            for (String p : r.parameters()) {
                JsonObject o = new JsonObject();
                o.addProperty("name", p);
                o.addProperty("in", "path");
                o.addProperty("required", true);
                JsonObject s = new JsonObject();
                s.addProperty("type", "string");
                s.addProperty("pattern", "^" + Ids.ID.pattern() + "$");
                o.add("schema", s);
                params.add(o);
            }
            for (Option<?> q : r.query()) {
                params.add(queryParameter(q));
            }
            if (!params.isEmpty()) {
                op.add("parameters", params);
            }
            if (r.request() != null) {
                JsonObject body = new JsonObject();
                body.add("content", content("application/json", json.schema(r.request(), components)));
                op.add("requestBody", body);
            }
            JsonObject responses = new JsonObject();
            JsonObject ok = new JsonObject();
            if (Route.EVENT_STREAM.equals(r.produces())) {
                ok.addProperty("description", "a server-sent event stream: " + r.events());
                JsonObject s = new JsonObject();
                s.addProperty("type", "string");
                ok.add("content", content(Route.EVENT_STREAM, s));
            } else {
                ok.addProperty("description", r.summary());
                ok.add("content", content("application/json", json.schema(r.response(), components)));
            }
            responses.add(String.valueOf(r.status()), ok);
            JsonObject err = new JsonObject();
            err.addProperty("description", "the request is refused (400 a bad field, id or body; 401 no or a wrong token; 404;"
                    + " 405; 409; 413 a body over the limit), with what to fix");
            err.add("content", content("application/json", errorRef));
            responses.add("4XX", err);
            JsonObject fail = new JsonObject();
            fail.addProperty("description", "an unexpected failure; the server's log has it under the answer's error id");
            fail.add("content", content("application/json", errorRef));
            responses.add("5XX", fail);
            op.add("responses", responses);
            if (secured && r.path().equals("/healthz")) {
                op.add("security", new JsonArray());
            }
            item.add(r.method().toLowerCase(Locale.ROOT), op);
            paths.add(r.path(), item);
        }
        JsonObject doc = new JsonObject();
        doc.addProperty("openapi", "3.1.0");
        JsonObject info = new JsonObject();
        info.addProperty("title", "Notebench");
        info.addProperty("version", version);
        info.addProperty("description", "Runs, their live metrics and logs, over HTTP (notebench serve).");
        doc.add("info", info);
        doc.add("paths", paths);
        JsonObject comps = new JsonObject();
        JsonObject schemas = new JsonObject();
        Json.sorted(components).forEach(schemas::add);
        comps.add("schemas", schemas);
        if (secured) {
            JsonObject bearer = new JsonObject();
            bearer.addProperty("type", "http");
            bearer.addProperty("scheme", "bearer");
            JsonObject schemes = new JsonObject();
            schemes.add("bearer", bearer);
            comps.add("securitySchemes", schemes);
            JsonArray security = new JsonArray();
            JsonObject req = new JsonObject();
            req.add("bearer", new JsonArray());
            security.add(req);
            doc.add("security", security);
        }
        doc.add("components", comps);
        return doc;
    }

    private static JsonObject queryParameter(Option<?> q) {
        JsonObject o = new JsonObject();
        o.addProperty("name", Route.queryName(q));
        o.addProperty("in", "query");
        o.addProperty("required", false);
        o.addProperty("description", q.describe());
        JsonObject s = new JsonObject();
        Class<?> t = q.type().javaType();
        if (t == Integer.class || t == Long.class) {
            s.addProperty("type", "integer");
        } else if (t == Double.class) {
            s.addProperty("type", "number");
        } else if (t == Boolean.class) {
            s.addProperty("type", "boolean");
        } else {
            s.addProperty("type", "string");
        }
        q.type().range().ifPresent(range -> {
            if (Double.isFinite(range.min()) && range.min() > Long.MIN_VALUE) {
                s.addProperty(range.minIncluded() ? "minimum" : "exclusiveMinimum", number(range.min(), t));
            }
            if (Double.isFinite(range.max()) && range.max() < Integer.MAX_VALUE) {
                s.addProperty(range.maxIncluded() ? "maximum" : "exclusiveMaximum", number(range.max(), t));
            }
        });
        if (!q.type().choices().isEmpty()) {
            JsonArray e = new JsonArray();
            q.type().choices().forEach(e::add);
            s.add("enum", e);
        }
        if (q.defaultValue() != null) {
            Object d = q.defaultValue();
            if (d instanceof Number n) {
                s.addProperty("default", n);
            } else {
                s.addProperty("default", d.toString());
            }
        }
        o.add("schema", s);
        return o;
    }

    private static Number number(double v, Class<?> t) {
        return t == Double.class ? (Number) v : (Number) (long) v;
    }

    private static JsonObject content(String mediaType, JsonObject schema) {
        JsonObject media = new JsonObject();
        media.add("schema", schema);
        JsonObject c = new JsonObject();
        c.add(mediaType, media);
        return c;
    }

    /** e.g. {@code getRunsIdMetricsStream}. */
    private static String operationId(Route r) {
        StringBuilder b = new StringBuilder(r.method().toLowerCase(Locale.ROOT));
        for (String seg : r.path().split("[/.]")) {
            String w = seg.replace("{", "").replace("}", "");
            if (!w.isEmpty()) {
                b.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            }
        }
        return b.toString();
    }
}
