package dev.notebench.enrich;

import java.util.List;
import java.util.Objects;

/**
 * One call's worth of work for an {@link Annotator}: the rows, what to return for each, the
 * user's instructions and labelled examples.
 *
 * @param items the rows, each with the id its answer must carry
 * @param schema what to return for every row
 * @param instructions the user's instructions (a magic's cell body); may be empty
 * @param examples labelled examples; may be empty
 */
public record AnnotationRequest(List<Item> items, OutputSchema schema, String instructions, List<Example> examples) {
    /** Checks the request. */
    public AnnotationRequest {
        items = List.copyOf(items);
        Objects.requireNonNull(schema, "schema");
        instructions = instructions == null ? "" : instructions;
        examples = List.copyOf(examples);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one row");
        }
    }
}
