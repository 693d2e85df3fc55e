package dev.notebench.enrich.magic;

import dev.notebench.FrontEnd;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.display.Html;
import dev.notebench.enrich.CostEstimate;
import dev.notebench.enrich.EnrichJob;
import dev.notebench.enrich.EnrichOptions;
import dev.notebench.enrich.EnrichSummary;
import dev.notebench.enrich.GoldEvaluation;
import dev.notebench.magics.DeclaredMagics;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicOptions;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.options.Option;
import dev.notebench.plots.CountHeatmap;
import dev.notebench.plots.PlotlyFigure;
import dev.notebench.progress.NotebookProgress;
import dev.notebench.widgets.Button;
import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import tech.tablesaw.api.Table;

/**
 * {@code %%enrich}: new columns for a CSV table from an LLM or the embedded labeler, with the cell
 * body as instructions. Progress (rows, calls in flight, re-asks, failures) shows while it runs;
 * then the summary, the label counts, any failed rows with their reasons, with {@code --gold} the
 * scores against the gold column and the confusion matrix as a heatmap, with {@code --cascade} the
 * per-stage table and what it saved, and the first rows. When
 * rows failed, a warning says how many, the most common reason and that {@code --resume} asks them
 * again; when every row failed, the cell fails with that message (after showing the summary), so
 * that a notebook run stops there as {@code notebench enrich} exits non-zero. Where the front end
 * draws widgets, a Stop button under the progress bar stops the job with its rows journalled.
 */
public final class EnrichMagics implements DeclaredMagics {
    static final String USAGE = "%%enrich --input FILE.csv|--table VARIABLE --text COLUMN --labels A,B,C --out FILE.csv [--single]"
            + " [--batch N] [--workers N] [--resume] [--examples-column COLUMN] [--base-url URL --model NAME --key-env VAR] ...";

    /** {@code --table VARIABLE}: the magic's own, a notebook's table instead of {@code --input}. */
    static final Option<String> TABLE = Option.string("table").label("VARIABLE").help("instead of --input: a Tablesaw Table of this notebook");
    /** The options: the command line's, and {@code --table}. */
    static final MagicOptions SYNTAX = MagicOptions.of("%%enrich", EnrichOptions.OPTIONS.plus(TABLE));

    private final NotebookContext context;
    private final Map<String, String> environment;
    private final Path home;

    /**
     * Creates the magic.
     *
     * @param context the kernel
     */
    public EnrichMagics(NotebookContext context) {
        this(context, context.environment(), Path.of(System.getProperty("user.home")));
    }

    EnrichMagics(NotebookContext context, Map<String, String> environment, Path home) {
        this.context = Objects.requireNonNull(context, "context");
        this.environment = Map.copyOf(environment);
        this.home = home;
    }

    /**
     * Enriches a CSV file.
     *
     * @param args the options ({@code --help} lists them)
     * @param body the instructions for the model; for the embedded labeler, lines {@code label: description}
     */
    @CellMagic
    @MagicDoc(usage = USAGE,
            summary = "Adds columns to a CSV table: rows packed --batch to a call, --workers calls in flight (fewer while"
                    + " the server answers 429), every answered row checked and bad ones asked again, settled rows journalled"
                    + " beside --out so that --resume continues a stopped run and asks failed rows again (a warning names"
                    + " them; the cell fails when no row was labelled). Without --base-url/--model it runs the"
                    + " embedded labeler offline (local embeddings; --examples-column COLUMN learns from up to 20 labelled rows"
                    + " per label). The cell body holds the instructions. '%%enrich --help' lists every option.",
            example = "%%enrich --input ../datasets/spam/spamassassin-subjects.csv --text subject --labels spam,ham --single"
                    + " --examples-column label --head 500 --out ../build/spam-labelled.csv\n"
                    + "spam: Make money fast! Free offer, act now, lowest mortgage rates, win cash\n"
                    + "ham: Re: [mailing list] discussion about the software bug, patch, release")
    public void enrich(List<String> args, String body) {
        if (args.contains("--help")) {
            String text = USAGE + "\n\n  --table VARIABLE                   instead of --input: a Tablesaw Table of this notebook\n"
                    + EnrichOptions.help();
            context.display().show(new Html("<pre>" + Html.escape(text) + "</pre>", text));
            return;
        }
        List<String> rest = new java.util.ArrayList<>(args);
        Table table = null;
        int at = rest.indexOf("--table");
        if (at >= 0) {
            if (at + 1 >= rest.size()) {
                throw new MagicUsageException("%%enrich", "--table needs the name of a Table variable", USAGE);
            }
            String name = rest.get(at + 1);
            rest.subList(at, at + 2).clear();
            table = dev.notebench.magics.NotebookVariables.get(context, name, Table.class, "%%enrich", USAGE);
        }
        EnrichJob job;
        try {
            job = EnrichOptions.parse(rest, body == null ? "" : body, environment, home, table);
        } catch (NotebenchException e) {
            throw new MagicUsageException("%%enrich", e.message(FrontEnd.NOTEBOOK), USAGE);
        }
        if (job.dryRun()) {
            CostEstimate e = job.estimate();
            context.display().show(e.overview());
            String prompt = e.firstRequest().isEmpty() ? "The local labeler runs here: nothing is sent, nothing is billed."
                    : e.batchJob() ? "The first of the batch job's " + e.calls() + " JSONL lines, as uploaded (headers and the key"
                    + " are never in it):\n" + e.firstRequest()
                    : "The first call's request (messages and response_format; headers and the key are never shown):\n" + e.firstRequest();
            context.display().show(new Html("<pre>" + Html.escape(prompt) + "</pre>", prompt));
            return;
        }
        AtomicBoolean stop = new AtomicBoolean();
        if (job.sample() > 0) {
            EnrichJob.Sampled sampled;
            try (NotebookProgress bar = new NotebookProgress(context.display()); Button stopButton = stopButton(stop)) {
                sampled = job.runSample(bar, EnrichMagics.class.getClassLoader(), stop::get);
            }
            context.display().show(sampled.shown());
            context.display().show(sampled.outcome().result().summary().overview());
            if (sampled.remaining() != null) {
                context.display().show(sampled.remaining().overview().setName("estimate for the other " + sampled.remaining().rows()
                        + " rows"));
            }
            sampled.outcome().gold().ifPresent(this::showGold);
            String next = sampled.next().replace("the same command", "the same cell");
            context.display().show(new Html("<div style=\"font-family: monospace\">" + Html.escape(next) + "</div>", next));
            return;
        }
        EnrichJob.Outcome outcome;
        try (NotebookProgress bar = new NotebookProgress(context.display()); Button stopButton = stopButton(stop)) {
            outcome = job.run(bar, EnrichMagics.class.getClassLoader(), stop::get);
        }
        EnrichSummary s = outcome.result().summary();
        String line = outcome.headline();
        context.display().show(new Html("<div style=\"font-family: monospace\">" + Html.escape(line) + "</div>", line));
        java.util.Optional<String> advice = outcome.failureAdvice();
        if (advice.isPresent()) {
            String warning = "Warning: " + advice.get();
            context.display().show(new Html("<div style=\"font-family: monospace; color: #b00020; font-weight: bold\">"
                    + Html.escape(warning) + "</div>", warning));
        }
        context.display().show(s.overview());
        if (s.labels().rowCount() > 0) {
            context.display().show(s.labels());
        }
        if (s.failed() > 0) {
            context.display().show(s.failures().first(20));
        }
        if (s.labelled() == 0 && advice.isPresent()) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, advice.get());
        }
        outcome.cascade().ifPresent(c -> {
            String headline = c.headline() + "\n" + c.explanation();
            context.display().show(new Html("<div style=\"font-family: monospace; white-space: pre-wrap\">" + Html.escape(headline)
                    + "</div>", headline));
            c.tables().forEach(context.display()::show);
        });
        outcome.gold().ifPresent(this::showGold);
        Table result = outcome.result().table();
        context.display().show(result.first(10).setName(result.name() + (result.rowCount() <= 10 ? ": " + result.rowCount() + " rows"
                : ": first 10 of " + result.rowCount() + " rows")));
    }

    /** The gold evaluation's tables, and its confusion matrix as a heatmap of counts (for labels). */
    private void showGold(GoldEvaluation gold) {
        gold.tables().forEach(context.display()::show);
        Table c = gold.confusion();
        if (c.rowCount() > 0) {
            context.display().show(confusionHeatmap(c));
        }
    }

    /** The confusion matrix as a heatmap: gold values down, predicted labels (and failed) across, the counts in the cells. */
    static PlotlyFigure confusionHeatmap(Table confusion) {
        List<String> columns = confusion.columnNames().subList(1, confusion.columnCount());
        long[][] counts = new long[confusion.rowCount()][columns.size()];
        for (int r = 0; r < counts.length; r++) {
            for (int c = 0; c < columns.size(); c++) {
                counts[r][c] = confusion.intColumn(c + 1).getInt(r);
            }
        }
        return CountHeatmap.of("Confusion matrix against the gold labels", "predicted", "gold",
                confusion.stringColumn(0).asList(), columns, counts);
    }

    /**
     * Shows a Stop button under the progress bar where the front end draws widgets: a click lets
     * the calls in flight finish (their rows journalled) and starts no new one; the cell then fails
     * saying how many rows were settled, and running it again with --resume finishes. Closed when
     * the job ends; {@code null} (nothing shown) elsewhere.
     */
    private Button stopButton(AtomicBoolean stop) {
        if (!context.display().showsWidgets()) {
            return null;
        }
        Button b = new Button("Stop").icon("stop").buttonStyle("danger")
                .tooltip("Stop after the calls in flight; their rows are journalled and --resume finishes the job (a --batch-api"
                        + " job keeps running, and --resume collects it; with --cancel-batch it is cancelled)")
                .domClasses(List.of("notebench-enrich-stop"));
        b.onClick(x -> {
            stop.set(true);
            x.disabled(true).description("Stopping…");
        });
        context.display().show(b);
        return b;
    }

    @Override
    public Optional<MagicOptions> syntax(String magic) {
        return magic.equals("enrich") ? Optional.of(SYNTAX) : Optional.empty();
    }

    /** Finds {@link EnrichMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements MagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(NotebookContext context) {
            return new EnrichMagics(context);
        }
    }
}
