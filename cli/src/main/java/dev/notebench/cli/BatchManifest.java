package dev.notebench.cli;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.associations.AssociationJob;
import dev.notebench.embed.local.EmbedOptions;
import dev.notebench.enrich.EnrichOptions;
import dev.notebench.files.OutputGuard;
import dev.notebench.files.TextFiles;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.ValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A batch manifest, read and checked whole before any worker starts: known fields only (an
 * unknown one is named with the known ones), {@code workers} and {@code worker_memory_mb}
 * positive whole numbers, each task's required fields present and of their type, and no task
 * output that is an input of any task (or the manifest), or another task's output.
 *
 * <pre>{@code
 * cache: build/embeddings.sqlite
 * workers: 2
 * tasks:
 *   - {name: subjects, type: embed, csv: subjects.csv, column: subject}
 *   - {name: tree, type: arrange, tree: tree.json, out: arranged.yaml}
 * }</pre>
 *
 * @param file the manifest file
 * @param cache the shared embedding cache it names, resolved against its directory, or null
 * @param workers the worker processes it asks for, or null
 * @param workerMemoryMb the heap each worker may take, in MiB
 * @param tasks the tasks, each a mapping of its fields with {@code name} filled in
 */
record BatchManifest(Path file, Path cache, Integer workers, long workerMemoryMb, List<Map<String, Object>> tasks) {
    /** The heap a worker gets unless the manifest says otherwise: a JVM with the embedding model and a task's data. */
    static final long DEFAULT_WORKER_MEMORY_MB = 1024;

    private static final List<String> FIELDS = List.of("cache", "workers", "worker_memory_mb", "tasks");

    /**
     * The fields of the task types whose fields are a command's declared options (the positional
     * words under their label in lower case, e.g. {@code tree}).
     */
    static final Map<String, OptionSet> TASK_OPTIONS = Map.of("embed", EmbedOptions.EMBED_TASK, "arrange", EmbedOptions.ARRANGE_TASK);
    /** The commands whose declared options the {@code args} of enrich and associations tasks are. */
    static final Map<String, OptionSet> TASK_ARGS = Map.of("enrich", EnrichOptions.OPTIONS, "associations", AssociationJob.OPTIONS);

    /** Each task type's fields, the required ones first. */
    private static final Map<String, List<String>> TASK_FIELDS = new LinkedHashMap<>();

    static {
        TASK_FIELDS.put("embed", fields(TASK_OPTIONS.get("embed")));
        TASK_FIELDS.put("arrange", fields(TASK_OPTIONS.get("arrange")));
        TASK_FIELDS.put("enrich", List.of("name", "type", "args", "instructions"));
        TASK_FIELDS.put("associations", List.of("name", "type", "args"));
    }

    /** Options of enrich and associations tasks that name files they read. */
    static final Set<String> INPUT_OPTIONS = argsOf(Option.FileRole.INPUT);
    /** Options of enrich and associations tasks that name files they write. */
    static final Set<String> OUTPUT_OPTIONS = argsOf(Option.FileRole.OUTPUT);

    private static List<String> fields(OptionSet task) {
        List<String> fields = new ArrayList<>(List.of("name", "type"));
        task.positional().ifPresent(p -> fields.add(p.label().toLowerCase(Locale.ROOT)));
        task.options().forEach(o -> fields.add(o.name()));
        return List.copyOf(fields);
    }

    private static Set<String> argsOf(Option.FileRole role) {
        Set<String> out = new TreeSet<>();
        TASK_ARGS.values().forEach(set -> set.options().stream().filter(o -> o.role() == role).forEach(o -> out.add("--" + o.name())));
        return Set.copyOf(out);
    }

    /** What a task type does with the file a field names. */
    private static Option.FileRole role(Object type, String field) {
        OptionSet task = TASK_OPTIONS.get(String.valueOf(type));
        if (task == null) {
            return Option.FileRole.NONE;
        }
        return task.find(field).<Option.FileRole>map(Option::role).orElseGet(() -> task.positional()
                .filter(p -> p.label().toLowerCase(Locale.ROOT).equals(field)).map(OptionSet.Positional::role).orElse(Option.FileRole.NONE));
    }

    /** The task types, in the order help lists them. */
    static List<String> types() {
        return List.copyOf(TASK_FIELDS.keySet());
    }

    /** The directory the manifest's relative paths are resolved against. */
    Path base() {
        return file.toAbsolutePath().getParent();
    }

    /**
     * Reads and checks a manifest.
     *
     * @param file the YAML file
     * @return the manifest
     * @throws NotebenchException naming the field to fix
     */
    @SuppressWarnings("unchecked")
    static BatchManifest read(Path file) {
        String text = TextFiles.readUtf8(file, "the manifest");
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw invalid(file + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw invalid(file + " is not a manifest: give a YAML mapping with tasks: a list of {name, type, ...}");
        }
        Map<String, Object> m = (Map<String, Object>) map;
        for (Object key : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(key))) {
                throw invalid("the manifest has an unknown field '" + key + "'; its fields are " + String.join(", ", FIELDS));
            }
        }
        Path base = file.toAbsolutePath().getParent();
        Path cache = m.get("cache") == null ? null : base.resolve(string(m.get("cache"), "cache", "the manifest's"));
        Integer workers = m.containsKey("workers") ? (int) positive(m.get("workers"), "workers", Integer.MAX_VALUE) : null;
        long memory = m.containsKey("worker_memory_mb") ? positive(m.get("worker_memory_mb"), "worker_memory_mb", 1L << 30)
                : DEFAULT_WORKER_MEMORY_MB;
        BatchManifest manifest = new BatchManifest(file, cache, workers, memory, tasks(m));
        manifest.guard().check();
        return manifest;
    }

    private static long positive(Object value, String field, long max) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                || ((Number) value).longValue() > max) {
            throw invalid(field + " must be a whole number from 1 to " + max + " (the manifest has " + field + ": " + value + ")");
        }
        return ((Number) value).longValue();
    }

    private static String string(Object value, String field, String owner) {
        if (!(value instanceof String s) || s.isBlank()) {
            throw invalid(owner + " " + field + " must be a path or name as text (it is " + value + ")");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tasks(Map<String, Object> manifest) {
        if (!(manifest.get("tasks") instanceof List<?> list) || list.isEmpty()) {
            throw invalid("the manifest has no tasks: give tasks: a list of {name, type, ...} with type embed (file, or csv and"
                    + " column), arrange (tree, out), enrich (args: the options of notebench enrich, instructions) or associations"
                    + " (args: the options of notebench associations)");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> t)) {
                throw invalid("task " + (i + 1) + " is not a mapping of name, type, ...");
            }
            Map<String, Object> task = new LinkedHashMap<>((Map<String, Object>) t);
            String name = task.get("name") == null ? "task-" + (i + 1) : String.valueOf(task.get("name"));
            task.put("name", name);
            if (!names.add(name)) {
                throw invalid("two tasks are named " + name + "; give each its own name");
            }
            Object type = task.get("type");
            List<String> fields = TASK_FIELDS.get(String.valueOf(type));
            if (fields == null) {
                throw invalid("task " + name + " has type " + type + "; use one of " + types());
            }
            for (String key : task.keySet()) {
                if (!fields.contains(key)) {
                    throw invalid("task " + name + " has an unknown field '" + key + "'; " + type + " tasks take "
                            + String.join(", ", fields));
                }
            }
            check(name, (String) type, task);
            out.add(task);
        }
        return out;
    }

    private static void check(String name, String type, Map<String, Object> task) {
        String owner = "task " + name + "'s";
        for (String key : task.keySet()) {
            if (!List.of("name", "type", "args").contains(key)) {
                String value = string(task.get(key), key, owner);
                Option<?> declared = TASK_OPTIONS.containsKey(type) ? TASK_OPTIONS.get(type).find(key).orElse(null) : null;
                try {
                    if (declared != null) {
                        declared.type().parse(value);
                    }
                } catch (ValueType.Invalid e) {
                    throw invalid(owner + " " + key + " " + value + " " + e.getMessage());
                }
            }
        }
        switch (type) {
            case "embed" -> {
                boolean file = task.containsKey("file");
                boolean csv = task.containsKey("csv") || task.containsKey("column");
                if (file == csv || csv && !(task.containsKey("csv") && task.containsKey("column"))) {
                    throw invalid("task " + name + " (embed) needs the texts: file (a text file, one text a line), or csv and"
                            + " column (a CSV file and its column), not both");
                }
            }
            case "arrange" -> {
                if (!task.containsKey("tree") || !task.containsKey("out")) {
                    throw invalid("task " + name + " (arrange) needs tree (a JSON or YAML tree) and out (the YAML to write)");
                }
            }
            default -> {
                if (!(task.get("args") instanceof List<?> args) || args.isEmpty()
                        || !args.stream().allMatch(a -> a instanceof String || a instanceof Number)) {
                    throw invalid("task " + name + " (" + type + ") needs args: the options of notebench " + type + " as a list,"
                            + " e.g. " + (type.equals("enrich") ? "[--input, mail.csv, --text, subject, --labels, 'spam,ham', --out,"
                            + " labelled.csv]" : "[--input, sotu.txt, --out, associations.csv]"));
                }
            }
        }
    }

    /** Every file the tasks read and write, for the check that no task destroys an input or another task's output. */
    OutputGuard guard() {
        Path base = base();
        OutputGuard.Builder g = OutputGuard.builder().input("the manifest", file);
        for (Map<String, Object> t : tasks) {
            String name = "task " + t.get("name") + "'s ";
            for (Map.Entry<String, Object> field : t.entrySet()) {
                Option.FileRole role = role(t.get("type"), field.getKey());
                if (field.getValue() instanceof String p && role == Option.FileRole.INPUT) {
                    g.input(name + field.getKey(), base.resolve(p));
                } else if (field.getValue() instanceof String p && role == Option.FileRole.OUTPUT) {
                    g.output(name + field.getKey(), base.resolve(p));
                }
            }
            if (t.get("args") instanceof List<?> args) {
                for (int i = 0; i + 1 < args.size(); i++) {
                    String option = String.valueOf(args.get(i));
                    if (INPUT_OPTIONS.contains(option)) {
                        g.input(name + option, base.resolve(String.valueOf(args.get(++i))));
                    } else if (OUTPUT_OPTIONS.contains(option)) {
                        g.output(name + option, base.resolve(String.valueOf(args.get(++i))));
                    }
                }
            }
        }
        return g.build();
    }

    private static NotebenchException invalid(String message) {
        return new NotebenchException(ErrorCode.DATA_INVALID, message);
    }
}
