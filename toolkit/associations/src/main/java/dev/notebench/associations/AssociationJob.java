package dev.notebench.associations;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.OutputGuard;
import dev.notebench.files.TextFiles;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.progress.Progress;
import dev.notebench.tables.CsvTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * One extraction as {@code %associations}, {@code notebench associations} and batch tasks describe
 * it: where the concepts come from (a text file, a line each, or a CSV column), the patterns,
 * co-occurrence settings, threads, and which files to write. Both front ends parse the same options.
 */
public final class AssociationJob {
    private static final Option<Path> INPUT = Option.path("input").label("FILE").input()
            .help("a text file (one concept a line) or a CSV file (with --column)");
    private static final Option<String> COLUMN = Option.string("column").label("NAME").help("the CSV column holding the concepts");
    private static final Option<Path> PATTERNS = Option.path("patterns").label("FILE").input().defaultText("built in")
            .help("a pattern file: 'relation confidence pattern' lines");
    private static final Option<Path> OUT = Option.path("out").label("FILE.csv").output()
            .help("write the associations with their provenance");
    private static final Option<Path> GRAPHML = Option.path("graphml").label("FILE").output()
            .help("write the graph (terms, relations, counts) as GraphML");
    private static final Option<Path> DOT = Option.path("dot").label("FILE").output().help("write the graph as Graphviz DOT");
    private static final Option<Boolean> COOCCURRENCE = Option.flag("cooccurrence").help("also count co-occurring terms with PMI");
    private static final Option<Integer> WINDOW = Option.integer("window", 0, 1000).defaultValue(0)
            .help("co-occurrence within N tokens, 0 = within a sentence");
    private static final Option<Integer> MIN_COUNT = Option.integer("min-count", 1, Integer.MAX_VALUE).defaultValue(3)
            .help("keep pairs seen at least N times");
    private static final Option<Double> MIN_PMI = Option.number("min-pmi", -100, 100).defaultValue(0.0)
            .help("keep pairs with PMI at least X, natural log");
    private static final Option<Path> COOCCURRENCE_OUT = Option.path("cooccurrence-out").label("FILE.csv").output()
            .help("write the co-occurring pairs");
    private static final Option<Integer> WORKERS = Option.integer("workers", 1, 1024).defaultText("the cores")
            .help("threads for large inputs");
    private static final Option<Integer> HEAD = Option.integer("head", 0, Integer.MAX_VALUE).defaultValue(0)
            .help("only the first N concepts, 0 = all");

    /** The options of {@code %associations}, {@code notebench associations} and batch tasks' args. */
    public static final OptionSet OPTIONS = OptionSet.of(INPUT, COLUMN, PATTERNS, OUT, GRAPHML, DOT, COOCCURRENCE, WINDOW,
            MIN_COUNT, MIN_PMI, COOCCURRENCE_OUT, WORKERS, HEAD);

    /** What a run found and wrote. */
    public record Result(Extraction extraction, List<Path> written) {
    }

    private final Path input;
    private final Table table;
    private final String column;
    private final Path patterns;
    private final Path out;
    private final Path graphml;
    private final Path dot;
    private final Path cooccurrenceOut;
    private final boolean cooccurrence;
    private final int window;
    private final int minCount;
    private final double minPmi;
    private final int workers;
    private final int head;

    private AssociationJob(OptionValues o, Table table) {
        if (!o.has(INPUT) && table == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give the concepts: --input FILE (a text file, one concept a"
                    + " line, or a CSV file with --column NAME)");
        }
        if (o.has(INPUT) && table != null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give --input FILE or a table, not both");
        }
        if (table != null && !o.has(COLUMN)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "name the table's column holding the concepts: --column NAME;"
                    + " its columns are " + table.columnNames());
        }
        this.input = o.get(INPUT);
        this.table = table;
        this.column = o.get(COLUMN);
        this.patterns = o.get(PATTERNS);
        this.out = o.get(OUT);
        this.graphml = o.get(GRAPHML);
        this.dot = o.get(DOT);
        this.cooccurrenceOut = o.get(COOCCURRENCE_OUT);
        this.cooccurrence = o.get(COOCCURRENCE) || o.has(COOCCURRENCE_OUT);
        if (!cooccurrence && (o.has(WINDOW) || o.has(MIN_COUNT) || o.has(MIN_PMI))) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--window, --min-count and --min-pmi go with --cooccurrence");
        }
        this.window = o.get(WINDOW);
        this.minCount = o.get(MIN_COUNT);
        this.minPmi = o.get(MIN_PMI);
        this.workers = o.has(WORKERS) ? o.get(WORKERS) : Runtime.getRuntime().availableProcessors();
        this.head = o.get(HEAD);
    }

    /**
     * Parses options.
     *
     * @param args the words after the magic's or the command's name
     * @throws NotebenchException (CONFIG_INVALID) naming the option to fix
     */
    public static AssociationJob parse(List<String> args) {
        return new AssociationJob(OPTIONS.parse(args), null);
    }

    /**
     * A job from values already parsed with {@link #OPTIONS} (by a command line derived from them, say).
     *
     * @param values the values of {@link #OPTIONS}
     * @throws NotebenchException (CONFIG_INVALID) naming the option to fix
     */
    public static AssociationJob of(OptionValues values) {
        return new AssociationJob(values, null);
    }

    /**
     * Parses options for concepts in a column of a table the caller has (a notebook's variable).
     *
     * @param args the words after the magic's name, without {@code --input}
     * @param table the table; its column is named by {@code --column}
     * @throws NotebenchException (CONFIG_INVALID) naming the option to fix
     */
    public static AssociationJob parse(List<String> args, Table table) {
        return new AssociationJob(OPTIONS.parse(args), table);
    }

    /** The options, one per line, for help texts. */
    public static String help() {
        return OPTIONS.help();
    }

    /**
     * The concepts of a table column: its cells as text.
     *
     * @throws NotebenchException (DATA_INVALID) for a missing column, a column that is not text, or one without rows
     */
    public static List<String> concepts(Table table, String column) {
        if (!table.containsColumn(column)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the table " + table.name() + " has no column '" + column
                    + "'; its columns are " + table.columnNames());
        }
        Column<?> c = table.column(column);
        if (c.type() != ColumnType.STRING) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the column '" + column + "' holds " + c.type().name().toLowerCase(
                    Locale.ROOT) + " values, not text; give a text column");
        }
        List<String> out = new ArrayList<>(c.size());
        boolean text = false;
        for (int i = 0; i < c.size(); i++) {
            String v = c.isMissing(i) ? null : c.getString(i);
            text |= v != null && !v.isBlank();
            out.add(v);
        }
        if (!text) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the column '" + column + "' of " + table.name() + " is empty;"
                    + " nothing to extract from");
        }
        return out;
    }

    /** The files this job reads and writes, for the check that no output destroys an input. */
    public OutputGuard guard() {
        return OutputGuard.builder().input("--input", input).input("--patterns", patterns).output("--out", out)
                .output("--cooccurrence-out", cooccurrenceOut).output("--graphml", graphml).output("--dot", dot).build();
    }

    /** Reads the concepts the options name. */
    public List<String> concepts() {
        List<String> concepts;
        if (table != null) {
            concepts = concepts(table, column);
        } else if (column != null || input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            if (column == null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "name the CSV column holding the concepts: --column NAME; the"
                        + " columns of " + input + " are " + CsvTables.read(input).columnNames());
            }
            concepts = concepts(CsvTables.read(input), column);
        } else {
            String text = TextFiles.readUtf8(input, "the input");
            concepts = new ArrayList<>(List.of(text.split("\r?\n", -1)));
            if (!concepts.isEmpty() && concepts.get(concepts.size() - 1).isEmpty()) {
                concepts.remove(concepts.size() - 1);
            }
            if (concepts.stream().allMatch(String::isBlank)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, input + " holds no text; give one concept a line");
            }
        }
        return head > 0 && concepts.size() > head ? concepts.subList(0, head) : concepts;
    }

    /** The extractor the options describe. */
    public Extractor extractor(Progress progress) {
        Extractor.Builder b = Extractor.builder().workers(workers).progress(progress)
                .patterns(patterns == null ? PatternSet.defaults() : PatternSet.read(patterns));
        if (cooccurrence) {
            b.cooccurrence(window, minCount, minPmi);
        }
        return b.build();
    }

    /**
     * Runs the job: reads, extracts, writes the files asked for.
     *
     * @param progress where progress is shown
     */
    public Result run(Progress progress) {
        guard().check();
        Extractor x = extractor(progress);
        List<String> concepts = concepts();
        Extraction e = x.extract(concepts);
        List<Path> written = new ArrayList<>();
        if (out != null) {
            CsvTables.write(e.table(), out);
            written.add(out);
        }
        if (cooccurrenceOut != null) {
            CsvTables.write(e.cooccurrenceTable(), cooccurrenceOut);
            written.add(cooccurrenceOut);
        }
        if (graphml != null) {
            AtomicFiles.writeString(graphml, e.graph().toGraphMl());
            written.add(graphml);
        }
        if (dot != null) {
            AtomicFiles.writeString(dot, e.graph().toDot());
            written.add(dot);
        }
        return new Result(e, List.copyOf(written));
    }

    /** One line on what a run did, e.g. for a notebook or a terminal. */
    public static String summary(Result r) {
        Extraction e = r.extraction();
        return String.format(Locale.ROOT, "%d concepts, %d sentences: %d associations, %d failed concepts%s; %.2f s on %d thread%s"
                        + " (%.0f concepts/s)%s", e.concepts(), e.sentences(), e.associations().size(), e.failures().size(),
                e.cooccurrences().isEmpty() ? "" : ", " + e.cooccurrences().size() + " co-occurring pairs", e.wall().toNanos() / 1e9,
                e.workers(), e.workers() == 1 ? "" : "s", e.conceptsPerSecond(),
                r.written().isEmpty() ? "" : "; wrote " + r.written().stream().map(Path::toString).toList());
    }
}
