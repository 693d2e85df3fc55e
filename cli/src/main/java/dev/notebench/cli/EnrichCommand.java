package dev.notebench.cli;

import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.CostEstimate;
import dev.notebench.enrich.EnrichJob;
import dev.notebench.enrich.EnrichOptions;
import dev.notebench.enrich.EnrichSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code enrich}: the options of {@code %%enrich}, with the instructions from {@code --instructions}
 * or a file. The exit status says how the job ended: {@value #ALL_LABELLED} every row labelled,
 * {@value #ROWS_FAILED} the job finished but rows failed (their reasons in {@code enrich_error};
 * {@code --resume} asks them again), 1 the job stopped (an error; settled rows are journalled),
 * 2 wrong usage.
 */
@Command(name = "enrich", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
        customSynopsis = EnrichCommand.USAGE, footer = EnrichCommand.EXIT_STATUS, description = "Add columns to a CSV table with an OpenAI-compatible LLM, or offline with the embedded"
        + " labeler: rows packed per call, calls in parallel, answers checked, bad rows asked again, settled rows journalled so"
        + " that --resume continues a stopped run. Exit status: 0 every row labelled, 3 rows failed, 1 stopped by an error,"
        + " 2 wrong usage. 'notebench enrich --help' lists the options.")
final class EnrichCommand implements Callable<Integer>, Declared.Command {
    static final String USAGE = "notebench enrich --input FILE.csv --text COLUMN --labels A,B,C --out FILE.csv"
            + " [--instructions TEXT | --instructions-file FILE] [options]";

    /** The exit status when every row was labelled. */
    static final int ALL_LABELLED = 0;

    /** The exit status when the job finished but some or all rows failed. */
    static final int ROWS_FAILED = 3;

    static final String EXIT_STATUS = """

            Exit status:
              0  every row labelled
              3  the job finished, but rows failed: their reasons are in the
                 enrich_error column and on standard error; fix the cause and run
                 again with --resume to ask them again (--resume --keep-failed
                 keeps them as failed)
              1  the job stopped (bad key, server unreachable, bad journal, ...):
                 the settled rows are journalled; fix the cause and run again
                 with --resume
              2  wrong usage
            """;


    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public OptionSet options() {
        return EnrichOptions.OPTIONS;
    }

    @Override
    public Integer call() {
        OptionValues v = Declared.values(spec, options());
        PrintWriter out = spec.commandLine().getOut();
        EnrichJob job;
        try {
            job = EnrichOptions.job(v, "", System.getenv(), Path.of(System.getProperty("user.home")));
        } catch (NotebenchException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.message(FrontEnd.COMMAND_LINE));
        }
        if (job.dryRun()) {
            CostEstimate e = job.estimate();
            out.println(e.overview().print());
            out.println(e.firstRequest().isEmpty() ? "The local labeler runs here: nothing is sent, nothing is billed."
                    : e.batchJob() ? "The first of the batch job's " + e.calls() + " JSONL lines, as uploaded (headers and the key are"
                    + " never in it):\n" + e.firstRequest()
                    : "The first call's request (its messages and response_format; headers and the key are never shown):\n"
                    + e.firstRequest());
            out.flush();
            return ALL_LABELLED;
        }
        if (job.sample() > 0) {
            EnrichJob.Sampled sampled;
            try (TerminalProgress bar = new TerminalProgress(System.err)) {
                sampled = job.runSample(bar, EnrichCommand.class.getClassLoader(), () -> false);
            }
            out.println(sampled.shown().print(sampled.shown().rowCount()));
            out.println(sampled.outcome().result().summary().overview().print());
            if (sampled.remaining() != null) {
                out.println(sampled.remaining().overview().setName("estimate for the other " + sampled.remaining().rows() + " rows")
                        .print());
            }
            sampled.outcome().gold().ifPresent(g -> g.tables().forEach(t -> out.println(t.print())));
            out.println(sampled.next());
            out.flush();
            return ALL_LABELLED;
        }
        EnrichJob.Outcome o;
        try (TerminalProgress bar = new TerminalProgress(System.err)) {
            o = job.run(bar, EnrichCommand.class.getClassLoader());
        }
        EnrichSummary s = o.result().summary();
        out.println(o.headline());
        out.println(s.overview().print());
        if (s.labels().rowCount() > 0) {
            out.println(s.labels().print());
        }
        if (s.failed() > 0) {
            out.println(s.failures().first(20).print());
        }
        o.cascade().ifPresent(c -> {
            out.println(c.headline());
            out.println(c.explanation());
            c.tables().forEach(t -> out.println(t.print()));
        });
        o.gold().ifPresent(g -> g.tables().forEach(t -> out.println(t.print())));
        out.flush();
        if (o.failureAdvice().isPresent()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("notebench: " + o.failureAdvice().get());
            err.flush();
            return ROWS_FAILED;
        }
        return ALL_LABELLED;
    }
}
