package dev.notebench.associations.magic;

import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.associations.AssociationJob;
import dev.notebench.associations.Extraction;
import dev.notebench.display.Html;
import dev.notebench.magics.DeclaredMagics;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicOptions;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.options.Option;
import dev.notebench.progress.NotebookProgress;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code %associations}: typed relations and co-occurrence from a text file or a CSV column, shown
 * as tables (counts per relation, the first associations with provenance, the most frequent graph
 * edges and co-occurring pairs) and written to the files asked for.
 */
public final class AssociationMagics implements DeclaredMagics {
    static final String USAGE = "%associations --input FILE|--table VARIABLE [--column NAME] [--patterns FILE] [--out FILE.csv]"
            + " [--graphml FILE]"
            + " [--dot FILE] [--cooccurrence [--window N] [--min-count N] [--min-pmi X]] [--workers N]";

    /** {@code --table VARIABLE}: the magic's own, a notebook's table instead of {@code --input}. */
    static final Option<String> TABLE = Option.string("table").label("VARIABLE").help("instead of --input: a Tablesaw Table of this notebook (with --column)");
    /** The options: the command line's, and {@code --table}. */
    static final MagicOptions SYNTAX = MagicOptions.of("%associations", AssociationJob.OPTIONS.plus(TABLE));

    private final NotebookContext context;

    /**
     * Creates the magic.
     *
     * @param context the kernel
     */
    public AssociationMagics(NotebookContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Extracts associations.
     *
     * @param args the options ({@code --help} lists them)
     * @return what was found
     */
    @LineMagic
    @MagicDoc(usage = USAGE,
            summary = "Finds typed relations (is-a, part-of, causes, used-for, located-in, has-property, before, after) in every"
                    + " concept (a line of a text file or a cell of a CSV column), with the concept, sentence and offsets of each;"
                    + " --cooccurrence adds term pairs with PMI. Patterns are data: --patterns FILE adds your own. Large inputs"
                    + " run on all cores with the same result as one thread. '%associations --help' lists every option.",
            example = "%associations --input ../datasets/sotu/sotu-sample.txt --cooccurrence --graphml ../build/sotu.graphml")
    public Extraction associations(List<String> args) {
        if (args.contains("--help")) {
            String text = USAGE + "\n\n  --table VARIABLE                   instead of --input: a Tablesaw Table of this notebook (with --column)\n"
                    + AssociationJob.help();
            context.display().show(new Html("<pre>" + Html.escape(text) + "</pre>", text));
            return null;
        }
        List<String> rest = new java.util.ArrayList<>(args);
        tech.tablesaw.api.Table table = null;
        int at = rest.indexOf("--table");
        if (at >= 0) {
            if (at + 1 >= rest.size()) {
                throw new MagicUsageException("%associations", "--table needs the name of a Table variable", USAGE);
            }
            table = dev.notebench.magics.NotebookVariables.get(context, rest.get(at + 1), tech.tablesaw.api.Table.class,
                    "%associations", USAGE);
            rest.subList(at, at + 2).clear();
        }
        AssociationJob job;
        try {
            job = table == null ? AssociationJob.parse(rest) : AssociationJob.parse(rest, table);
        } catch (NotebenchException e) {
            throw new MagicUsageException("%associations", e.message(FrontEnd.NOTEBOOK), USAGE);
        }
        AssociationJob.Result r;
        try (NotebookProgress bar = new NotebookProgress(context.display())) {
            r = job.run(bar);
        }
        Extraction e = r.extraction();
        String line = AssociationJob.summary(r);
        context.display().show(new Html("<div style=\"font-family: monospace\">" + Html.escape(line) + "</div>", line));
        context.display().show(e.relationCounts());
        context.display().show(e.table().first(20).setName("associations: first 20 of " + e.associations().size()));
        context.display().show(e.graph().edgeTable().first(20).setName("most frequent relations (head words)"));
        if (!e.cooccurrences().isEmpty()) {
            context.display().show(e.cooccurrenceTable().first(20).setName("most frequent co-occurring pairs"));
        }
        if (!e.failures().isEmpty()) {
            context.display().show(e.failureTable().first(20));
        }
        return e;
    }

    @Override
    public Optional<MagicOptions> syntax(String magic) {
        return magic.equals("associations") ? Optional.of(SYNTAX) : Optional.empty();
    }

    /** Finds {@link AssociationMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements MagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(NotebookContext context) {
            return new AssociationMagics(context);
        }
    }
}
