package dev.notebench.enrich;

import com.google.gson.JsonObject;
import java.util.List;

/** The prompt texts of the chat annotator: the task in the system message, the rows in the user message. */
final class Prompts {
    private Prompts() {
    }

    static String system(AnnotationRequest request, OpenAiChatAnnotator.Format format) {
        OutputSchema schema = request.schema();
        StringBuilder s = new StringBuilder();
        if (!request.instructions().isBlank()) {
            s.append(request.instructions().strip()).append("\n\n");
        }
        s.append("You annotate rows of a table. Each input line is a JSON object with a row's \"id\" and its \"text\".\n");
        switch (schema.kind()) {
            case MULTI_LABEL -> s.append("For every row decide, for each label, whether it applies (any number may): ")
                    .append(String.join(", ", schema.labels())).append(".\n");
            case SINGLE_LABEL -> s.append("For every row choose the one label that fits best: ")
                    .append(String.join(", ", schema.labels())).append(".\n");
            case FIELDS -> s.append("For every row fill in these fields.\n");
        }
        boolean keyed = format == OpenAiChatAnnotator.Format.JSON_SCHEMA;
        s.append(keyed ? "Answer with one object keyed by the rows' ids; under each id, an object holding these fields:\n"
                : "Answer with one object per row holding its \"id\" and these fields:\n");
        for (Field f : schema.fields()) {
            s.append("- \"").append(f.name()).append("\" (").append(f.type().jsonType());
            if (f.type() == Field.Type.ENUM) {
                s.append(", one of ").append(String.join(" | ", f.values()));
            }
            s.append(")");
            if (!f.description().isEmpty()) {
                s.append(": ").append(f.description());
            }
            s.append('\n');
        }
        if (!request.examples().isEmpty()) {
            s.append("Labelled examples:\n");
            for (Example e : request.examples()) {
                JsonObject o = new JsonObject();
                o.addProperty("text", e.text());
                s.append(o).append(" -> ").append(String.join(", ", e.labels())).append('\n');
            }
        }
        if (keyed) {
            s.append("Return every input row's id once, nothing else. Reply with JSON: {");
            List<Item> items = request.items();
            for (int i = 0; i < Math.min(2, items.size()); i++) {
                s.append(i == 0 ? "" : ", ").append('"').append(items.get(i).id()).append("\": {...}");
            }
            s.append(items.size() > 2 ? ", ...}" : "}");
        } else {
            s.append("Return exactly one object for every input row, each id once, nothing else.");
            if (format == OpenAiChatAnnotator.Format.TEXT) {
                s.append(" Reply with JSON only, no prose and no Markdown, in this form: {\"rows\": [{\"id\": 0, ...}, ...]}");
            } else {
                s.append(" Reply with JSON: {\"rows\": [...]}");
            }
        }
        return s.toString();
    }

    static String rows(List<Item> items) {
        StringBuilder s = new StringBuilder();
        for (Item item : items) {
            JsonObject o = new JsonObject();
            o.addProperty("id", item.id());
            o.addProperty("text", item.text());
            s.append(o).append('\n');
        }
        return s.toString();
    }
}
