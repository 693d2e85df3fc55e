package dev.notebench.enrich;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;

/**
 * A fake of what a grammar-constrained decoder (llama.cpp's server, vLLM's guided decoding,
 * OpenAI's strict structured outputs) answers with a weak model: the SMALLEST document the
 * request's JSON schema allows. Objects get only their required properties; arrays are empty;
 * an enum gives its first value; a string is {@code ""}; a number or integer is its
 * {@code minimum}, or 0; a boolean is false; nested schemas likewise. Such a decoder enforces
 * required properties but nothing makes it write an array's items, which is why an answer asked
 * as {@code {"rows": [...]}} comes back {@code {"rows": []}}.
 */
final class SmallestDocumentFake {
    private SmallestDocumentFake() {
    }

    /**
     * The smallest document {@code schema} allows.
     *
     * @param schema a JSON schema of the subset structured outputs use (type, properties, required, items, enum, minimum)
     */
    static JsonElement smallest(JsonObject schema) {
        if (schema.has("enum")) {
            return schema.getAsJsonArray("enum").get(0);
        }
        String type = schema.has("type") ? schema.get("type").getAsString() : "object";
        switch (type) {
            case "object" -> {
                JsonObject o = new JsonObject();
                if (schema.has("required")) {
                    JsonObject properties = schema.has("properties") ? schema.getAsJsonObject("properties") : new JsonObject();
                    for (JsonElement name : schema.getAsJsonArray("required")) {
                        JsonElement p = properties.get(name.getAsString());
                        o.add(name.getAsString(), p == null ? new JsonObject() : smallest(p.getAsJsonObject()));
                    }
                }
                return o;
            }
            case "array" -> {
                return new JsonArray();
            }
            case "string" -> {
                return new JsonPrimitive("");
            }
            case "number", "integer" -> {
                return schema.has("minimum") ? schema.get("minimum") : new JsonPrimitive(0);
            }
            case "boolean" -> {
                return new JsonPrimitive(false);
            }
            default -> throw new IllegalArgumentException("the fake knows no type '" + type + "' in " + schema);
        }
    }

    /** The schema of a request's {@code response_format: {type: json_schema}}, or null when it asks for none. */
    static JsonObject requestedSchema(JsonObject body) {
        if (!body.has("response_format")) {
            return null;
        }
        JsonObject rf = body.getAsJsonObject("response_format");
        if (!rf.get("type").getAsString().equals("json_schema")) {
            return null;
        }
        return rf.getAsJsonObject("json_schema").getAsJsonObject("schema");
    }

    /** Whether a requested schema asks for rows keyed by id (no "rows" property; every property a number). */
    static boolean isKeyed(JsonObject schema) {
        JsonObject properties = schema.getAsJsonObject("properties");
        for (Map.Entry<String, JsonElement> e : properties.entrySet()) {
            if (!e.getKey().chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return properties.size() > 0;
    }
}
