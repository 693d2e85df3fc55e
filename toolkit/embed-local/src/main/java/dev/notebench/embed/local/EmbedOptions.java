package dev.notebench.embed.local;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.embed.EmbeddingCache;
import dev.notebench.files.OutputGuard;
import dev.notebench.files.TextFiles;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.tables.CsvTables;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * The options of embedding, declared once: {@code %embed}, {@code %arrange}, {@code %cache},
 * {@code ./notebench embed|arrange|cache} and the {@code embed} and {@code arrange} tasks of a
 * batch manifest are derived from them, and so are the files each reads and writes.
 *
 * <pre>{@code
 * OptionValues v = EmbedOptions.EMBED.parse(List.of("--nearest", "3", "a lion", "a house cat"));
 * EmbedOptions.guard(v, paths).check();
 * List<String> texts = EmbedOptions.texts(v);   // [a lion, a house cat]
 * }</pre>
 */
public final class EmbedOptions {
    /** The most threads {@code arrange} starts. */
    public static final int MAX_THREADS = 1024;

    /** {@code --file PATH}: a text file, one text a line. */
    public static final Option<Path> FILE = Option.path("file").label("PATH").input()
            .help("embed every non-empty line of this UTF-8 file");
    /** {@code --csv FILE}: a CSV file whose {@code --column} is embedded. */
    public static final Option<Path> CSV = Option.path("csv").label("FILE").input()
            .help("embed the non-blank cells of --column of this CSV file");
    /** {@code --column NAME} of {@code --csv}. */
    public static final Option<String> COLUMN = Option.string("column").label("NAME").help("the column of --csv");
    /** {@code --cache FILE}: the shared embedding cache. */
    public static final Option<Path> CACHE = Option.path("cache").label("FILE").output()
            .defaultText("$NOTEBENCH_EMBED_CACHE, else ~/.cache/notebench/embeddings.sqlite").help("the embedding cache file");
    /** {@code --nearest K}: cached neighbours shown per text. */
    public static final Option<Integer> NEAREST = Option.integer("nearest", 0, 1000).label("K").defaultValue(0)
            .help("also show the K cached texts nearest each text");
    /** {@code --model ID}: which local model embeds. */
    public static final Option<String> MODEL = Option.choice("model", Arrays.stream(LocalModel.values()).map(LocalModel::id)
                    .toArray(String[]::new)).defaultValue(LocalModel.ALL_MINILM_L6_V2.id())
            .help("the local model (bge-small-en-v1.5 once its artifact is on the classpath)");
    /** {@code --out FILE.yaml} of {@code arrange}. */
    public static final Option<Path> OUT = Option.path("out").label("FILE.yaml").output()
            .help("write the arranged tree to this file (without it the tree is only shown)");
    /** {@code --threads N} of {@code arrange}; 0 or none: the cores. */
    public static final Option<Integer> THREADS = Option.integer("threads", 0, MAX_THREADS).label("N").defaultText("the cores")
            .help("sibling groups embedded at once; 0 means the cores");
    /** {@code --model ID} of {@code cache clear}: only this model's entries (any name, also of a model gone since). */
    public static final Option<String> CLEAR_MODEL = Option.string("model").label("ID").help("clear: only this model's entries");
    /** {@code --older-than-days N} of {@code cache clear}. */
    public static final Option<Integer> OLDER_THAN_DAYS = Option.integer("older-than-days", 0, Integer.MAX_VALUE).label("N")
            .help("clear: only entries not used for N days");

    /** {@code embed}: texts as words, the lines of {@code --file}, or a {@code --csv} column. */
    public static final OptionSet EMBED = OptionSet.of(FILE, CSV, COLUMN, CACHE, NEAREST, MODEL)
            .positional("TEXT", "texts to embed, one per argument (quote texts with spaces)", 0);
    /** {@code arrange}: a tree file and where the arranged tree goes. */
    public static final OptionSet ARRANGE = OptionSet.of(OUT, THREADS, CACHE, MODEL)
            .positional("TREE", "a JSON or YAML tree (name, id, children), e.g. datasets/wordnet/imagenet-subtree.json", 1,
                    Option.FileRole.INPUT);
    /** {@code cache}: what to do with the cache. */
    public static final OptionSet CACHE_COMMAND = OptionSet.of(CACHE, CLEAR_MODEL, OLDER_THAN_DAYS)
            .positional("stats|clear|vacuum", "what to do", 1);

    /** The fields of a batch manifest's {@code embed} task: where its texts come from and the model. */
    public static final OptionSet EMBED_TASK = OptionSet.of(FILE, CSV, COLUMN, MODEL);
    /** The fields of a batch manifest's {@code arrange} task: its tree, where it goes, and the model. */
    public static final OptionSet ARRANGE_TASK = OptionSet.of(OUT, MODEL).positional("TREE", ARRANGE.positional().orElseThrow()
            .help(), 1, Option.FileRole.INPUT);

    private EmbedOptions() {
    }

    /**
     * The texts of an {@code embed}: the words, then the lines of {@code --file}, then the cells of
     * {@code --csv}'s {@code --column}.
     *
     * @param v the values of {@link #EMBED}
     * @return the texts, in that order
     * @throws NotebenchException CONFIG_INVALID when {@code --csv} and {@code --column} are not given
     *         together or no text is given; DATA_INVALID when the file or column cannot be read
     */
    public static List<String> texts(OptionValues v) {
        if (v.has(CSV) != v.has(COLUMN)) {
            throw invalid("give --csv FILE and --column NAME together");
        }
        List<String> all = new ArrayList<>(v.positional());
        if (v.has(FILE)) {
            TextFiles.readUtf8(v.get(FILE), "--file").lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(all::add);
        }
        if (v.has(CSV)) {
            all.addAll(columnTexts(v.get(CSV), v.get(COLUMN)));
        }
        if (all.isEmpty()) {
            throw invalid("give the texts to embed, each as one argument, --file with one per line, or --csv FILE --column NAME");
        }
        return all;
    }

    /**
     * The non-blank cells of a CSV column, in order.
     *
     * @param csv the CSV file
     * @param column the column's name
     * @throws NotebenchException DATA_INVALID when the file has no such column
     */
    public static List<String> columnTexts(Path csv, String column) {
        Table t = CsvTables.read(csv);
        if (!t.containsColumn(column)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, csv + " has no column '" + column + "'; its columns are "
                    + t.columnNames());
        }
        List<String> out = new ArrayList<>();
        for (String v : t.stringColumn(column)) {
            if (v != null && !v.isBlank()) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * Clears the entries a {@code cache clear} names: those of {@code --model}, those not used for
     * {@code --older-than-days}, else all.
     *
     * @param cache the cache
     * @param v the values of {@link #CACHE_COMMAND}
     * @param now the time the age is counted from
     * @return how many entries were removed
     */
    public static long clear(EmbeddingCache cache, OptionValues v, Instant now) {
        if (v.has(CLEAR_MODEL)) {
            return cache.clear(v.get(CLEAR_MODEL));
        }
        if (v.has(OLDER_THAN_DAYS)) {
            return cache.clearOlderThan(now.minus(Duration.ofDays(v.get(OLDER_THAN_DAYS))));
        }
        return cache.clear();
    }

    /**
     * The tree file of an {@code arrange}.
     *
     * @param v the values of {@link #ARRANGE}
     * @throws NotebenchException CONFIG_INVALID when more than one tree is given
     */
    public static Path tree(OptionValues v) {
        if (v.positional().size() != 1) {
            throw invalid("give one TREE file; " + v.positional().size() + " were given: " + v.positional());
        }
        return Path.of(v.positional().get(0));
    }

    /**
     * The threads of an {@code arrange}: {@code --threads}, or the cores when it is 0 or not given.
     *
     * @param v the values of {@link #ARRANGE}
     */
    public static int threads(OptionValues v) {
        Integer n = v.get(THREADS);
        return n == null || n == 0 ? Runtime.getRuntime().availableProcessors() : n;
    }

    /**
     * What a {@code cache} command does.
     *
     * @param v the values of {@link #CACHE_COMMAND}
     * @return {@code stats}, {@code clear} or {@code vacuum}
     * @throws NotebenchException CONFIG_INVALID for another word, or {@code --model} with {@code --older-than-days}
     */
    public static String cacheCommand(OptionValues v) {
        String command = String.join(" ", v.positional());
        if (!List.of("stats", "clear", "vacuum").contains(command)) {
            throw invalid("unknown command '" + command + "'; use stats, clear or vacuum");
        }
        if (v.has(CLEAR_MODEL) && v.has(OLDER_THAN_DAYS)) {
            throw invalid("give --model or --older-than-days, not both");
        }
        return command;
    }

    /**
     * The cache file: {@code --cache}, else the process's.
     *
     * @param v values of a set with {@link #CACHE}
     * @param paths where the process keeps the cache
     */
    public static Path cacheFile(OptionValues v, EmbeddingPaths paths) {
        return v.has(CACHE) ? v.get(CACHE) : paths.cacheFile();
    }

    /**
     * The files a command reads and writes, the cache included, so that no output overwrites an input.
     *
     * @param v values of {@link #EMBED} or {@link #ARRANGE}
     * @param paths where the process keeps the cache
     * @return the guard; {@link OutputGuard#check()} checks it
     */
    public static OutputGuard guard(OptionValues v, EmbeddingPaths paths) {
        OutputGuard.Builder g = v.guard();
        if (!v.has(CACHE)) {
            g.output("--" + CACHE.name(), paths.cacheFile());
        }
        return g.build();
    }

    private static NotebenchException invalid(String message) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, message);
    }
}
