package dev.notebench.cli;

import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.hierarchy.Arranger;
import dev.notebench.embed.hierarchy.Node;
import dev.notebench.embed.hierarchy.Trees;
import dev.notebench.embed.local.EmbedOptions;
import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.files.AtomicFiles;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code embed}, {@code cache} and {@code arrange}: embeddings through the shared SQLite cache
 * from the shell, with the options {@link EmbedOptions} declares for the magics too.
 */
final class EmbedCommands {
    private EmbedCommands() {
    }

    @Command(name = "embed", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Embed texts (arguments, the lines of --file, or a --csv column) with all-MiniLM-L6-v2, offline, through the shared"
                    + " SQLite embedding cache: cached texts cost nothing, new ones are stored for every later run.")
    static final class Embed implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return EmbedOptions.EMBED;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            EmbeddingPaths paths = EmbeddingPaths.ofProcess();
            Path cacheFile = EmbedOptions.cacheFile(v, paths);
            EmbedOptions.guard(v, paths).check();
            List<String> all = Declared.checked(spec, () -> EmbedOptions.texts(v));
            int nearest = v.get(EmbedOptions.NEAREST);
            PrintWriter out = spec.commandLine().getOut();
            try (LocalEmbedder model = LocalEmbedder.load(LocalModel.byId(v.get(EmbedOptions.MODEL)), paths.modelsDir());
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

    @Command(name = "cache", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Show or maintain the shared SQLite embedding cache: stats, clear, vacuum.")
    static final class Cache implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return EmbedOptions.CACHE_COMMAND;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            String command = Declared.checked(spec, () -> EmbedOptions.cacheCommand(v));
            PrintWriter out = spec.commandLine().getOut();
            try (EmbeddingCache c = EmbeddingCache.open(EmbedOptions.cacheFile(v, EmbeddingPaths.ofProcess()))) {
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
                        long n = EmbedOptions.clear(c, v, Instant.now());
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

    @Command(name = "arrange", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Arrange a class tree by meaning: embed every node (sibling groups in parallel, one shared model,"
                    + " through the cache) and write YAML with each node's children ordered by similarity and annotated with"
                    + " the nearest sibling and its cosine.")
    static final class Arrange implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return EmbedOptions.ARRANGE;
        }

        @Override
        public Integer call() throws IOException {
            OptionValues v = Declared.values(spec, options());
            EmbeddingPaths paths = EmbeddingPaths.ofProcess();
            Path tree = Declared.checked(spec, () -> EmbedOptions.tree(v));
            Path out = v.get(EmbedOptions.OUT);
            EmbedOptions.guard(v, paths).check();
            Node root = Trees.read(tree);
            int n = EmbedOptions.threads(v);
            try (LocalEmbedder model = LocalEmbedder.load(LocalModel.byId(v.get(EmbedOptions.MODEL)), paths.modelsDir());
                 EmbeddingCache c = EmbeddingCache.open(EmbedOptions.cacheFile(v, paths))) {
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
