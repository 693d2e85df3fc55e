package dev.notebench.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** What a model API said when it refused a request, shortened for one-line error messages. */
public final class ApiErrors {
    private ApiErrors() {
    }

    /**
     * The server's message: {@code error.message} of an OpenAI-style error body, a bare
     * {@code error} string, or else the body itself, shortened.
     *
     * @param body the answer's body
     */
    public static String message(String body) {
        try {
            JsonObject o = JsonParser.parseString(body).getAsJsonObject();
            JsonElement e = o.get("error");
            if (e != null && e.isJsonObject() && e.getAsJsonObject().has("message")) {
                return e.getAsJsonObject().get("message").getAsString();
            }
            if (e != null && e.isJsonPrimitive()) {
                return e.getAsString();
            }
        } catch (RuntimeException notJson) {
            // the body itself
        }
        return abbreviate(body, 200);
    }

    /**
     * A text on one line (runs of white space as one space), cut to {@code max} characters with an ellipsis.
     *
     * @param s the text
     * @param max the most characters kept
     */
    public static String abbreviate(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > max ? one.substring(0, max) + "…" : one;
    }
}
