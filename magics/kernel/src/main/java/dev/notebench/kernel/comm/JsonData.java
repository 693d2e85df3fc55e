package dev.notebench.kernel.comm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Comm data between Gson's tree (basekernel's messages) and the JSON-ready Java values widgets
 * use: maps, lists, strings, booleans, null, and numbers as {@code Long} (whole) or {@code Double}.
 */
final class JsonData {
    private JsonData() {
    }

    /** The JSON-ready Java value of a Gson element. */
    static Object toJava(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                out.put(m.getKey(), toJava(m.getValue()));
            }
            return out;
        }
        if (e.isJsonArray()) {
            List<Object> out = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> out.add(toJava(x)));
            return out;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            BigDecimal d = p.getAsBigDecimal();
            try {
                return d.longValueExact();
            } catch (ArithmeticException notWhole) {
                return d.doubleValue();
            }
        }
        return p.getAsString();
    }

    /** A JSON object's entries as a map; an absent or non-object element is an empty map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonElement e) {
        return e != null && e.isJsonObject() ? (Map<String, Object>) toJava(e) : new LinkedHashMap<>();
    }

    /** The Gson element of a JSON-ready Java value. */
    static JsonElement toJson(Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof Map<?, ?> m) {
            JsonObject o = new JsonObject();
            m.forEach((k, x) -> o.add(String.valueOf(k), toJson(x)));
            return o;
        }
        if (v instanceof List<?> l) {
            JsonArray a = new JsonArray();
            l.forEach(x -> a.add(toJson(x)));
            return a;
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (v instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (v instanceof String s) {
            return new JsonPrimitive(s);
        }
        throw new IllegalArgumentException("a " + v.getClass().getName() + " cannot be sent to the front end as JSON: " + v);
    }

    static JsonObject toJsonObject(Map<String, Object> m) {
        return (JsonObject) toJson(m);
    }
}
