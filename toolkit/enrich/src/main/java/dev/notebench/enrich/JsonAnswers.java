package dev.notebench.enrich;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import dev.notebench.secrets.Secrets;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the answered rows in a model's text, tolerantly: JSON inside Markdown fences or after
 * prose, rows keyed by id ({@code {"0": {...}, "1": {...}}}, what a {@code json_schema} request
 * asks for; a row's id is its key, and a key given twice is a row answered twice),
 * {@code {"rows": [...]}}, a bare array, a single row object, or an object whose only list holds
 * the rows; and from an answer cut off in the middle, every row object that is complete.
 */
final class JsonAnswers {
    /** What was found: the row objects and whether the text was cut off. */
    record Rows(List<JsonObject> rows, boolean truncated) {
    }

    private JsonAnswers() {
    }

    static Rows extract(String content) {
        int start = firstJson(content);
        if (start < 0) {
            throw new AnswerFormatException("the answer holds no JSON: " + abbreviate(content));
        }
        String json = content.substring(start);
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.LENIENT);
            JsonElement root = JsonParser.parseReader(reader);
            return new Rows(rowsOf(root, json, content), false);
        } catch (JsonParseException | IllegalStateException e) {
            List<JsonObject> salvaged = salvage(json);
            if (salvaged.isEmpty()) {
                throw new AnswerFormatException("the answer is not valid JSON (" + e.getMessage() + "): " + abbreviate(content));
            }
            return new Rows(salvaged, true);
        }
    }

    private static List<JsonObject> rowsOf(JsonElement root, String json, String content) {
        if (root.isJsonArray()) {
            return objects(root.getAsJsonArray(), content);
        }
        if (root.isJsonObject()) {
            JsonObject o = root.getAsJsonObject();
            if (o.has("rows") && o.get("rows").isJsonArray()) {
                return objects(o.getAsJsonArray("rows"), content);
            }
            if (o.has("id")) {
                return List.of(o);
            }
            if (isKeyed(o)) {
                return keyed(json);
            }
            JsonArray only = null;
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                if (e.getValue().isJsonArray()) {
                    if (only != null) {
                        only = null;
                        break;
                    }
                    only = e.getValue().getAsJsonArray();
                }
            }
            if (only != null) {
                return objects(only, content);
            }
        }
        throw new AnswerFormatException("the answer's JSON has no list of rows: " + abbreviate(content));
    }

    /** Whether an object holds rows keyed by id: at least one property, each named by a row id and holding an object. */
    private static boolean isKeyed(JsonObject o) {
        if (o.size() == 0) {
            return false;
        }
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (rowId(e.getKey()) == null || !e.getValue().isJsonObject()) {
                return false;
            }
        }
        return true;
    }

    /** A property name that is a row id, or null. */
    private static Integer rowId(String key) {
        String k = key.strip();
        if (k.isEmpty() || k.length() > 9 || !k.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.valueOf(k);
    }

    /** A keyed answer's rows in the order given, each with its key as "id"; a key given twice gives two rows (a parsed object keeps one). */
    private static List<JsonObject> keyed(String json) {
        List<JsonObject> rows = new ArrayList<>();
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.LENIENT);
            reader.beginObject();
            while (reader.hasNext()) {
                Integer id = rowId(reader.nextName());
                JsonElement value = JsonParser.parseReader(reader);
                if (id != null && value.isJsonObject()) {
                    rows.add(withId(value.getAsJsonObject(), id));
                }
            }
        } catch (java.io.IOException e) {
            throw new JsonParseException(e); // a string holds the whole text: checked by the parse before
        }
        return rows;
    }

    private static JsonObject withId(JsonObject row, int id) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        row.entrySet().forEach(e -> {
            if (!e.getKey().equals("id")) {
                o.add(e.getKey(), e.getValue());
            }
        });
        return o;
    }

    private static List<JsonObject> objects(JsonArray array, String content) {
        List<JsonObject> rows = new ArrayList<>();
        for (JsonElement e : array) {
            if (e.isJsonObject()) {
                rows.add(e.getAsJsonObject());
            }
        }
        return rows;
    }

    /**
     * The complete row objects in a text cut off before its end: those that hold an "id", at any
     * depth, and those directly under a key that is a row id (a keyed answer), which get it as "id".
     */
    private static List<JsonObject> salvage(String json) {
        List<JsonObject> rows = new ArrayList<>();
        List<Integer> opens = new ArrayList<>();
        List<String> keys = new ArrayList<>(); // the property name each open object is the value of, or null
        String lastString = null;
        String pendingKey = null;
        int stringStart = -1;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    lastString = json.substring(stringStart + 1, i);
                }
            } else if (c == '"') {
                inString = true;
                stringStart = i;
            } else if (c == ':') {
                pendingKey = lastString;
            } else if (c == ',' || c == '[') {
                pendingKey = null;
            } else if (c == '{') {
                opens.add(i);
                keys.add(pendingKey);
                pendingKey = null;
            } else if (c == '}' && !opens.isEmpty()) {
                int from = opens.remove(opens.size() - 1);
                String key = keys.remove(keys.size() - 1);
                try {
                    JsonElement e = JsonParser.parseString(json.substring(from, i + 1));
                    Integer id = key == null || opens.size() != 1 ? null : rowId(key);
                    if (e.isJsonObject() && id != null) {
                        rows.add(withId(e.getAsJsonObject(), id));
                    } else if (e.isJsonObject() && e.getAsJsonObject().has("id")) {
                        rows.add(e.getAsJsonObject());
                    }
                } catch (JsonParseException notAnObject) {
                    // skip
                }
            }
        }
        return rows;
    }

    /** Where the first JSON object or array starts, past any {@value Secrets#REDACTED} put where a server echoed a secret. */
    private static int firstJson(String content) {
        int from = 0;
        while (true) {
            int object = content.indexOf('{', from);
            int array = content.indexOf('[', from);
            int at = object < 0 ? array : array < 0 ? object : Math.min(object, array);
            if (at < 0 || !content.startsWith(Secrets.REDACTED, at)) {
                return at;
            }
            from = at + Secrets.REDACTED.length();
        }
    }

    static String abbreviate(String s) {
        return dev.notebench.http.ApiErrors.abbreviate(s, 160);
    }
}
