package dev.notebench.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.regex.Pattern;

/** What a model API said when it refused a request, shortened for one-line error messages. */
public final class ApiErrors {
    /**
     * How servers say a request does not fit the model's context: llama.cpp ("request (611 tokens)
     * exceeds the available context size (256 tokens)", older: "the request exceeds the available
     * context size"), OpenAI and vLLM ("This model's maximum context length is 4096 tokens..."),
     * OpenAI's code {@code context_length_exceeded}, llama.cpp's type {@code exceed_context_size_error},
     * Hugging Face TGI ("`inputs` tokens + `max_new_tokens` must be <= 4096"), and "prompt is too long".
     */
    private static final Pattern CONTEXT_OVERFLOW = Pattern.compile("(?i)exceeds? the available context size"
            + "|maximum context length is \\d+|context_length_exceeded|exceed_context_size_error"
            + "|tokens \\+ `?max_new_tokens`? must be <=|prompt is too long|context (?:length|window) (?:exceeded|overflow)");

    private ApiErrors() {
    }

    /**
     * Whether a refused request's answer says the request does not fit the model's context
     * (see the wordings above), in its message, its {@code code} or its {@code type}.
     *
     * @param status the HTTP status
     * @param body the answer's body
     */
    public static boolean isContextOverflow(int status, String body) {
        return status >= 400 && status != 401 && status != 403 && status != 404 && status != 429 && body != null
                && CONTEXT_OVERFLOW.matcher(body).find();
    }

    /**
     * The server's message: {@code error.message} of an OpenAI-style error body, a bare
     * {@code error} string, a top-level {@code message} (vLLM), or else the body itself, shortened.
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
            JsonElement m = o.get("message");
            if (m != null && m.isJsonPrimitive()) {
                return m.getAsString(); // vLLM: {"object": "error", "message": ...}
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
