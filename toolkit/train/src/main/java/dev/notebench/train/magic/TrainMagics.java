package dev.notebench.train.magic;

import dev.notebench.display.Html;
import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.MagicSyntax;
import dev.notebench.magics.MagicUsageException;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.NotebenchException;
import dev.notebench.train.Detached;
import dev.notebench.train.Precision;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.RunFollower;
import dev.notebench.train.RunListener;
import dev.notebench.train.RunState;
import dev.notebench.train.TrainConfig;
import dev.notebench.train.TrainRun;
import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.Generator;
import dev.notebench.train.generate.Scorer;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.notify.WebhookNotifier;
import dev.notebench.train.report.RunReport;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicsArgs;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Training and using language models from a notebook: {@code %train} (with a live status line and
 * loss plot; interrupt the cell to stop with a checkpoint, or {@code --background} and
 * {@code %train cancel}), {@code %eval}, {@code %generate}, {@code %score} and {@code %runs}.
 */
public final class TrainMagics {
    static final String TRAIN_USAGE = "%train --tokenizer DIR --corpus PATH|GLOB [--family gpt|char-lstm] [--set KEY=VALUE]..."
            + " [--steps N] [--batch N] [--grad-accum N] [--lr X] [--warmup N] [--weight-decay X] [--clip X] [--eval-every N]"
            + " [--eval-batches N] [--patience N] [--seed N] [--device auto|cpu|cuda] [--precision fp32] [--threads N]"
            + " [--runs-dir DIR] [--run-id ID] [--background | --detach] [--notify]"
            + "  |  %train --resume RUN_DIR [--background | --detach] [--notify]"
            + "  |  %train attach --run RUN_DIR  |  %train cancel [--run RUN_DIR]";
    static final String GENERATE_USAGE = "%generate --run RUN_DIR [--max-new-tokens N] [--temperature T] [--top-k K] [--top-p P]"
            + " [--seed S] [--n N] [--stop TEXT]... [--interactive] PROMPT...";
    static final String SCORE_USAGE = "%score --run RUN_DIR [--top-k K] TEXT...";
    static final String EVAL_USAGE = "%eval --run RUN_DIR [--file PATH] [--prompt TEXT]...";
    static final String RUNS_USAGE = "%runs [--runs-dir DIR]";
    static final String REPORT_USAGE = "%report RUN [RUN]... [--runs-dir DIR] [--out FILE.html] [--smoothing W]";

    private static final MagicSyntax TRAIN = MagicSyntax.of("%train", TRAIN_USAGE, MagicsArgs.builder().optional("command")
            .keyword("tokenizer").keyword("corpus").keyword("family").keyword("set").keyword("steps").keyword("batch")
            .keyword("grad-accum").keyword("lr").keyword("warmup").keyword("weight-decay").keyword("clip").keyword("eval-every")
            .keyword("eval-batches").keyword("patience").keyword("seed").keyword("device").keyword("precision")
            .keyword("threads").keyword("runs-dir").keyword("run-id").keyword("resume").keyword("background")
            .keyword("detach").keyword("run").keyword("notify").onlyKnownKeywords().onlyKnownFlags().build())
            .withSwitches("background", "detach", "notify");
    private static final MagicSyntax GENERATE = MagicSyntax.of("%generate", GENERATE_USAGE, MagicsArgs.builder()
            .varargs("prompt").keyword("run").keyword("max-new-tokens").keyword("temperature").keyword("top-k")
            .keyword("top-p").keyword("seed").keyword("n").keyword("stop").keyword("interactive").onlyKnownKeywords()
            .onlyKnownFlags().build()).withSwitches("interactive");
    private static final MagicSyntax SCORE = MagicSyntax.of("%score", SCORE_USAGE, MagicsArgs.builder()
            .varargs("text").keyword("run").keyword("top-k").onlyKnownKeywords().onlyKnownFlags().build());
    private static final MagicSyntax EVAL = MagicSyntax.of("%eval", EVAL_USAGE, MagicsArgs.builder()
            .keyword("run").keyword("file").keyword("prompt").onlyKnownKeywords().onlyKnownFlags().build());
    private static final MagicSyntax RUNS = MagicSyntax.of("%runs", RUNS_USAGE, MagicsArgs.builder()
            .keyword("runs-dir").onlyKnownKeywords().onlyKnownFlags().build());

    private static final MagicSyntax REPORT = MagicSyntax.of("%report", REPORT_USAGE, MagicsArgs.builder()
            .varargs("run").keyword("runs-dir").keyword("out").keyword("smoothing").onlyKnownKeywords().onlyKnownFlags().build());

    private final NotebookContext context;
    private final Map<String, String> environment;
    private volatile TrainRun background;

    /**
     * Creates the magics without an environment: {@code --notify} finds no webhook URL.
     *
     * @param context the kernel
     */
    public TrainMagics(NotebookContext context) {
        this(context, Map.of());
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
    @MagicDoc(usage = TRAIN_USAGE,
            summary = "Trains a language model (a GPT-2-style decoder, or a char-LSTM) on a corpus with a trained tokenizer,"
                    + " writing runs/<run-id>/ (manifest, metrics.jsonl, checkpoints). A status line and a loss plot update as it"
                    + " trains. Interrupting the cell stops the run after the current step and saves a checkpoint; --resume"
                    + " continues a run exactly where its latest checkpoint left off. --background trains in a kernel thread"
                    + " so the notebook stays usable; %train cancel stops it. --detach trains in a process of its own that"
                    + " outlives the kernel (log: RUN_DIR/train.log); %train attach --run RUN_DIR shows its status and plot"
                    + " until it ends (interrupting attach leaves it training), and %train cancel --run RUN_DIR stops it."
                    + " --notify posts the start, evaluations and checkpoints (at most one per 30 s) and the end to the"
                    + " webhook in the kernel's environment variable NOTEBENCH_WEBHOOK_URL (never in the notebook).",
            example = "%train --tokenizer ../build/tok --corpus ../datasets/sotu/sotu-sample.txt --set n_layer=2 --steps 200")
    public Object train(List<String> args) {
        MagicSyntax.Arguments a = TRAIN.parse(args);
        String command = a.get("command", "");
        if (command.equals("cancel") && a.has("run")) {
            Path dir = runDir(a);
            RunDirectory.open(dir).requestCancel();
            context.display().show("Asked " + dir + " to stop after its current step");
            return dir;
        }
        if (command.equals("attach")) {
            if (!a.has("run")) {
                throw TRAIN.error("%train attach needs --run RUN_DIR");
            }
            RunState s = new RunFollower(runDir(a)).follow(new TrainingView(context.display()));
            return s.ended() || s == RunState.LOST ? s.json() : "detached"; // interrupted: the run goes on
        }
        if (command.equals("cancel")) {
            TrainRun r = background;
            if (r == null) {
                throw TRAIN.error("no run is training in the background of this kernel");
            }
            r.cancel();
            context.display().show("Cancelling " + r.config().runId() + " after its current step");
            return r;
        }
        if (!command.isEmpty()) {
            throw TRAIN.error("unknown command '" + command + "'; the commands are attach and cancel");
        }
        TrainRun running = background;
        if (a.has("background") && running != null) {
            throw TRAIN.error("run " + running.config().runId() + " is already training in the background; %train cancel first");
        }
        if (a.has("detach") && a.has("background")) {
            throw TRAIN.error("choose one of --background (a kernel thread) and --detach (a process of its own)");
        }
        boolean notify = a.has("notify");
        if (notify) {
            try {
                WebhookNotifier.fromEnvironment(environment);
            } catch (NotebenchException e) {
                throw TRAIN.error(e.getMessage());
            }
        }
        TrainRun run;
        try {
            run = a.has("resume") ? TrainRun.open(Path.of(a.get("resume", ""))) : TrainRun.create(config(a));
        } catch (MagicUsageException e) {
            throw e;
        } catch (NotebenchException e) {
            if (e.code() == dev.notebench.ErrorCode.CONFIG_INVALID) {
                throw TRAIN.error(e.getMessage());
            }
            throw e;
        }
        if (a.has("detach")) {
            Process p = Detached.start(run.directory(), ManagementFactory.getRuntimeMXBean().getInputArguments(), environment,
                    notify);
            context.display().show("Training " + run.config().runId() + " in process " + p.pid() + " (log: "
                    + run.directory().resolve(Detached.LOG) + "); follow it with %train attach --run " + run.directory()
                    + ", stop it with %train cancel --run " + run.directory());
            return run.directory();
        }
        run.listener(new TrainingView(context.display()));
        WebhookNotifier notifier = notify ? WebhookNotifier.fromEnvironment(environment).build() : null;
        if (notifier != null) {
            run.listener(notifier);
        }
        if (a.has("background")) {
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

    private static Path runDir(MagicSyntax.Arguments a) {
        Path dir = Path.of(a.get("run", ""));
        if (!RunDirectory.isRun(dir)) {
            throw TRAIN.error("--run " + dir + " is not a run directory (it has no " + RunDirectory.MANIFEST + ")");
        }
        return dir.toAbsolutePath().normalize();
    }

    private static TrainConfig config(MagicSyntax.Arguments a) {
        String tokenizer = a.get("tokenizer", null);
        String corpus = a.get("corpus", null);
        if (tokenizer == null || corpus == null) {
            throw TRAIN.error("give --tokenizer and --corpus, or --resume RUN_DIR");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String kv : a.all("set")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw TRAIN.error("--set takes KEY=VALUE, got '" + kv + "'");
            }
            values.put(kv.substring(0, eq).strip(), ModelConfig.parseValue(kv.substring(eq + 1)));
        }
        TrainConfig.Builder b = TrainConfig.builder(new ModelConfig(a.get("family", "gpt"), values), Path.of(tokenizer), corpus);
        try {
            b.runsDir(Path.of(a.get("runs-dir", "runs")))
                    .steps(a.getInt("steps", 1000, 1, Integer.MAX_VALUE))
                    .batchSize(a.getInt("batch", 16, 1, 1 << 16))
                    .gradAccum(a.getInt("grad-accum", 1, 1, 1 << 16))
                    .learningRate(Double.parseDouble(a.get("lr", "1e-3")))
                    .weightDecay(Double.parseDouble(a.get("weight-decay", "0.1")))
                    .gradClip(Double.parseDouble(a.get("clip", "1.0")))
                    .eval(a.getInt("eval-every", 100, 1, Integer.MAX_VALUE), a.getInt("eval-batches", 10, 1, 1 << 20))
                    .patience(a.getInt("patience", 0, 0, 1 << 20))
                    .seed(Long.parseLong(a.get("seed", "1337")))
                    .device(a.get("device", "auto"))
                    .precision(Precision.parse(a.get("precision", "fp32")))
                    .threads(a.getInt("threads", 0, 0, 1024));
        } catch (NumberFormatException e) {
            throw TRAIN.error("--lr, --weight-decay, --clip and --seed must be numbers: " + e.getMessage());
        }
        if (a.has("warmup")) {
            b.warmupSteps(a.getInt("warmup", 0, 0, Integer.MAX_VALUE));
        }
        if (a.has("run-id")) {
            b.runId(a.get("run-id", ""));
        }
        return b.build();
    }


    /**
     * Samples text from a run's model.
     *
     * @param args options and the prompt
     * @return the samples; none when {@code --interactive} showed a form (its samples appear in it)
     */
    @LineMagic
    @MagicDoc(usage = GENERATE_USAGE,
            summary = "Samples continuations of a prompt from a run's best checkpoint: greedy at --temperature 0, else with"
                    + " temperature, top-k and top-p; --n sequences at once; --stop ends a sequence at a text. The same --seed"
                    + " gives the same text. --interactive shows a form instead (a prompt box, sliders for the temperature,"
                    + " top-p and max tokens, and a Generate button whose samples appear below it) where the front end draws"
                    + " Jupyter widgets; elsewhere it generates once.",
            example = "%generate --run ../build/runs/gpt-sotu --max-new-tokens 60 --temperature 0.8 My fellow Americans")
    public List<Generator.Sample> generate(List<String> args) {
        MagicSyntax.Arguments a = GENERATE.parse(args);
        String run = need(GENERATE, a, "run");
        GenerateOptions o;
        try {
            o = new GenerateOptions(a.getInt("max-new-tokens", 100, 1, 512), Double.parseDouble(a.get("temperature", "0.8")),
                    a.getInt("top-k", 40, 0, Integer.MAX_VALUE), Double.parseDouble(a.get("top-p", "1.0")), true, a.all("stop"),
                    Long.parseLong(a.get("seed", "42")), a.getInt("n", 1, 1, 10));
        } catch (NumberFormatException e) {
            throw GENERATE.error("--temperature, --top-p and --seed must be numbers: " + e.getMessage());
        } catch (MagicUsageException e) {
            throw e;
        } catch (NotebenchException e) {
            throw GENERATE.error(e.getMessage());
        }
        String prompt = String.join(" ", a.all("prompt"));
        boolean interactive = a.has("interactive");
        try (TrainedModel m = TrainedModel.load(Path.of(run))) { // also checks the run before a form is shown
            if (interactive && context.display().showsWidgets()) {
                context.display().show(new GenerateForm(Path.of(run), prompt, o, TrainedModel::load).form);
                return List.of();
            }
            if (interactive) {
                context.display().show(GenerateForm.unavailable());
            }
            List<Generator.Sample> samples = new Generator(m).generate(prompt, o);
            context.display().show(samplesHtml(prompt, samples));
            return samples;
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
    @MagicDoc(usage = SCORE_USAGE,
            summary = "Scores a text under a run's best checkpoint: loss and perplexity, and a table of every token with its"
                    + " surprisal (-ln p given the tokens before it) and the model's top predictions at that position.",
            example = "%score --run ../build/runs/gpt-sotu The state of our Union is strong.")
    public Scorer.Score score(List<String> args) {
        MagicSyntax.Arguments a = SCORE.parse(args);
        String run = need(SCORE, a, "run");
        String text = String.join(" ", a.all("text"));
        int k = a.getInt("top-k", 3, 1, 20);
        try (TrainedModel m = TrainedModel.load(Path.of(run))) {
            Scorer.Score s = new Scorer(m).score(text, k);
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
            context.display().show(String.format(Locale.ROOT, "loss %.4f nats/token, perplexity %.2f over %d tokens",
                    s.loss(), s.perplexity(), s.ids().length - 1));
            context.display().show(Table.create("token surprisal", pos, tok, sur, top));
            return s;
        }
    }

    /**
     * Evaluates a run's model.
     *
     * @param args options
     * @return the metrics
     */
    @LineMagic("eval")
    @MagicDoc(usage = EVAL_USAGE,
            summary = "Evaluates a run's best checkpoint on its whole validation split, or on --file: loss, perplexity, tokens"
                    + " per character, written to eval/metrics.json; samples from fixed prompts (or --prompt) to eval/samples.jsonl.",
            example = "%eval --run ../build/runs/gpt-sotu")
    public Evaluator.Metrics evaluate(List<String> args) {
        MagicSyntax.Arguments a = EVAL.parse(args);
        String run = need(EVAL, a, "run");
        Path file = a.has("file") ? Path.of(a.get("file", "")) : null;
        List<String> prompts = a.has("prompt") ? a.all("prompt") : Evaluator.DEFAULT_PROMPTS;
        Evaluator.Metrics m = Evaluator.evaluate(Path.of(run), file, prompts, GenerateOptions.defaults().withMaxNewTokens(40));
        context.display().show(Table.create("evaluation of " + Path.of(run).getFileName(),
                StringColumn.create("metric", "source", "checkpoint", "tokens", "loss", "perplexity", "tokens per char"),
                StringColumn.create("value", m.source(), m.checkpoint() + " (step " + (m.step() + 1) + ")", String.valueOf(m.tokens()),
                        String.format(Locale.ROOT, "%.4f", m.loss()), String.format(Locale.ROOT, "%.2f", m.perplexity()),
                        String.format(Locale.ROOT, "%.3f", m.tokensPerChar()))));
        return m;
    }

    /**
     * Lists runs.
     *
     * @param args options
     * @return the table shown
     */
    @LineMagic
    @MagicDoc(usage = RUNS_USAGE,
            summary = "Lists the runs in a runs directory (default runs/) with their family, status, step, best validation loss,"
                    + " latest checkpoint, owner (the process that trains it) and last heartbeat. A run whose process is gone"
                    + " without finishing (killed, crashed) reads lost: --resume continues it from its latest checkpoint.",
            example = "%runs --runs-dir ../build/runs")
    public Table runs(List<String> args) {
        MagicSyntax.Arguments a = RUNS.parse(args);
        Table t = RunsTable.of(Path.of(a.get("runs-dir", "runs")));
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
    @MagicDoc(usage = REPORT_USAGE,
            summary = "Writes one self-contained HTML file about a run (or several compared): summary, loss and training curves"
                    + " (plotly inlined, so it opens offline), evaluation metrics and samples, configuration, data and tokenizer"
                    + " facts, versions; secrets are left out. A RUN is a run id under --runs-dir (default runs/) or a run"
                    + " directory. Default file: RUN_DIR/report.html, or compare-A-vs-B.html in the runs directory.",
            example = "%report gpt-sotu --out gpt-sotu.html")
    public Path report(List<String> args) {
        MagicSyntax.Arguments a = REPORT.parse(args);
        List<String> names = a.all("run");
        if (names.isEmpty()) {
            throw REPORT.error("name at least one run (a run id or a run directory)");
        }
        Path runsDir = Path.of(a.get("runs-dir", "runs"));
        List<Path> dirs = new ArrayList<>();
        for (String n : names) {
            dirs.add(RunReport.locate(runsDir, n));
        }
        RunReport report = RunReport.of(dirs.toArray(new Path[0])).environment(environment);
        if (a.has("smoothing")) {
            double w;
            try {
                w = Double.parseDouble(a.get("smoothing", ""));
            } catch (NumberFormatException e) {
                throw REPORT.error("--smoothing " + a.get("smoothing", "") + " is not a number");
            }
            if (!(w >= 0 && w < 1)) {
                throw REPORT.error("--smoothing " + w + " must be in [0, 1)");
            }
            report = report.smoothing(w);
        }
        Path out = a.has("out") ? Path.of(a.get("out", "")) : report.defaultFile();
        Path written = report.write(out).toAbsolutePath().normalize();
        long kb = (written.toFile().length() + 1023) / 1024;
        context.display().show(new Html("Report written to <code>" + Html.escape(written.toString()) + "</code> ("
                + kb + " KB, opens offline)", "Report written to " + written + " (" + kb + " KB)"));
        return written;
    }

    private static String need(MagicSyntax syntax, MagicSyntax.Arguments a, String key) {
        String v = a.get(key, null);
        if (v == null || v.isBlank()) {
            throw syntax.error("--" + key + " is required");
        }
        return v;
    }

    /** Finds {@link TrainMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements MagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(NotebookContext context) {
            return new TrainMagics(context, System.getenv()); // the kernel's environment, read at its edge
        }
    }
}
