package dev.notebench.serve.internal;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one mapping between the API's records and JSON, both ways, and the JSON Schema of each
 * record: a record component {@code bestValLoss} is the field {@code best_val_loss}; a primitive
 * component is required, a boxed one, a string, a list or a record may be null. Reading is strict:
 * malformed JSON is refused with its position, an unknown field or a value of the wrong type with
 * the field's path ({@code hyperparameters.steps}), so a request never reaches a handler half
 * understood.
 *
 * <pre>{@code
 * Json json = new Json();
 * String body = json.write(new Health("ok"));             // {"status":"ok"}
 * Health h = json.read("{\"status\": 1}", Health.class);  // HttpError 400, field "status": "must be a string"
 * }</pre>
 */
public final class Json {
    private static final Pattern AT = Pattern.compile(" at line (\\d+) column (\\d+) path (\\S*)");
    private final Gson gson = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .serializeNulls().disableHtmlEscaping().create();

    /** Writes a value (a record, a list of them, a JSON tree) as JSON. */
    public String write(Object value) {
        return gson.toJson(value);
    }

    /**
     * Parses a request body strictly.
     *
     * @param body the body
     * @return its JSON tree
     * @throws HttpError 400 {@code malformed_json} naming the line and column
     */
    public JsonElement parse(String body) {
        JsonReader reader = new JsonReader(new StringReader(body));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement e = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new HttpError(400, "malformed_json", "the body is not one JSON value: more follows it at" + position(reader),
                        null);
            }
            return e;
        } catch (JsonParseException | IOException | IllegalStateException e) {
            Throwable t = e.getCause() instanceof IOException ? e.getCause() : e; // Gson wraps its MalformedJsonException
            throw new HttpError(400, "malformed_json", "the body is not valid JSON: " + why(t.getMessage()), null);
        }
    }

    /** Gson's reason in a user's words: what is wrong, at which line and column. */
    private static String why(String gsonMessage) {
        if (gsonMessage == null) {
            return "it ends too early";
        }
        String first = gsonMessage.lines().findFirst().orElse("");
        Matcher at = AT.matcher(first);
        if (!at.find()) {
            return first.contains("End of input") ? "it ends too early" : first;
        }
        String what = first.substring(0, at.start()).strip();
        if (what.startsWith("Use JsonReader") || what.isEmpty()) {
            what = "unexpected text";
        }
        return what + " at line " + at.group(1) + " column " + at.group(2) + " (path " + at.group(3) + ")";
    }

    private static String position(JsonReader reader) {
        String s = reader.toString(); // "JsonReader at line 1 column 5 path $"
        int at = s.indexOf(" at ");
        return at < 0 ? " the end" : s.substring(at + 3);
    }

    /**
     * Reads a request body as a record.
     *
     * @param body the body
     * @param type the record
     * @return the record
     * @throws HttpError 400 naming the field at fault
     */
    public <T extends Record> T read(String body, Class<T> type) {
        return type.cast(bind(parse(body), type, ""));
    }

    private Object bind(JsonElement e, Type type, String path) {
        Class<?> raw = raw(type);
        String field = path.isEmpty() ? null : path;
        if (raw.isRecord()) {
            if (!e.isJsonObject()) {
                throw HttpError.badField(field, (field == null ? "the body" : field) + " must be a JSON object");
            }
            RecordComponent[] cs = raw.getRecordComponents();
            Map<String, RecordComponent> byName = new LinkedHashMap<>();
            for (RecordComponent c : cs) {
                byName.put(name(c), c);
            }
            for (String k : e.getAsJsonObject().keySet()) {
                if (!byName.containsKey(k)) {
                    throw HttpError.badField(join(path, k), "'" + Ids.shown(k) + "' is not a field of " + raw.getSimpleName()
                            + "; its fields are " + String.join(", ", byName.keySet()));
                }
            }
            Object[] args = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                String n = name(cs[i]);
                JsonElement v = e.getAsJsonObject().get(n);
                types[i] = cs[i].getType();
                if (v == null || v.isJsonNull()) {
                    if (cs[i].getType().isPrimitive()) {
                        throw HttpError.badField(join(path, n), join(path, n) + " is required");
                    }
                    args[i] = null;
                } else {
                    args[i] = bind(v, cs[i].getGenericType(), join(path, n));
                }
            }
            try {
                Constructor<?> c = raw.getDeclaredConstructor(types);
                c.setAccessible(true);
                return c.newInstance(args);
            } catch (InvocationTargetException x) {
                if (x.getCause() instanceof IllegalArgumentException bad) {
                    throw HttpError.badField(field, bad.getMessage());
                }
                throw new IllegalStateException("cannot make a " + raw.getSimpleName(), x.getCause());
            } catch (ReflectiveOperationException x) {
                throw new IllegalStateException("cannot make a " + raw.getSimpleName(), x);
            }
        }
        if (raw == String.class) {
            if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString())) {
                throw HttpError.badField(field, field + " must be a string");
            }
            return e.getAsString();
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean())) {
                throw HttpError.badField(field, field + " must be true or false");
            }
            return e.getAsBoolean();
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            BigDecimal n = number(e, field);
            boolean isInt = raw == int.class || raw == Integer.class;
            try {
                long v = n.longValueExact();
                if (isInt && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                    throw new ArithmeticException();
                }
                return isInt ? (Object) (int) v : (Object) v;
            } catch (ArithmeticException x) {
                throw HttpError.badField(field, field + " must be a whole number" + (isInt ? " of at most " + Integer.MAX_VALUE : ""));
            }
        }
        if (raw == double.class || raw == Double.class) {
            return number(e, field).doubleValue();
        }
        if (raw == List.class) {
            if (!e.isJsonArray()) {
                throw HttpError.badField(field, field + " must be an array");
            }
            List<Object> out = new ArrayList<>();
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                JsonElement item = a.get(i);
                if (item.isJsonNull()) {
                    throw HttpError.badField(field + "[" + i + "]", field + "[" + i + "] must not be null");
                }
                out.add(bind(item, ((ParameterizedType) type).getActualTypeArguments()[0], field + "[" + i + "]"));
            }
            return List.copyOf(out);
        }
        if (raw == JsonObject.class) {
            if (!e.isJsonObject()) {
                throw HttpError.badField(field, field + " must be a JSON object");
            }
            return e.getAsJsonObject();
        }
        throw new IllegalStateException("no JSON binding for " + type);
    }

    private static BigDecimal number(JsonElement e, String field) {
        if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber())) {
            throw HttpError.badField(field, field + " must be a number");
        }
        return e.getAsBigDecimal();
    }

    /**
     * The JSON Schema of a type, adding each record it meets to {@code components} (by simple
     * name) and referring to it there.
     *
     * @param type a record, a list, a string, a number, a boolean or a JSON object
     * @param components the schemas of the records met so far
     * @return the schema
     */
    public JsonObject schema(Type type, Map<String, JsonObject> components) {
        return schema(type, components, false);
    }

    private JsonObject schema(Type type, Map<String, JsonObject> components, boolean nullable) {
        Class<?> raw = raw(type);
        JsonObject s = new JsonObject();
        if (raw.isRecord()) {
            String name = componentName(raw);
            if (!components.containsKey(name)) {
                components.put(name, new JsonObject()); // a placeholder, against cycles
                JsonObject o = new JsonObject();
                o.addProperty("type", "object");
                JsonObject props = new JsonObject();
                JsonArray required = new JsonArray();
                for (RecordComponent c : raw.getRecordComponents()) {
                    props.add(name(c), schema(c.getGenericType(), components, !c.getType().isPrimitive()));
                    if (c.getType().isPrimitive()) {
                        required.add(name(c));
                    }
                }
                o.add("properties", props);
                if (!required.isEmpty()) {
                    o.add("required", required);
                }
                o.addProperty("additionalProperties", false);
                components.put(name, o);
            }
            s.addProperty("$ref", "#/components/schemas/" + name);
            if (nullable) {
                JsonObject any = new JsonObject();
                JsonArray of = new JsonArray();
                of.add(s);
                of.add(typeOnly("null"));
                any.add("anyOf", of);
                return any;
            }
            return s;
        }
        String t;
        String format = null;
        if (raw == String.class) {
            t = "string";
        } else if (raw == boolean.class || raw == Boolean.class) {
            t = "boolean";
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            t = "integer";
            format = raw == int.class || raw == Integer.class ? "int32" : "int64";
        } else if (raw == double.class || raw == Double.class) {
            t = "number";
            format = "double";
        } else if (raw == List.class) {
            t = "array";
            s.add("items", schema(((ParameterizedType) type).getActualTypeArguments()[0], components, false));
        } else if (raw == JsonObject.class) {
            t = "object";
        } else {
            throw new IllegalStateException("no JSON schema for " + type);
        }
        JsonObject out = new JsonObject(); // "type" first, as people read a schema
        if (nullable) {
            JsonArray both = new JsonArray();
            both.add(t);
            both.add("null");
            out.add("type", both);
        } else {
            out.addProperty("type", t);
        }
        if (format != null) {
            out.addProperty("format", format);
        }
        s.entrySet().forEach(e -> out.add(e.getKey(), e.getValue()));
        return out;
    }

    private static JsonObject typeOnly(String t) {
        JsonObject o = new JsonObject();
        o.add("type", new JsonPrimitive(t));
        return o;
    }

    /** A record's name in {@code #/components/schemas}: its simple name, nested ones with their outer's ({@code ApiError.Detail} is {@code ApiErrorDetail}). */
    static String componentName(Class<?> record) {
        return record.getEnclosingClass() != null ? componentName(record.getEnclosingClass()) + record.getSimpleName()
                : record.getSimpleName();
    }

    /** A component's JSON name, as Gson writes it. */
    static String name(RecordComponent c) {
        try {
            return FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES.translateName(c.getDeclaringRecord().getDeclaredField(c.getName()));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("no JSON binding for " + t);
    }

    /** Sorted copy, so that the document reads the same every time. */
    static Map<String, JsonObject> sorted(Map<String, JsonObject> m) {
        return new TreeMap<>(m);
    }
}
