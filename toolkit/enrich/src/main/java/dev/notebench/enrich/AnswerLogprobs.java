package dev.notebench.enrich;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * A model's confidence in each answered row from the token log-probabilities of its answer
 * ({@code choices[0].logprobs.content[*]}: {@code token} and {@code logprob}, as OpenAI's chat
 * completions return them with {@code logprobs: true}). The tokens are laid end to end over the
 * answer's text; each row's values are found in it (every field's {@code "name": value}, searched
 * from where the previous row ended, rows in the order the answer gave them); the row's confidence
 * is {@code exp} of the sum of the log-probabilities of the tokens that overlap its values: the
 * probability the model gave to writing those values, where it had the choice. A row whose values
 * cannot be found, or an answer whose tokens do not spell its text, gets no confidence.
 */
final class AnswerLogprobs {
    private AnswerLogprobs() {
    }

    /**
     * Sets {@link Answer#CONFIDENCE} on the rows whose values the tokens cover.
     *
     * @param text the answer's content
     * @param tokens the {@code logprobs.content} array
     * @param rows the rows parsed from {@code text}, in the answer's order (modified)
     * @param schema the fields looked for in each row
     */
    static void attach(String text, JsonArray tokens, List<JsonObject> rows, OutputSchema schema) {
        int n = tokens.size();
        int[] start = new int[n];
        double[] logprob = new double[n];
        StringBuilder spelled = new StringBuilder(text.length());
        for (int i = 0; i < n; i++) {
            JsonElement e = tokens.get(i);
            if (!e.isJsonObject() || !e.getAsJsonObject().has("token") || !e.getAsJsonObject().has("logprob")
                    || !e.getAsJsonObject().get("logprob").isJsonPrimitive()) {
                return;
            }
            start[i] = spelled.length();
            spelled.append(e.getAsJsonObject().get("token").getAsString());
            logprob[i] = e.getAsJsonObject().get("logprob").getAsDouble();
        }
        if (!spelled.toString().equals(text)) {
            return;
        }
        int cursor = 0;
        for (JsonObject row : rows) {
            double sum = 0;
            int end = cursor;
            boolean found = true;
            for (Field f : schema.fields()) {
                int[] span = valueSpan(text, f.name(), cursor);
                if (span == null) {
                    found = false;
                    break;
                }
                for (int i = 0; i < n; i++) {
                    int tokenEnd = i + 1 < n ? start[i + 1] : text.length();
                    if (start[i] < span[1] && tokenEnd > span[0]) {
                        sum += logprob[i];
                    }
                }
                end = Math.max(end, span[1]);
            }
            if (!found) {
                return;
            }
            row.addProperty(Answer.CONFIDENCE, Math.exp(sum));
            cursor = end;
        }
    }

    /** Where the value of {@code "name":} after {@code from} is: a string without its quotes, or a literal. */
    private static int[] valueSpan(String text, String name, int from) {
        String key = "\"" + name + "\"";
        int at = text.indexOf(key, from);
        while (at >= 0) {
            int i = skipSpace(text, at + key.length());
            if (i < text.length() && text.charAt(i) == ':') {
                i = skipSpace(text, i + 1);
                if (i >= text.length()) {
                    return null;
                }
                if (text.charAt(i) == '"') {
                    int j = i + 1;
                    while (j < text.length() && text.charAt(j) != '"') {
                        j += text.charAt(j) == '\\' ? 2 : 1;
                    }
                    return j < text.length() ? new int[] {i + 1, j} : null;
                }
                int j = i;
                while (j < text.length() && ",}] \n\r\t".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                return j > i ? new int[] {i, j} : null;
            }
            at = text.indexOf(key, at + 1);
        }
        return null;
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
