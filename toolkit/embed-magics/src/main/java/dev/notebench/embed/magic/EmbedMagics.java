package dev.notebench.embed.magic;

import dev.notebench.display.Html;
import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.local.EmbedOptions;
import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.OutputGuard;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.DeclaredMagics;
import dev.notebench.magics.MagicOptions;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.options.OptionValues;
import dev.notebench.progress.NotebookProgress;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Embeddings from a notebook: {@code %embed} (through the shared cache, with nearest neighbours),
 * {@code %arrange} (a class tree ordered by meaning) and {@code %cache} (stats, clear, vacuum). The local model loads on first use, once per kernel.
 */
public final class EmbedMagics implements DeclaredMagics {
    static final MagicOptions EMBED = MagicOptions.of("%embed", EmbedOptions.EMBED);
    static final MagicOptions ARRANGE = MagicOptions.of("%arrange", EmbedOptions.ARRANGE);
    static final MagicOptions CACHE = MagicOptions.of("%cache", EmbedOptions.CACHE_COMMAND);

    private final NotebookContext context;
    private final EmbeddingPaths paths;
    private final java.util.Map<LocalModel, LocalEmbedder> models = new java.util.EnumMap<>(LocalModel.class);

    /**
     * Creates the magics.
     *
     * @param context the kernel
     */
    public EmbedMagics(NotebookContext context) {
        this(context, EmbeddingPaths.of(context.environment(), Path.of(System.getProperty("user.home"))));
    }

    EmbedMagics(NotebookContext context, EmbeddingPaths paths) {
        this.context = Objects.requireNonNull(context, "context");
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    private synchronized LocalEmbedder model(LocalModel which) {
        return models.computeIfAbsent(which, m -> LocalEmbedder.load(m, paths.modelsDir()));
    }

    /**
     * Embeds texts with the local model through the shared cache.
     *
     * @param args options and texts (each argument one text; quote texts with spaces)
     * @return the vectors, in order
     */
    @LineMagic
    @MagicDoc(summary = "Embeds texts with all-MiniLM-L6-v2 (384-d, offline; --model bge-small-en-v1.5 once its artifact is"
                    + " added with %maven) through the shared SQLite embedding cache"
                    + " ($NOTEBENCH_EMBED_CACHE, else ~/.cache/notebench/embeddings.sqlite): cached texts cost nothing, new ones"
                    + " are computed and stored for every later run and process. Each argument is one text (quote texts"
                    + " with spaces), --file PATH embeds its lines, --csv FILE --column NAME a table column. --nearest K shows the K cached texts"
                    + " most similar to each.",
            example = "%embed --nearest 3 \"a lion\" \"a house cat\"")
    public List<float[]> embed(List<String> args) {
        OptionValues a = EMBED.parse(args);
        EmbedOptions.guard(a, paths).check();
        List<String> texts = EMBED.checked(() -> EmbedOptions.texts(a));
        int nearest = a.get(EmbedOptions.NEAREST);
        LocalEmbedder model = model(LocalModel.byId(a.get(EmbedOptions.MODEL)));
        try (EmbeddingCache cache = EmbeddingCache.open(EmbedOptions.cacheFile(a, paths))) {
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
     * Arranges a class tree by meaning and shows the result.
     *
     * @param args the tree file and options
     * @return the arranged tree as YAML
     */
    @LineMagic
    @MagicDoc(summary = "Arranges a class tree (JSON or YAML: name, id, children; e.g. ../datasets/wordnet/imagenet-subtree.json)"
                    + " by meaning: every node embedded through the shared cache (sibling groups in parallel on one model), then"
                    + " each node's children ordered so that similar ones sit together, with the nearest sibling and its cosine"
                    + " as a comment. Shows the YAML and writes it to --out. The result is the same on any number of threads.",
            example = "%arrange ../datasets/wordnet/imagenet-subtree.json --out ../build/carnivores.yaml")
    public String arrange(List<String> args) {
        OptionValues a = ARRANGE.parse(args);
        Path treeFile = ARRANGE.checked(() -> EmbedOptions.tree(a));
        Path out = a.get(EmbedOptions.OUT);
        EmbedOptions.guard(a, paths).check();
        dev.notebench.embed.hierarchy.Node tree = dev.notebench.embed.hierarchy.Trees.read(treeFile);
        int threads = EmbedOptions.threads(a);
        LocalEmbedder model = model(LocalModel.byId(a.get(EmbedOptions.MODEL)));
        String yaml;
        try (EmbeddingCache cache = EmbeddingCache.open(EmbedOptions.cacheFile(a, paths))) {
            yaml = new dev.notebench.embed.hierarchy.Arranger(model, cache, threads).arrange(tree).yaml(model.id());
        }
        if (out != null) {
            AtomicFiles.writeString(out, yaml);
        }
        String head = yaml.lines().limit(40).collect(java.util.stream.Collectors.joining("\n"));
        String text = tree.size() + " nodes arranged" + (out != null ? "; written to " + out : "") + "\n" + head
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
    @MagicDoc(summary = "The shared SQLite embedding cache: stats (entries and vector bytes per model, file size), clear (all,"
                    + " --model ID, or --older-than-days N since last use), vacuum (give the space of deleted entries back).",
            example = "%cache stats")
    public Object cache(List<String> args) {
        OptionValues a = CACHE.parse(args);
        String command = CACHE.checked(() -> EmbedOptions.cacheCommand(a));
        try (EmbeddingCache cache = EmbeddingCache.open(EmbedOptions.cacheFile(a, paths))) {
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
                    long n = EmbedOptions.clear(cache, a, Instant.now());
                    context.display().show("Removed " + n + " entries from " + cache.file());
                    return n;
                }
                default -> {
                    cache.vacuum();
                    context.display().show("Vacuumed " + cache.file());
                    return cache.file();
                }
            }
        }
    }

    @Override
    public Optional<MagicOptions> syntax(String magic) {
        return Optional.ofNullable(switch (magic) {
            case "embed" -> EMBED;
            case "arrange" -> ARRANGE;
            case "cache" -> CACHE;
            default -> null;
        });
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
