package dev.notebench.cli;

import dev.notebench.NotebenchException;
import dev.notebench.enrich.EnrichJob;
import dev.notebench.enrich.EnrichOptions;
import dev.notebench.enrich.EnrichSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code enrich}: the options of {@code %%enrich}, with the instructions from {@code --instructions} or a file. */
@Command(name = "enrich", description = "Add columns to a CSV table with an OpenAI-compatible LLM, or offline with the embedded"
        + " labeler: rows packed per call, calls in parallel, answers checked, bad rows asked again, settled rows journalled so"
        + " that --resume continues a stopped run. 'notebench enrich --help' lists the options.")
final class EnrichCommand extends SharedOptionsCommand {
    static final String USAGE = "notebench enrich --input FILE.csv --text COLUMN --labels A,B,C --out FILE.csv"
            + " [--instructions TEXT | --instructions-file FILE] [options]";

    @Override
    String usage() {
        return USAGE;
    }

    @Override
    String optionsHelp() {
        return EnrichOptions.help();
    }

    @Override
    int run(List<String> words, PrintWriter out) {
        EnrichJob job;
        try {
            job = EnrichOptions.parse(words, "", System.getenv(), Path.of(System.getProperty("user.home")));
        } catch (NotebenchException e) {
            throw usageError(e);
        }
        EnrichJob.Outcome o;
        try (TerminalProgress bar = new TerminalProgress(System.err)) {
            o = job.run(bar, EnrichCommand.class.getClassLoader());
        }
        EnrichSummary s = o.result().summary();
        out.println(s.labelled() + " of " + s.rows() + " rows labelled, " + s.failed() + " failed"
                + (s.resumed() > 0 ? ", " + s.resumed() + " resumed from the journal" : "") + "; written to " + o.output());
        out.println(s.overview().print());
        if (s.labels().rowCount() > 0) {
            out.println(s.labels().print());
        }
        if (s.failed() > 0) {
            out.println(s.failures().first(20).print());
        }
        return 0;
    }
}
