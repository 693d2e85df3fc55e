package dev.notebench.cli;

import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.associations.AssociationJob;
import dev.notebench.associations.Extraction;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code associations}: the options of {@code %associations}. */
@Command(name = "associations", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
        customSynopsis = AssociationsCommand.USAGE, description = "Find typed relations (is-a, part-of, causes, ...) and co-occurring terms in a text"
        + " file (a concept a line) or a CSV column, on all cores; write them as CSV, GraphML or DOT."
        + " 'notebench associations --help' lists the options.")
final class AssociationsCommand implements Callable<Integer>, Declared.Command {
    static final String USAGE = "notebench associations --input FILE [--column NAME] [--out FILE.csv] [--graphml FILE] [options]";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public OptionSet options() {
        return AssociationJob.OPTIONS;
    }

    @Override
    public Integer call() {
        OptionValues v = Declared.values(spec, options());
        PrintWriter out = spec.commandLine().getOut();
        AssociationJob job;
        try {
            job = AssociationJob.of(v);
        } catch (NotebenchException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.message(FrontEnd.COMMAND_LINE));
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
