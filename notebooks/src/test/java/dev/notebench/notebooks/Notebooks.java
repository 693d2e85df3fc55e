package dev.notebench.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading .ipynb files (nbformat 4) in tests. */
final class Notebooks {
    private Notebooks() {
    }

    static JsonObject read(Path ipynb) throws IOException {
        return JsonParser.parseString(Files.readString(ipynb, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    static List<JsonObject> codeCells(JsonObject nb) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            if ("code".equals(c.getAsJsonObject().get("cell_type").getAsString())) {
                out.add(c.getAsJsonObject());
            }
        }
        return out;
    }

    static String source(JsonObject cell) {
        return text(cell.get("source"));
    }

    static List<JsonObject> outputs(JsonObject cell) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray outputs = cell.getAsJsonArray("outputs");
        if (outputs != null) {
            outputs.forEach(o -> out.add(o.getAsJsonObject()));
        }
        return out;
    }

    /** The text of a field that nbformat stores as a string or a list of lines. */
    static String text(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "";
        }
        if (e.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            e.getAsJsonArray().forEach(x -> sb.append(x.getAsString()));
            return sb.toString();
        }
        return e.getAsString();
    }

    /** The given MIME type of an output's data, or "". */
    static String data(JsonObject output, String mime) {
        JsonObject data = output.getAsJsonObject("data");
        return data == null ? "" : text(data.get(mime));
    }

    /** Everything a cell printed or showed as text/plain, in order. */
    static String plainText(JsonObject cell) {
        StringBuilder sb = new StringBuilder();
        for (JsonObject o : outputs(cell)) {
            String type = o.get("output_type").getAsString();
            if (type.equals("stream")) {
                sb.append(text(o.get("text")));
            } else if (type.equals("display_data") || type.equals("execute_result")) {
                sb.append(data(o, "text/plain")).append('\n');
            }
        }
        return sb.toString();
    }
}
