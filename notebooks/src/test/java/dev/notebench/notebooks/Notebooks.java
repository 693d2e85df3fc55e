package dev.notebench.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading .ipynb files (nbformat 4) in tests, and writing small ones for a test to open. */
final class Notebooks {
    private Notebooks() {
    }

    /**
     * Writes a notebook of code cells that have not run, for a kernel.
     *
     * @param ipynb where (its folder is made)
     * @param kernel the kernelspec's name, e.g. "notebench" or "python3"
     * @param displayName what JupyterLab calls the kernel, e.g. "Java (Notebench)"
     * @param language the kernel's language
     * @param sources the code cells' sources, in order
     */
    static void writeCodeCells(Path ipynb, String kernel, String displayName, String language, List<String> sources)
            throws IOException {
        JsonArray cells = new JsonArray();
        for (String source : sources) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", "code");
            cell.add("metadata", new JsonObject());
            cell.addProperty("source", source.strip());
            cell.add("outputs", new JsonArray());
            cell.add("execution_count", JsonNull.INSTANCE);
            cells.add(cell);
        }
        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("name", kernel);
        kernelspec.addProperty("display_name", displayName);
        kernelspec.addProperty("language", language);
        JsonObject metadata = new JsonObject();
        metadata.add("kernelspec", kernelspec);
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        nb.add("metadata", metadata);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        Files.createDirectories(ipynb.getParent());
        Files.writeString(ipynb, nb.toString(), StandardCharsets.UTF_8);
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
