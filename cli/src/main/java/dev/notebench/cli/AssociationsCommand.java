package dev.notebench.cli;

import dev.notebench.NotebenchException;
import dev.notebench.associations.AssociationJob;
import dev.notebench.associations.Extraction;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code associations}: the options of {@code %associations}. */
@Command(name = "associations", description = "Find typed relations (is-a, part-of, causes, ...) and co-occurring terms in a text"
        + " file (a concept a line) or a CSV column, on all cores; write them as CSV, GraphML or DOT."
        + " 'notebench associations --help' lists the options.")
final class AssociationsCommand extends SharedOptionsCommand {
    static final String USAGE = "notebench associations --input FILE [--column NAME] [--out FILE.csv] [--graphml FILE] [options]";

    @Override
    String usage() {
        return USAGE;
    }

    @Override
    String optionsHelp() {
        return AssociationJob.help();
    }

    @Override
    int run(List<String> words, PrintWriter out) {
        AssociationJob job;
        try {
            job = AssociationJob.parse(words);
        } catch (NotebenchException e) {
            throw usageError(e);
        }
        AssociationJob.Result r;
        try (TerminalProgress bar = new TerminalProgress(System.err)) {
            r = job.run(bar);
        }
        Extraction e = r.extraction();
        out.println(AssociationJob.summary(r));
        out.println(e.relationCounts().print());
        out.println(e.graph().edgeTable().first(15).setName("most frequent relations (head words)").print());
        if (!e.cooccurrences().isEmpty()) {
            out.println(e.cooccurrenceTable().first(15).setName("most frequent co-occurring pairs").print());
        }
        if (!e.failures().isEmpty()) {
            out.println(e.failureTable().first(20).print());
        }
        return 0;
    }
}
