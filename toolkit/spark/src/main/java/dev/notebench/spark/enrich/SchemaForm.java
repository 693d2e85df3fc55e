package dev.notebench.spark.enrich;

import dev.notebench.enrich.Example;
import dev.notebench.enrich.Field;
import dev.notebench.enrich.OutputSchema;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link OutputSchema} and the job's examples in a form that Java serialization carries to the
 * executors, where they are rebuilt exactly (same kind, fields, labels and examples, so the same
 * prompts as the local {@code Enricher} writes).
 */
record SchemaForm(OutputSchema.Kind kind, List<FieldForm> fields, List<String> labels, List<ExampleForm> examples)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One field. */
    record FieldForm(String name, Field.Type type, List<String> values, String description) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** One labelled example. */
    record ExampleForm(String text, List<String> labels) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    static SchemaForm of(OutputSchema schema, List<Example> examples) {
        List<FieldForm> fields = new ArrayList<>();
        for (Field f : schema.fields()) {
            fields.add(new FieldForm(f.name(), f.type(), new ArrayList<>(f.values()), f.description()));
        }
        List<ExampleForm> e = new ArrayList<>();
        for (Example x : examples) {
            e.add(new ExampleForm(x.text(), new ArrayList<>(x.labels())));
        }
        return new SchemaForm(schema.kind(), fields, new ArrayList<>(schema.labels()), e);
    }

    OutputSchema schema() {
        return switch (kind) {
            case MULTI_LABEL -> OutputSchema.multiLabel(labels);
            case SINGLE_LABEL -> OutputSchema.singleLabel(fields.get(0).name(), labels);
            case FIELDS -> OutputSchema.fields(fields.stream().map(f -> new Field(f.name(), f.type(), f.values(), f.description())).toList());
        };
    }

    List<Example> exampleList() {
        return examples.stream().map(x -> new Example(x.text(), x.labels())).toList();
    }
}
