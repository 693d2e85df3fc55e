package dev.notebench.train.magic;

import dev.notebench.display.Html;
import dev.notebench.magics.DeclaredMagics;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicOptions;
import dev.notebench.progress.NotebookProgress;
import dev.notebench.progress.Progress;
import dev.notebench.train.pretrained.HfCheckpoints;
import dev.notebench.train.pretrained.ModelSource;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.NotebenchException;
import dev.notebench.train.Detached;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.RunFollower;
import dev.notebench.train.RunListener;
import dev.notebench.train.RunState;
import dev.notebench.train.TrainOptions;
import dev.notebench.train.TrainRun;
import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.ModelOptions;
import dev.notebench.train.generate.ResultsJson;
import dev.notebench.train.generate.Generator;
import dev.notebench.train.generate.Scorer;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.train.notify.WebhookNotifier;
import dev.notebench.train.report.ReportOptions;
import dev.notebench.train.report.RunReport;
import dev.notebench.train.report.RunsTable;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Training and using language models from a notebook: {@code %train} (with a live status line and
 * loss plot; interrupt the cell to stop with a checkpoint, or {@code --background} and
 * {@code %train cancel}), {@code %eval}, {@code %export}, {@code %generate}, {@code %score} and {@code %runs}.
 */
public final class TrainMagics implements DeclaredMagics {
    private static final Option<Boolean> BACKGROUND = Option.flag("background")
            .help("train in a kernel thread so that the notebook stays usable; %train cancel stops it");
    private static final Option<Path> RUN = Option.path("run").label("RUN_DIR").help("the run directory");
    /** {@code %train attach --run RUN_DIR}, and {@code %train cancel} (with --run: the older spelling of --cancel). */
    static final MagicOptions TRAIN = MagicOptions.of("%train", TrainOptions.OPTIONS.plus(BACKGROUND))
            .withCommand("attach", OptionSet.of(RUN)).withCommand("cancel", OptionSet.of(RUN));
    static final String TRAIN_USAGE = TRAIN.usage();
    private static final Option<Boolean> INTERACTIVE = Option.flag("interactive")
            .help("show a form (prompt box, sliders, a Generate button) where the front end draws widgets");
    static final MagicOptions GENERATE = MagicOptions.of("%generate", ModelOptions.GENERATE.plus(INTERACTIVE));
    static final MagicOptions SCORE = MagicOptions.of("%score", ModelOptions.SCORE);
    static final MagicOptions EVAL = MagicOptions.of("%eval", ModelOptions.EVAL);
    static final MagicOptions EXPORT = MagicOptions.of("%export", ModelOptions.EXPORT);
    static final MagicOptions RUNS = MagicOptions.of("%runs", ReportOptions.RUNS);
    static final MagicOptions REPORT = MagicOptions.of("%report", ReportOptions.REPORT);
    static final String GENERATE_USAGE = GENERATE.usage();
    static final String SCORE_USAGE = SCORE.usage();

    private final NotebookContext context;
    private final Map<String, String> environment;
    private volatile TrainRun background;

    /**
     * Creates the magics over a kernel: {@code --notify} finds the webhook URL in the kernel's
     * {@linkplain NotebookContext#environment() environment}.
     *
     * @param context the kernel
     */
    public TrainMagics(NotebookContext context) {
        this(context, context.environment());
    }

    /**
     * Creates the magics.
     *
     * @param context the kernel
     * @param environment the kernel's environment, where {@code --notify} finds the webhook URL
     *     ({@value WebhookNotifier#ENV})
     */
    public TrainMagics(NotebookContext context, Map<String, String> environment) {
        this.context = Objects.requireNonNull(context, "context");
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /**
     * Trains or resumes a run, or cancels the one running in the background.
     *
     * @param args options
     * @return the run's result, or the run when started in the background
     */
    @LineMagic
    @MagicDoc(
            summary = "Trains a language model (a GPT-2-style decoder, or a char-LSTM) on a corpus with a trained tokenizer,"
                    + " writing runs/<run-id>/ (manifest, metrics.jsonl, checkpoints). A status line and a loss plot update as it"
                    + " trains. Interrupting the cell stops the run after the current step and saves a checkpoint; --resume"
                    + " continues a run exactly where its latest checkpoint left off. --background trains in a kernel thread"
                    + " so the notebook stays usable; %train cancel stops it. --detach trains in a process of its own that"
                    + " outlives the kernel (log: RUN_DIR/train.log); %train attach --run RUN_DIR shows its status and plot"
                    + " until it ends (interrupting attach leaves it training), and %train --cancel RUN_DIR stops it."
                    + " --notify posts the start, evaluations and checkpoints (at most one per 30 s) and the end to the"
                    + " webhook in the kernel's environment variable NOTEBENCH_WEBHOOK_URL (never in the notebook).",
            example = "%train --tokenizer ../build/tok --corpus ../datasets/sotu/sotu-sample.txt --set n_layer=2 --steps 200")
    public Object train(List<String> args) {
        MagicOptions.Invocation call = TRAIN.parseCommand(args);
        if (!call.command().isEmpty()) {
            return trainCommand(call.command(), call.values());
        }
        OptionValues a = call.values();
        if (a.has(TrainOptions.CANCEL)) {
            return cancel(runDir("--cancel", a.get(TrainOptions.CANCEL)));
        }
        TrainRun running = background;
        if (a.get(BACKGROUND) && running != null) {
            throw TRAIN.error("run " + running.config().runId() + " is already training in the background; %train cancel first");
        }
        if (a.get(TrainOptions.DETACH) && a.get(BACKGROUND)) {
            throw TRAIN.error("choose one of --background (a kernel thread) and --detach (a process of its own)");
        }
        boolean notify = a.get(TrainOptions.NOTIFY);
        if (notify) {
            TRAIN.checked(() -> WebhookNotifier.fromEnvironment(environment));
        }
        TrainRun run = TRAIN.checked(() -> a.has(TrainOptions.RESUME) ? TrainRun.open(a.get(TrainOptions.RESUME))
                : TrainRun.create(TrainOptions.config(a, model -> {
                    try (Progress download = Progress.onFirstStage(() -> new NotebookProgress(context.display()))) {
                        return ModelSource.resolve(model, environment, Path.of(System.getProperty("user.home")), download);
                    }
                })));
        if (a.get(TrainOptions.DETACH)) {
            Process p = Detached.start(run.directory(), ManagementFactory.getRuntimeMXBean().getInputArguments(), environment,
                    notify);
            context.display().show("Training " + run.config().runId() + " in process " + p.pid() + " (log: "
                    + run.directory().resolve(Detached.LOG) + "); follow it with %train attach --run " + run.directory()
                    + ", stop it with %train --cancel " + run.directory());
            return run.directory();
        }
        run.listener(new TrainingView(context.display()));
        WebhookNotifier notifier = notify ? WebhookNotifier.fromEnvironment(environment).build() : null;
        if (notifier != null) {
            run.listener(notifier);
        }
        if (a.get(BACKGROUND)) {
            run.checkCanRun(); // refused here, in the cell, rather than in the thread
            background = run;
            Thread t = new Thread(() -> {
                try {
                    run.run();
                } catch (RuntimeException e) {
                    // the cell has returned: show why the run stopped (the run's status says so too)
                    context.display().show(e instanceof NotebenchException ? e.toString() : "%train --background: " + e);
                } finally {
                    background = null;
                    if (notifier != null) {
                        notifier.close();
                    }
                }
            }, "notebench-train-" + run.config().runId());
            t.setDaemon(true);
            t.start();
            return run;
        }
        try {
            return run.run();
        } finally {
            if (notifier != null) {
                notifier.close();
            }
        }
    }

    /** {@code %train attach --run RUN_DIR}, {@code %train cancel} (the background run) and {@code %train cancel --run RUN_DIR}. */
    private Object trainCommand(String command, OptionValues a) {
        switch (command) {
            case "attach" -> {
                if (!a.has(RUN)) {
                    throw TRAIN.error("%train attach needs --run RUN_DIR");
                }
                RunState s = new RunFollower(runDir("--run", a.get(RUN))).follow(new TrainingView(context.display()));
                return s.ended() || s == RunState.LOST ? s.json() : "detached"; // interrupted: the run goes on
            }
            case "cancel" -> {
                if (a.has(RUN)) {
                    return cancel(runDir("--run", a.get(RUN)));
                }
                TrainRun r = background;
                if (r == null) {
                    throw TRAIN.error("no run is training in the background of this kernel");
                }
                r.cancel();
                context.display().show("Cancelling " + r.config().runId() + " after its current step");
                return r;
            }
            default -> throw new IllegalStateException("no command " + command);
        }
    }

    private Path cancel(Path dir) {
        RunDirectory.open(dir).requestCancel();
        context.display().show("Asked " + dir + " to stop after its current step");
        return dir;
    }

    private static Path runDir(String option, Path dir) {
        if (!RunDirectory.isRun(dir)) {
            throw TRAIN.error(option + " " + dir + " is not a run directory (it has no " + RunDirectory.MANIFEST + ")");
        }
        return dir.toAbsolutePath().normalize();
    }

    /**
     * Samples text from a run's model.
     *
     * @param args options and the prompt
     * @return the samples; none when {@code --interactive} showed a form (its samples appear in it)
     */
    @LineMagic
    @MagicDoc(summary = "Samples continuations of a prompt from a run's best checkpoint (--run) or a Hugging Face model (--model:"
                    + " a directory, or org/name from the Hugging Face cache): greedy at --temperature 0, else with"
                    + " temperature, top-k and top-p; --n sequences at once; --stop ends a sequence at a text. The same --seed"
                    + " gives the same text. --interactive shows a form instead (a prompt box, sliders for the temperature,"
                    + " top-p and max tokens, and a Generate button whose samples appear below it) where the front end draws"
                    + " Jupyter widgets; elsewhere it generates once.",
            example = "%generate --run ../build/runs/gpt-sotu --max-new-tokens 60 --temperature 0.8 My fellow Americans")
    public List<Generator.Sample> generate(List<String> args) {
        OptionValues a = GENERATE.parse(args);
        GenerateOptions o = GENERATE.checked(() -> GenerateOptions.from(a));
        String prompt = String.join(" ", a.positional());
        boolean interactive = a.get(INTERACTIVE);
        try (TrainedModel m = open(GENERATE, a)) { // also checks the run before a form is shown
            if (interactive && context.display().showsWidgets()) {
                // a run is reloaded at each click (its best checkpoint may change while it trains); a model is not
                GenerateForm form = a.has(ModelOptions.RUN) ? new GenerateForm(a.get(ModelOptions.RUN), prompt, o, TrainedModel::load)
                        : new GenerateForm(m.checkpoint(), prompt, o, HfCheckpoints::load);
                context.display().show(form.form);
                return List.of();
            }
            if (interactive) {
                context.display().show(GenerateForm.unavailable());
            }
            List<Generator.Sample> samples = new Generator(m).generate(prompt, o);
            context.display().show(a.get(ModelOptions.JSON) ? ResultsJson.samples(m.checkpoint().toString(), samples)
                    : samplesHtml(prompt, samples));
            return samples;
        }
    }

    /**
     * The run ({@code --run}) or Hugging Face model ({@code --model}, found with the kernel's
     * environment: {@code HF_HOME}, {@code HF_TOKEN}, ...) a magic names; a download shows a progress bar.
     */
    private TrainedModel open(MagicOptions magic, OptionValues a) {
        magic.checked(() -> ModelSource.check(a));
        return withModel(a, bar -> ModelSource.open(a, environment, Path.of(System.getProperty("user.home")), bar));
    }

    /**
     * Does work with the model the options name; a progress bar is shown only when a stage starts
     * (a Hugging Face model being downloaded), not for a run or a model already at hand.
     */
    private <T> T withModel(OptionValues a, java.util.function.Function<Progress, T> work) {
        try (Progress bar = Progress.onFirstStage(() -> new NotebookProgress(context.display()))) {
            return work.apply(bar);
        }
    }

    /** Samples as HTML, each after its prompt in bold, with why it stopped; as text, separated by {@code ---}. */
    static Html samplesHtml(String prompt, List<Generator.Sample> samples) {
        StringBuilder html = new StringBuilder("<div class=\"notebench-samples\">");
        StringBuilder text = new StringBuilder();
        for (Generator.Sample s : samples) {
            html.append("<p><b>").append(Html.escape(prompt)).append("</b>").append(Html.escape(s.text())
                    .replace("\n", "<br>")).append(" <small>[").append(s.stopReason()).append("]</small></p>");
            text.append(prompt).append(s.text()).append("\n---\n");
        }
        return new Html(html.append("</div>").toString(), text.toString());
    }

    /**
     * Scores a text under a run's model.
     *
     * @param args options and the text
     * @return the score
     */
    @LineMagic
    @MagicDoc(summary = "Scores a text under a run's best checkpoint (--run) or a Hugging Face model (--model): loss and perplexity, and a table of every token with its"
                    + " surprisal (-ln p given the tokens before it) and the model's top predictions at that position.",
            example = "%score --run ../build/runs/gpt-sotu The state of our Union is strong.")
    public Scorer.Score score(List<String> args) {
        OptionValues a = SCORE.parse(args);
        String text = String.join(" ", a.positional());
        int k = a.get(ModelOptions.SCORE_TOP_K);
        try (TrainedModel m = open(SCORE, a)) {
            Scorer.Score s = new Scorer(m).score(text, k);
            if (a.get(ModelOptions.JSON)) {
                context.display().show(ResultsJson.score(m.checkpoint().toString(), s));
                return s;
            }
            IntColumn pos = IntColumn.create("position");
            StringColumn tok = StringColumn.create("token");
            DoubleColumn sur = DoubleColumn.create("surprisal");
            StringColumn top = StringColumn.create("top predictions");
            for (int i = 0; i < s.ids().length; i++) {
                pos.append(i);
                tok.append(s.tokens().get(i).replace(" ", "␣").replace("\n", "\\n"));
                sur.append(s.surprisal()[i]);
                List<String> preds = new ArrayList<>();
                for (Scorer.Prediction p : s.topK().get(i)) {
                    preds.add(String.format(Locale.ROOT, "%s (%.2f)", p.text().replace(" ", "␣").replace("\n", "\\n"), p.probability()));
                }
                top.append(String.join(", ", preds));
            }
            sur.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3)); // nats to 3 places, not 16 digits
            context.display().show(String.format(Locale.ROOT, "loss %.4f nats/token, perplexity %.2f over %d tokens",
                    s.loss(), s.perplexity(), s.ids().length - 1));
            context.display().show(Table.create("token surprisal", pos, tok, sur, top));
            return s;
        }
    }

    /**
     * Evaluates a run's model, or a Hugging Face model on a file.
     *
     * @param args options
     * @return the metrics
     */
    @LineMagic("eval")
    @MagicDoc(summary = "Evaluates a run's best checkpoint on its whole validation split, or on --file: loss, perplexity, tokens"
                    + " per character, written to eval/metrics.json; samples from fixed prompts (or --prompt) to eval/samples.jsonl."
                    + " A Hugging Face model (--model) has no validation split: it is evaluated on --file, and nothing is written.",
            example = "%eval --run ../build/runs/gpt-sotu")
    public Evaluator.Metrics evaluate(List<String> args) {
        OptionValues a = EVAL.parse(args);
        EVAL.checked(() -> ModelSource.checkEval(a));
        Evaluator.Metrics m = withModel(a, bar -> ModelSource.evaluate(a, environment, Path.of(System.getProperty("user.home")), bar));
        String of = a.has(ModelOptions.RUN) ? a.get(ModelOptions.RUN).getFileName().toString() : a.get(ModelOptions.MODEL);
        context.display().show(Table.create("evaluation of " + of,
                StringColumn.create("metric", "source", "checkpoint", "tokens", "loss", "perplexity", "tokens per char"),
                StringColumn.create("value", m.source(), m.step() >= 0 ? m.checkpoint() + " (step " + (m.step() + 1) + ")" : m.checkpoint(),
                        String.valueOf(m.tokens()), String.format(Locale.ROOT, "%.4f", m.loss()),
                        String.format(Locale.ROOT, "%.2f", m.perplexity()), String.format(Locale.ROOT, "%.3f", m.tokensPerChar()))));
        return m;
    }

    /**
     * Exports a run's model, or re-saves a loaded one, as a Hugging Face checkpoint.
     *
     * @param args options
     * @return the directory written
     */
    @LineMagic
    @MagicDoc(summary = "Saves a run's best checkpoint (gpt or llama, with its bpe tokenizer) or a Hugging Face model (--model) as a"
                    + " Hugging Face checkpoint directory: config.json, generation_config.json, model.safetensors, tokenizer.json and"
                    + " tokenizer_config.json, which transformers' AutoModelForCausalLM and AutoTokenizer load. A LoRA run exports"
                    + " with its adapters merged in, or with --adapters its adapters alone in PEFT's format.",
            example = "%export --run ../build/runs/llama-sotu --out ../build/exports/llama-sotu")
    public Path export(List<String> args) {
        OptionValues a = EXPORT.parse(args);
        EXPORT.checked(() -> ModelSource.check(a));
        Path written = withModel(a, bar -> ModelSource.export(a, environment, Path.of(System.getProperty("user.home")), bar))
                .toAbsolutePath().normalize();
        String where = "<code>" + Html.escape(written.toString()) + "</code>";
        context.display().show(a.get(ModelOptions.ADAPTERS)
                ? new Html("Exported the adapters to " + where + ": <code>PeftModel.from_pretrained(base_model, dir)</code> loads"
                        + " them", "Exported the adapters to " + written)
                : new Html("Exported to " + where + ": <code>AutoModelForCausalLM.from_pretrained</code> and"
                        + " <code>AutoTokenizer.from_pretrained</code> load it", "Exported to " + written));
        return written;
    }

    /**
     * Lists runs.
     *
     * @param args options
     * @return the table shown
     */
    @LineMagic
    @MagicDoc(summary = "Lists the runs in a runs directory (default runs/) with their family, status, step, best validation loss,"
                    + " latest checkpoint, owner (the process that trains it) and last heartbeat. A run whose process is gone"
                    + " without finishing (killed, crashed) reads lost: --resume continues it from its latest checkpoint.",
            example = "%runs --runs-dir ../build/runs")
    public Table runs(List<String> args) {
        Table t = RunsTable.of(RUNS.parse(args).get(ReportOptions.RUNS_DIR));
        context.display().show(t);
        return t;
    }

    /**
     * Writes a self-contained HTML report of a run, or a comparison of runs.
     *
     * @param args runs and options
     * @return the file written
     */
    @LineMagic
    @MagicDoc(summary = "Writes one self-contained HTML file about a run (or several compared): summary, loss and training curves"
                    + " (plotly inlined, so it opens offline), evaluation metrics and samples, configuration, data and tokenizer"
                    + " facts, versions; secrets are left out. A RUN is a run id under --runs-dir (default runs/) or a run"
                    + " directory. Default file: RUN_DIR/report.html, or compare-A-vs-B.html in the runs directory.",
            example = "%report gpt-sotu --out gpt-sotu.html")
    public Path report(List<String> args) {
        OptionValues a = REPORT.parse(args);
        Path runsDir = a.get(ReportOptions.RUNS_DIR);
        List<Path> dirs = new ArrayList<>();
        for (String n : a.positional()) {
            dirs.add(RunReport.locate(runsDir, n));
        }
        RunReport report = RunReport.of(dirs.toArray(new Path[0])).environment(environment).smoothing(a.get(ReportOptions.SMOOTHING));
        Path out = a.has(ReportOptions.OUT) ? a.get(ReportOptions.OUT) : report.defaultFile();
        Path written = report.write(out).toAbsolutePath().normalize();
        long kb = (written.toFile().length() + 1023) / 1024;
        context.display().show(new Html("Report written to <code>" + Html.escape(written.toString()) + "</code> ("
                + kb + " KB, opens offline)", "Report written to " + written + " (" + kb + " KB)"));
        return written;
    }

    @Override
    public Optional<MagicOptions> syntax(String magic) {
        return Optional.ofNullable(switch (magic) {
            case "train" -> TRAIN;
            case "generate" -> GENERATE;
            case "score" -> SCORE;
            case "eval" -> EVAL;
            case "export" -> EXPORT;
            case "runs" -> RUNS;
            case "report" -> REPORT;
            default -> null;
        });
    }

    /** Finds {@link TrainMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements MagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(NotebookContext context) {
            return new TrainMagics(context);
        }
    }
}
