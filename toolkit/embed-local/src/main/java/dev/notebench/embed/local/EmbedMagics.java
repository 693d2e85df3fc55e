package dev.notebench.embed.local;

import dev.notebench.display.Html;
import dev.notebench.embed.EmbeddingCache;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.OutputGuard;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicSyntax;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.progress.NotebookProgress;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicsArgs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Embeddings from a notebook: {@code %embed} (through the shared cache, with nearest neighbours),
 * {@code %arrange} (a class tree ordered by meaning) and {@code %cache} (stats, clear, vacuum). The local model loads on first use, once per kernel.
 */
public final class EmbedMagics {
    static final String EMBED_USAGE = "%embed [--cache FILE] [--model all-minilm-l6-v2|bge-small-en-v1.5] [--nearest K]"
            + " TEXT... | --csv FILE --column NAME";
    static final String ARRANGE_USAGE = "%arrange TREE [--out FILE.yaml] [--threads N] [--cache FILE] [--model ID]";
    static final String CACHE_USAGE = "%cache stats|clear|vacuum [--cache FILE] [--model ID] [--older-than-days N]";

    private static final MagicSyntax EMBED = MagicSyntax.of("%embed", EMBED_USAGE, MagicsArgs.builder()
            .varargs("text").keyword("cache").keyword("model").keyword("nearest").keyword("csv").keyword("column")
            .onlyKnownKeywords().onlyKnownFlags().build());
    private static final MagicSyntax CACHE = MagicSyntax.of("%cache", CACHE_USAGE, MagicsArgs.builder()
            .required("command").keyword("cache").keyword("model").keyword("older-than-days").onlyKnownKeywords()
            .onlyKnownFlags().build());

    private static final MagicSyntax ARRANGE = MagicSyntax.of("%arrange", ARRANGE_USAGE, MagicsArgs.builder()
            .required("tree").keyword("out").keyword("threads").keyword("cache").keyword("model").onlyKnownKeywords()
            .onlyKnownFlags().build());

    private final NotebookContext context;
    private final EmbeddingPaths paths;
    private final java.util.Map<LocalModel, LocalEmbedder> models = new java.util.EnumMap<>(LocalModel.class);

    /**
     * Creates the magics.
     *
     * @param context the kernel
     */
    public EmbedMagics(NotebookContext context) {
        this(context, EmbeddingPaths.ofProcess());
    }

    EmbedMagics(NotebookContext context, EmbeddingPaths paths) {
        this.context = Objects.requireNonNull(context, "context");
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    private synchronized LocalEmbedder model(LocalModel which) {
        return models.computeIfAbsent(which, m -> LocalEmbedder.load(m, paths.modelsDir()));
    }

    private Path cacheFile(MagicSyntax.Arguments a) {
        return a.has("cache") ? Path.of(a.get("cache", "")) : paths.cacheFile();
    }

    /**
     * Embeds texts with the local model through the shared cache.
     *
     * @param args options and texts (each argument one text; quote texts with spaces)
     * @return the vectors, in order
     */
    @LineMagic
    @MagicDoc(usage = EMBED_USAGE,
            summary = "Embeds texts with all-MiniLM-L6-v2 (384-d, offline; --model bge-small-en-v1.5 once its artifact is"
                    + " added with %maven) through the shared SQLite embedding cache"
                    + " ($NOTEBENCH_EMBED_CACHE, else ~/.cache/notebench/embeddings.sqlite): cached texts cost nothing, new ones"
                    + " are computed and stored for every later run and process. Each argument is one text (quote texts"
                    + " with spaces), or --csv FILE --column NAME embeds a table column. --nearest K shows the K cached texts"
                    + " most similar to each.",
            example = "%embed --nearest 3 \"a lion\" \"a house cat\"")
    public List<float[]> embed(List<String> args) {
        MagicSyntax.Arguments a = EMBED.parse(args);
        List<String> texts = a.all("text");
        if (a.has("csv") != a.has("column")) {
            throw EMBED.error("give --csv FILE and --column NAME together");
        }
        if (a.has("csv")) {
            if (!texts.isEmpty()) {
                throw EMBED.error("give texts or --csv FILE --column NAME, not both");
            }
            OutputGuard.builder().input("--csv", Path.of(a.get("csv", ""))).output("--cache", cacheFile(a)).build().check();
            texts = columnTexts(Path.of(a.get("csv", "")), a.get("column", ""));
        }
        if (texts.isEmpty()) {
            throw EMBED.error("give the texts to embed, each as one argument, or --csv FILE --column NAME");
        }
        int nearest = a.getInt("nearest", 0, 0, 1000);
        LocalEmbedder model = model(LocalModel.byId(a.get("model", LocalModel.ALL_MINILM_L6_V2.id())));
        try (EmbeddingCache cache = EmbeddingCache.open(cacheFile(a))) {
            long t0 = System.nanoTime();
            List<float[]> vectors;
            try (NotebookProgress bar = new NotebookProgress(context.display())) {
                vectors = cache.embed(model, texts, bar);
            }
            EmbeddingCache.Stats s = cache.stats();
            String line = String.format(Locale.ROOT, "%d texts: %d from the cache, %d computed (%s, %d-d) in %.0f ms; cache %s",
                    texts.size(), s.hits(), s.misses(), model.id(), model.dimension(), (System.nanoTime() - t0) / 1e6,
                    cache.file());
            context.display().show(new Html("<div style=\"font-family: monospace\">" + Html.escape(line) + "</div>", line));
            if (nearest > 0) {
                StringColumn query = StringColumn.create("text");
                StringColumn neighbour = StringColumn.create("neighbour");
                DoubleColumn score = DoubleColumn.create("cosine");
                for (int i = 0; i < texts.size(); i++) {
                    for (EmbeddingCache.Neighbour n : cache.nearest(model.id(), vectors.get(i), nearest + 1)) {
                        if (!n.text().equals(texts.get(i))) {
                            query.append(texts.get(i));
                            neighbour.append(n.text());
                            score.append(Math.round(n.score() * 10000) / 10000.0);
                        }
                    }
                }
                context.display().show(Table.create("nearest cached texts", query, neighbour, score));
            }
            return vectors;
        }
    }

    /**
     * The non-blank cells of a CSV column, in order.
     *
     * @param csv the CSV file
     * @param column the column's name
     */
    public static List<String> columnTexts(Path csv, String column) {
        Table t = dev.notebench.tables.CsvTables.read(csv);
        if (!t.containsColumn(column)) {
            throw new dev.notebench.NotebenchException(dev.notebench.ErrorCode.DATA_INVALID, csv + " has no column '" + column
                    + "'; its columns are " + t.columnNames());
        }
        List<String> out = new java.util.ArrayList<>();
        for (String v : t.stringColumn(column)) {
            if (v != null && !v.isBlank()) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * Arranges a class tree by meaning and shows the result.
     *
     * @param args the tree file and options
     * @return the arranged tree as YAML
     */
    @LineMagic
    @MagicDoc(usage = ARRANGE_USAGE,
            summary = "Arranges a class tree (JSON or YAML: name, id, children; e.g. ../datasets/wordnet/imagenet-subtree.json)"
                    + " by meaning: every node embedded through the shared cache (sibling groups in parallel on one model), then"
                    + " each node's children ordered so that similar ones sit together, with the nearest sibling and its cosine"
                    + " as a comment. Shows the YAML and writes it to --out. The result is the same on any number of threads.",
            example = "%arrange ../datasets/wordnet/imagenet-subtree.json --out ../build/carnivores.yaml")
    public String arrange(List<String> args) {
        MagicSyntax.Arguments a = ARRANGE.parse(args);
        Path treeFile = Path.of(a.get("tree", ""));
        Path out = a.has("out") ? Path.of(a.get("out", "")) : null;
        OutputGuard.builder().input("TREE", treeFile).output("--out", out).output("--cache", cacheFile(a)).build().check();
        dev.notebench.embed.hierarchy.Node tree = dev.notebench.embed.hierarchy.Trees.read(treeFile);
        int threads = a.getInt("threads", Runtime.getRuntime().availableProcessors(), 1, 256);
        LocalEmbedder model = model(LocalModel.byId(a.get("model", LocalModel.ALL_MINILM_L6_V2.id())));
        String yaml;
        try (EmbeddingCache cache = EmbeddingCache.open(cacheFile(a))) {
            yaml = new dev.notebench.embed.hierarchy.Arranger(model, cache, threads).arrange(tree).yaml(model.id());
        }
        if (out != null) {
            AtomicFiles.writeString(out, yaml);
        }
        String head = yaml.lines().limit(40).collect(java.util.stream.Collectors.joining("\n"));
        String text = tree.size() + " nodes arranged" + (a.has("out") ? "; written to " + a.get("out", "") : "") + "\n" + head
                + (yaml.lines().count() > 40 ? "\n..." : "");
        context.display().show(new Html("<pre>" + Html.escape(text) + "</pre>", text));
        return yaml;
    }

    /**
     * Shows or maintains the shared embedding cache.
     *
     * @param args the command and options
     * @return the stats table, or how many entries were removed, or the file
     */
    @LineMagic
    @MagicDoc(usage = CACHE_USAGE,
            summary = "The shared SQLite embedding cache: stats (entries and vector bytes per model, file size), clear (all,"
                    + " --model ID, or --older-than-days N since last use), vacuum (give the space of deleted entries back).",
            example = "%cache stats")
    public Object cache(List<String> args) {
        MagicSyntax.Arguments a = CACHE.parse(args);
        String command = a.get("command", "");
        try (EmbeddingCache cache = EmbeddingCache.open(cacheFile(a))) {
            switch (command) {
                case "stats" -> {
                    EmbeddingCache.Stats s = cache.stats();
                    StringColumn model = StringColumn.create("model");
                    LongColumn entries = LongColumn.create("entries");
                    DoubleColumn mb = DoubleColumn.create("vector MB");
                    for (EmbeddingCache.Stats.Model m : s.models()) {
                        model.append(m.model());
                        entries.append(m.entries());
                        mb.append(Math.round(m.vectorBytes() / 1e4) / 100.0);
                    }
                    Table t = Table.create(String.format(Locale.ROOT, "%s: %.1f MB on disk", cache.file(), s.fileBytes() / 1e6),
                            model, entries, mb);
                    context.display().show(t);
                    return t;
                }
                case "clear" -> {
                    long n;
                    if (a.has("model") && a.has("older-than-days")) {
                        throw CACHE.error("give --model or --older-than-days, not both");
                    } else if (a.has("model")) {
                        n = cache.clear(a.get("model", ""));
                    } else if (a.has("older-than-days")) {
                        int days = a.getInt("older-than-days", 0, 0, 100_000);
                        n = cache.clearOlderThan(Instant.now().minus(Duration.ofDays(days)));
                    } else {
                        n = cache.clear();
                    }
                    context.display().show("Removed " + n + " entries from " + cache.file());
                    return n;
                }
                case "vacuum" -> {
                    cache.vacuum();
                    context.display().show("Vacuumed " + cache.file());
                    return cache.file();
                }
                default -> throw CACHE.error("unknown command '" + command + "'; use stats, clear or vacuum");
            }
        }
    }

    /** Finds {@link EmbedMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements MagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(NotebookContext context) {
            return new EmbedMagics(context);
        }
    }
}
