package dev.notebench.cli;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.hierarchy.Arranger;
import dev.notebench.embed.hierarchy.Node;
import dev.notebench.embed.hierarchy.Trees;
import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import tech.tablesaw.api.Table;

/**
 * {@code batch manifest.yaml}: a list of tasks run in worker processes at once (one crash does
 * not take the rest), one progress bar, a summary table, a non-zero exit when a task failed.
 * Workers share the embedding cache. Task types: {@code embed} (lines of {@code file}, or
 * {@code column} of {@code csv}) and {@code arrange} ({@code tree} to {@code out}).
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Run the tasks of a manifest (embed a file or a CSV column, arrange a tree) in parallel worker"
                + " processes sharing the embedding cache; one progress bar, a summary, exit 1 if any task failed.")
final class BatchCommand implements Callable<Integer> {
    static final List<String> TYPES = List.of("embed", "arrange", "enrich", "associations");

    @Parameters(index = "0", paramLabel = "MANIFEST.yaml", description = "tasks: a list of {name, type, ...}; optional"
            + " cache (a file), workers (a number) and worker_memory_mb (default 1024: workers are bounded by the cores and"
            + " by 80%% of the memory).")
    Path manifest;

    @Option(names = "--workers", paramLabel = "N", description = "Worker processes at once (default: the manifest's, else"
            + " the cores, at most the tasks).")
    Integer workers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One task's outcome. */
    record Outcome(String name, String type, String status, long items, double seconds, String reason) {
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> m = readManifest(manifest);
        List<Map<String, Object>> tasks = tasks(m);
        Path base = manifest.toAbsolutePath().getParent();
        String cache = m.get("cache") != null ? base.resolve(String.valueOf(m.get("cache"))).toString()
                : EmbeddingPaths.ofProcess().cacheFile().toString();
        int n = workers != null ? workers : m.get("workers") instanceof Number w ? w.intValue()
                : Math.min(Runtime.getRuntime().availableProcessors(), byMemory(m));
        n = Math.max(1, Math.min(n, tasks.size()));
        PrintWriter out = spec.commandLine().getOut();
        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (TerminalProgress bar = new TerminalProgress(System.err)) {
            bar.stage("batch " + manifest.getFileName(), tasks.size(), "tasks");
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Map<String, Object> t : tasks) {
                futures.add(pool.submit(() -> runWorker(t, base, cache)));
            }
            long items = 0;
            for (Future<Outcome> f : futures) {
                Outcome o = f.get();
                outcomes.add(o);
                items += o.items();
                bar.note(items + " items");
                bar.advance(1);
            }
        } finally {
            pool.shutdownNow();
        }
        out.printf(Locale.ROOT, "%-24s %-8s %-7s %10s %9s  %s%n", "task", "type", "status", "items", "seconds", "reason");
        for (Outcome o : outcomes) {
            out.printf(Locale.ROOT, "%-24s %-8s %-7s %10d %9.1f  %s%n", o.name(), o.type(), o.status(), o.items(), o.seconds(),
                    o.reason());
        }
        long failed = outcomes.stream().filter(o -> !o.status().equals("ok")).count();
        out.printf(Locale.ROOT, "%d tasks: %d ok, %d failed; %d workers; cache %s%n", outcomes.size(), outcomes.size() - failed,
                failed, n, cache);
        return failed == 0 ? 0 : 1;
    }

    /**
     * How many workers the machine's memory holds: 80% of physical memory over the memory one worker
     * may take ({@code worker_memory_mb} in the manifest, default 1,024: a JVM with the embedding model
     * and a task's data), at least 1.
     */
    static int byMemory(Map<String, Object> manifest) {
        long perWorker = (manifest.get("worker_memory_mb") instanceof Number mb ? mb.longValue() : 1024) << 20;
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, total * 8 / 10 / Math.max(1, perWorker)));
    }

    /** Runs one task in a JVM of its own and reads its result line. */
    private Outcome runWorker(Map<String, Object> task, Path base, String cache) throws IOException, InterruptedException {
        String name = String.valueOf(task.get("name"));
        String type = String.valueOf(task.get("type"));
        long t0 = System.nanoTime();
        int exit;
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Notebench.class.getName(), "batch-task", "--base", base.toString(), "--cache", cache,
                new Gson().toJson(task));
        // standard error goes to a file: a worker that logs more than a pipe holds must not block on it
        Path errors = Files.createTempFile("notebench-batch-", ".err");
        String stdout;
        String stderr;
        try {
            Process p0 = new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
            stdout = new String(p0.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p0.waitFor(24, TimeUnit.HOURS);
            stderr = Files.readString(errors, StandardCharsets.UTF_8);
            exit = p0.exitValue();
        } finally {
            Files.deleteIfExists(errors);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String last = stdout.strip().lines().reduce((a, b) -> b).orElse("");
        if (exit == 0 && last.startsWith("{")) {
            return new Outcome(name, type, "ok", JsonParser.parseString(last).getAsJsonObject().get("items").getAsLong(), secs, "");
        }
        String reason = stderr.strip().lines().filter(l -> l.startsWith("notebench: ")).reduce((a, b) -> b)
                .orElse(stderr.strip().lines().reduce((a, b) -> b).orElse("exit " + exit));
        return new Outcome(name, type, "failed", 0, secs, reason.replaceFirst("^notebench: ", ""));
    }

    static Map<String, Object> readManifest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            if (!(o instanceof Map<?, ?> map)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not a manifest: give a YAML mapping with"
                        + " tasks: a list of {name, type, ...}");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) map;
            return m;
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read the manifest " + file + ": " + e.getMessage(), e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not valid YAML: " + e.getMessage().replace('\n', ' '),
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> tasks(Map<String, Object> manifest) {
        if (!(manifest.get("tasks") instanceof List<?> list) || list.isEmpty()) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the manifest has no tasks: give tasks: a list of {name, type,"
                    + " ...} with type embed (file, or csv and column), arrange (tree, out), enrich (args: the options of"
                    + " notebench enrich, instructions) or associations (args: the options of notebench associations)");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> t)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "task " + (i + 1) + " is not a mapping of name, type, ...");
            }
            Map<String, Object> task = new LinkedHashMap<>((Map<String, Object>) t);
            String name = task.get("name") == null ? "task-" + (i + 1) : String.valueOf(task.get("name"));
            task.put("name", name);
            if (!names.add(name)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "two tasks are named " + name + "; give each its own name");
            }
            Object type = task.get("type");
            if (!TYPES.contains(String.valueOf(type))) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "task " + name + " has type " + type + "; use one of " + TYPES);
            }
            out.add(task);
        }
        return out;
    }

    /** One task, in a worker process: prints {"items": n} as its last line. */
    @Command(name = "batch-task", hidden = true)
    static final class Task implements Callable<Integer> {
        @Parameters(index = "0")
        String json;

        @Option(names = "--base")
        Path base;

        @Option(names = "--cache")
        Path cache;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonObject t = JsonParser.parseString(json).getAsJsonObject();
            String type = t.get("type").getAsString();
            if (type.equals("enrich")) {
                spec.commandLine().getOut().println("{\"items\": " + enrich(t) + "}");
                return 0;
            }
            if (type.equals("associations")) {
                dev.notebench.associations.AssociationJob job = dev.notebench.associations.AssociationJob.parse(args(t,
                        "[--input, sotu.txt, --out, associations.csv]"));
                int concepts = job.run(dev.notebench.progress.Progress.NONE).extraction().concepts();
                spec.commandLine().getOut().println("{\"items\": " + concepts + "}");
                return 0;
            }
            EmbeddingPaths paths = EmbeddingPaths.ofProcess();
            LocalModel which = LocalModel.byId(t.has("model") ? t.get("model").getAsString() : LocalModel.ALL_MINILM_L6_V2.id());
            long items;
            try (LocalEmbedder model = LocalEmbedder.load(which, paths.modelsDir()); EmbeddingCache c = EmbeddingCache.open(cache)) {
                if (type.equals("embed")) {
                    List<String> texts = texts(t);
                    items = c.embed(model, texts).size();
                } else {
                    Node root = Trees.read(base.resolve(need(t, "tree")));
                    String yaml = new Arranger(model, c, 1).arrange(root).yaml(model.id());
                    Files.writeString(base.resolve(need(t, "out")), yaml, StandardCharsets.UTF_8);
                    items = root.size();
                }
            }
            spec.commandLine().getOut().println("{\"items\": " + items + "}");
            return 0;
        }

        /** Options of enrich and associations tasks that name files: relative to the manifest. */
        private static final java.util.Set<String> PATH_OPTIONS = java.util.Set.of("--input", "--out", "--examples", "--schema",
                "--cache", "--embedding-cache", "--patterns", "--graphml", "--dot", "--cooccurrence-out");

        /** A task's args, with the files they name resolved against the manifest's directory. */
        private List<String> args(JsonObject t, String example) {
            if (!t.has("args") || !t.get("args").isJsonArray()) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "task " + t.get("name").getAsString() + " needs args: the options"
                        + " of notebench " + t.get("type").getAsString() + " as a list, e.g. " + example);
            }
            List<String> args = new ArrayList<>();
            com.google.gson.JsonArray given = t.getAsJsonArray("args");
            for (int i = 0; i < given.size(); i++) {
                String a = given.get(i).getAsString();
                args.add(a);
                if (PATH_OPTIONS.contains(a) && i + 1 < given.size()) {
                    args.add(base.resolve(given.get(++i).getAsString()).toString());
                }
            }
            return args;
        }

        private long enrich(JsonObject t) {
            List<String> args = args(t, "[--input, mail.csv, --text, subject, --labels, 'spam,ham', --out, labelled.csv]");
            if (!args.contains("--embedding-cache")) {
                args.addAll(List.of("--embedding-cache", cache.toString()));
            }
            String instructions = t.has("instructions") ? t.get("instructions").getAsString() : "";
            dev.notebench.enrich.EnrichJob job = dev.notebench.enrich.EnrichOptions.parse(args, instructions, System.getenv(),
                    Path.of(System.getProperty("user.home")));
            dev.notebench.enrich.EnrichSummary s = job.run(dev.notebench.progress.Progress.NONE, Task.class.getClassLoader())
                    .result().summary();
            return s.labelled() + s.failed();
        }

        private List<String> texts(JsonObject t) {
            List<String> texts = new ArrayList<>();
            if (t.has("file")) {
                Path file = base.resolve(t.get("file").getAsString());
                try {
                    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        if (!l.isBlank()) {
                            texts.add(l.strip());
                        }
                    }
                } catch (IOException e) {
                    throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "task " + t.get("name").getAsString()
                            + ": cannot read " + file + " (" + e.getClass().getSimpleName() + "); give a UTF-8 file with one"
                            + " text per line", e);
                }
                return texts;
            }
            Path csv = base.resolve(need(t, "csv"));
            String column = need(t, "column");
            Table table = dev.notebench.tables.CsvTables.read(csv);
            if (!table.columnNames().contains(column)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, csv + " has no column " + column + "; its columns are "
                        + table.columnNames());
            }
            for (int i = 0; i < table.rowCount(); i++) {
                String v = table.column(column).getString(i);
                if (v != null && !v.isBlank()) {
                    texts.add(v);
                }
            }
            return texts;
        }

        private static String need(JsonObject t, String key) {
            if (!t.has(key)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "task " + t.get("name").getAsString() + " needs " + key);
            }
            return t.get(key).getAsString();
        }
    }
}
