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
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.TextFiles;
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
    @Parameters(index = "0", paramLabel = "MANIFEST.yaml", description = "tasks: a list of {name, type, ...}; optional"
            + " cache (a file), workers (a number) and worker_memory_mb (default 1024: each worker's Java heap is 3/4 of it, and"
            + " workers are bounded by the cores and by 80%% of the memory).")
    Path manifest;

    @Option(names = "--workers", paramLabel = "N", converter = Numbers.Threads.class, description = "Worker processes at once (default: the manifest's, else"
            + " the cores, at most the tasks).")
    Integer workers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One task's outcome. */
    record Outcome(String name, String type, String status, long items, double seconds, String reason) {
    }

    @Override
    public Integer call() throws Exception {
        BatchManifest m = BatchManifest.read(manifest);
        List<Map<String, Object>> tasks = m.tasks();
        Path base = m.base();
        String cache = (m.cache() != null ? m.cache() : EmbeddingPaths.ofProcess().cacheFile()).toString();
        int n = workers != null ? workers : m.workers() != null ? m.workers()
                : Math.min(Runtime.getRuntime().availableProcessors(), byMemory(m.workerMemoryMb()));
        n = Math.max(1, Math.min(n, tasks.size()));
        // the heap gets three quarters of a worker's memory; the rest is for native memory (models, libraries)
        long heapMb = Math.max(64, m.workerMemoryMb() * 3 / 4);
        PrintWriter out = spec.commandLine().getOut();
        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (TerminalProgress bar = new TerminalProgress(System.err)) {
            bar.stage("batch " + manifest.getFileName(), tasks.size(), "tasks");
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Map<String, Object> t : tasks) {
                futures.add(pool.submit(() -> runWorker(t, base, cache, heapMb)));
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
    static int byMemory(long workerMemoryMb) {
        long perWorker = workerMemoryMb << 20;
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, total * 8 / 10 / Math.max(1, perWorker)));
    }

    /** Runs one task in a JVM of its own and reads its result line. */
    private Outcome runWorker(Map<String, Object> task, Path base, String cache, long heapMb) throws IOException,
            InterruptedException {
        String name = String.valueOf(task.get("name"));
        String type = String.valueOf(task.get("type"));
        long t0 = System.nanoTime();
        int exit;
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx" + heapMb + "m", "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
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
        // -XX:+ExitOnOutOfMemoryError says why it ends on standard output
        return new Outcome(name, type, "failed", 0, secs, reason(stdout.contains("java.lang.OutOfMemoryError") ? stdout + stderr
                : stderr, exit, heapMb));
    }

    /**
     * Why a worker failed, in one line: its own error line, or out of memory with the setting to
     * raise, or the last line it wrote that is not a stack frame, or its exit status.
     */
    static String reason(String stderr, int exit, long heapMb) {
        if (stderr.contains("java.lang.OutOfMemoryError") || stderr.contains("OUT_OF_MEMORY")) {
            return "OUT_OF_MEMORY: the worker ran out of its " + heapMb + " MB Java heap (3/4 of worker_memory_mb); raise"
                    + " worker_memory_mb in the manifest";
        }
        List<String> lines = stderr.strip().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("at ")
                && !l.startsWith("...") && !l.startsWith("Caused by:") && !l.startsWith("Suppressed:")).toList();
        String own = lines.stream().filter(l -> l.startsWith("notebench: ")).reduce((a, b) -> b).orElse(null);
        if (own != null) {
            return own.substring("notebench: ".length());
        }
        return lines.isEmpty() ? "the worker exited with status " + exit + " and wrote no error"
                : lines.get(lines.size() - 1).replaceFirst("^Exception in thread \"[^\"]*\" ", "");
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
                dev.notebench.enrich.EnrichJob.Outcome o = enrich(t);
                java.util.Optional<String> failed = o.failureAdvice();
                if (failed.isPresent()) {
                    // a task whose rows failed did not do its work: the batch says so, with the reason and the remedy
                    spec.commandLine().getErr().println("notebench: " + failed.get());
                    return 3;
                }
                spec.commandLine().getOut().println("{\"items\": " + o.result().summary().rows() + "}");
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
                    AtomicFiles.writeString(base.resolve(need(t, "out")), yaml);
                    items = root.size();
                }
            }
            spec.commandLine().getOut().println("{\"items\": " + items + "}");
            return 0;
        }

        /** Options of enrich and associations tasks that name files: relative to the manifest. */
        private static final java.util.Set<String> PATH_OPTIONS = java.util.stream.Stream.of(BatchManifest.INPUT_OPTIONS,
                BatchManifest.OUTPUT_OPTIONS, java.util.Set.of("--cache", "--embedding-cache")).flatMap(java.util.Set::stream)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());

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

        private dev.notebench.enrich.EnrichJob.Outcome enrich(JsonObject t) {
            List<String> args = args(t, "[--input, mail.csv, --text, subject, --labels, 'spam,ham', --out, labelled.csv]");
            if (!args.contains("--embedding-cache")) {
                args.addAll(List.of("--embedding-cache", cache.toString()));
            }
            String instructions = t.has("instructions") ? t.get("instructions").getAsString() : "";
            dev.notebench.enrich.EnrichJob job = dev.notebench.enrich.EnrichOptions.parse(args, instructions, System.getenv(),
                    Path.of(System.getProperty("user.home")));
            return job.run(dev.notebench.progress.Progress.NONE, Task.class.getClassLoader());
        }

        private List<String> texts(JsonObject t) {
            List<String> texts = new ArrayList<>();
            if (t.has("file")) {
                Path file = base.resolve(t.get("file").getAsString());
                TextFiles.readUtf8(file, "task " + t.get("name").getAsString() + "'s file").lines().filter(l -> !l.isBlank())
                        .map(String::strip).forEach(texts::add);
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
