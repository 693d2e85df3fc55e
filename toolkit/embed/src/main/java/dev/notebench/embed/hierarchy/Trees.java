package dev.notebench.embed.hierarchy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads class trees. */
public final class Trees {
    private Trees() {
    }

    /**
     * Reads a JSON tree: a node object ({@code id}, {@code name}, {@code children}), or an object
     * with such a node under {@code "tree"} (as {@code datasets/wordnet/imagenet-subtree.json}).
     * A node without an id gets its name as id.
     *
     * @param file the JSON file
     * @return the root
     * @throws NotebenchException naming the file and what is wrong
     */
    public static Node readJson(Path file) {
        String text = TextFiles.readUtf8(file, "the tree");
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            return node(o.has("tree") ? o.getAsJsonObject("tree") : o, "$");
        } catch (JsonParseException | IllegalStateException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not a JSON tree: " + e.getMessage()
                    + "; give an object with name and children (a list of such objects), or one under \"tree\"", e);
        }
    }

    /**
     * Reads a tree from JSON ({@code .json}) or YAML ({@code .yaml}, {@code .yml}): the same shape,
     * a node mapping ({@code name}, optional {@code id}, {@code children}) or one under
     * {@code tree}; a YAML file may also be a list whose one item is the root, as
     * {@link Arranger.Arranged#yaml} writes it.
     *
     * @param file the tree file
     * @return the root
     */
    public static Node read(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") ? readYaml(file) : readJson(file);
    }

    /**
     * Reads a YAML tree.
     *
     * @param file the YAML file
     * @return the root
     * @throws NotebenchException naming the file and what is wrong
     */
    public static Node readYaml(Path file) {
        String text = TextFiles.readUtf8(file, "the tree");
        Object doc;
        try {
            doc = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                    new org.yaml.snakeyaml.LoaderOptions())).load(text);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not valid YAML: "
                    + e.getMessage().replace('\n', ' '), e);
        }
        try {
            // the same shape as JSON: convert and reuse one reader
            JsonElement json = new com.google.gson.Gson().toJsonTree(doc);
            if (json.isJsonArray() && json.getAsJsonArray().size() == 1) {
                json = json.getAsJsonArray().get(0);
            }
            JsonObject o = json.getAsJsonObject();
            return node(o.has("tree") ? o.getAsJsonObject("tree") : o, "$");
        } catch (IllegalStateException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not a YAML tree: " + e.getMessage()
                    + "; give a mapping with name and children (a list of such mappings), or one under \"tree\"", e);
        }
    }

    private static Node node(JsonObject o, String path) {
        JsonElement name = o.get("name");
        if (name == null || !name.isJsonPrimitive() || name.getAsString().isBlank()) {
            throw new IllegalStateException("the node at " + path + " has no name");
        }
        List<Node> children = new ArrayList<>();
        if (o.has("children")) {
            int i = 0;
            for (JsonElement c : o.getAsJsonArray("children")) {
                children.add(node(c.getAsJsonObject(), path + ".children[" + i++ + "]"));
            }
        }
        String id = o.has("id") && o.get("id").isJsonPrimitive() ? o.get("id").getAsString() : name.getAsString();
        return new Node(id, name.getAsString(), children);
    }
}
