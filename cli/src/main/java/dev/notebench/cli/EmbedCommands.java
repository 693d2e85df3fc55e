package dev.notebench.cli;

import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.hierarchy.Arranger;
import dev.notebench.embed.hierarchy.Node;
import dev.notebench.embed.hierarchy.Trees;
import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.OutputGuard;
import dev.notebench.files.TextFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embed} and {@code cache}: embeddings through the shared SQLite cache from the shell. */
final class EmbedCommands {
    private EmbedCommands() {
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "Embed texts (arguments, the lines of --file, or a --csv column) with all-MiniLM-L6-v2, offline, through the shared"
                    + " SQLite embedding cache: cached texts cost nothing, new ones are stored for every later run.")
    static final class Embed implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Texts to embed, one per argument.")
        List<String> texts = new ArrayList<>();

        @Option(names = "--file", paramLabel = "PATH", description = "Embed every non-empty line of this UTF-8 file.")
        Path file;

        @Option(names = "--csv", paramLabel = "FILE", description = "Embed the non-blank cells of --column of this CSV file.")
        Path csv;

        @Option(names = "--column", paramLabel = "NAME", description = "The column of --csv.")
        String column;

        @Option(names = "--cache", paramLabel = "FILE", description = "The cache file (default: $NOTEBENCH_EMBED_CACHE, else"
                + " ~/.cache/notebench/embeddings.sqlite).")
        Path cache;

        @Option(names = "--nearest", defaultValue = "0", paramLabel = "K", converter = Numbers.Neighbours.class, description = "Also print the K cached texts"
                + " nearest each text.")
        int nearest;

        @Option(names = "--model", defaultValue = "all-minilm-l6-v2", paramLabel = "ID", description = "all-minilm-l6-v2"
                + " (default) or bge-small-en-v1.5 (its artifact on the classpath).")
        String model;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> all = new ArrayList<>(texts);
            EmbeddingPaths paths = EmbeddingPaths.ofProcess();
            Path cacheFile = cache != null ? cache : paths.cacheFile();
            OutputGuard.builder().input("--file", file).input("--csv", csv).output("--cache", cacheFile).build().check();
            if (file != null) {
                TextFiles.readUtf8(file, "--file").lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(all::add);
            }
            if ((csv == null) != (column == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --csv FILE and --column NAME together");
            }
            if (csv != null) {
                all.addAll(dev.notebench.embed.local.EmbedMagics.columnTexts(csv, column));
            }
            if (all.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give texts to embed, --file with one per line, or"
                        + " --csv FILE --column NAME");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (LocalEmbedder model = LocalEmbedder.load(LocalModel.byId(this.model), paths.modelsDir());
                 EmbeddingCache c = EmbeddingCache.open(cacheFile)) {
                long t0 = System.nanoTime();
                List<float[]> vectors;
                try (TerminalProgress bar = new TerminalProgress(System.err)) {
                    vectors = c.embed(model, all, bar);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                EmbeddingCache.Stats s = c.stats();
                out.printf(Locale.ROOT, "%d texts: %d from the cache, %d computed, %.0f texts/s (%s, %d-d); cache %s%n",
                        all.size(), s.hits(), s.misses(), all.size() / secs, model.id(), model.dimension(), c.file());
                for (int i = 0; nearest > 0 && i < all.size(); i++) {
                    out.println(all.get(i));
                    for (EmbeddingCache.Neighbour n : c.nearest(model.id(), vectors.get(i), nearest + 1)) {
                        if (!n.text().equals(all.get(i))) {
                            out.printf(Locale.ROOT, "  %.4f  %s%n", n.score(), n.text());
                        }
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "cache", mixinStandardHelpOptions = true,
            description = "Show or maintain the shared SQLite embedding cache: stats, clear, vacuum.")
    static final class Cache implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "stats|clear|vacuum", description = "What to do.")
        String command;

        @Option(names = "--cache", paramLabel = "FILE", description = "The cache file (default: $NOTEBENCH_EMBED_CACHE, else"
                + " ~/.cache/notebench/embeddings.sqlite).")
        Path cache;

        @Option(names = "--model", paramLabel = "ID", description = "clear: only this model's entries.")
        String model;

        @Option(names = "--older-than-days", paramLabel = "N", converter = Numbers.Count.class, description = "clear: only entries not used for N days.")
        Integer olderThanDays;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!List.of("stats", "clear", "vacuum").contains(command)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown command '" + command
                        + "'; use stats, clear or vacuum");
            }
            if (model != null && olderThanDays != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --model or --older-than-days, not both");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (EmbeddingCache c = EmbeddingCache.open(cache != null ? cache : EmbeddingPaths.ofProcess().cacheFile())) {
                switch (command) {
                    case "stats" -> {
                        EmbeddingCache.Stats s = c.stats();
                        out.printf(Locale.ROOT, "%s: %d entries, %.1f MB on disk%n", c.file(), s.entries(), s.fileBytes() / 1e6);
                        for (EmbeddingCache.Stats.Model m : s.models()) {
                            out.printf(Locale.ROOT, "  %-24s %10d entries %10.2f MB of vectors%n", m.model(), m.entries(),
                                    m.vectorBytes() / 1e6);
                        }
                    }
                    case "clear" -> {
                        long n = model != null ? c.clear(model) : olderThanDays != null
                                ? c.clearOlderThan(Instant.now().minus(Duration.ofDays(olderThanDays))) : c.clear();
                        out.println("Removed " + n + " entries from " + c.file());
                    }
                    default -> {
                        c.vacuum();
                        out.println("Vacuumed " + c.file());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "arrange", mixinStandardHelpOptions = true,
            description = "Arrange a class tree by meaning: embed every node (sibling groups in parallel, one shared model,"
                    + " through the cache) and write YAML with each node's children ordered by similarity and annotated with"
                    + " the nearest sibling and its cosine.")
    static final class Arrange implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TREE", description = "A JSON or YAML tree (name, id, children), e.g."
                + " datasets/wordnet/imagenet-subtree.json.")
        Path tree;

        @Option(names = "--out", paramLabel = "FILE.yaml", description = "Where the arranged tree goes (default: standard"
                + " output).")
        Path out;

        @Option(names = "--threads", defaultValue = "0", paramLabel = "N", converter = Numbers.ThreadsOrAll.class, description = "Sibling groups embedded at once"
                + " (default: the cores).")
        int threads;

        @Option(names = "--cache", paramLabel = "FILE", description = "The cache file (default: $NOTEBENCH_EMBED_CACHE, else"
                + " ~/.cache/notebench/embeddings.sqlite).")
        Path cache;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            EmbeddingPaths paths = EmbeddingPaths.ofProcess();
            OutputGuard.builder().input("TREE", tree).output("--out", out).output("--cache", cache != null ? cache : paths.cacheFile())
                    .build().check();
            Node root = Trees.read(tree);
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            try (LocalEmbedder model = LocalEmbedder.load(paths.modelsDir());
                 EmbeddingCache c = EmbeddingCache.open(cache != null ? cache : paths.cacheFile())) {
                long t0 = System.nanoTime();
                String yaml = new Arranger(model, c, n).arrange(root).yaml(model.id());
                double secs = (System.nanoTime() - t0) / 1e9;
                if (out == null) {
                    spec.commandLine().getOut().print(yaml);
                } else {
                    AtomicFiles.writeString(out, yaml);
                    spec.commandLine().getOut().printf(Locale.ROOT, "Arranged %d nodes in %.1f s with %s on %d threads; wrote %s%n",
                            root.size(), secs, model.id(), n, out);
                }
            }
            return 0;
        }
    }
}
