package dev.notebench.cli;

import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.progress.Progress;
import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.Generator;
import dev.notebench.train.generate.ModelOptions;
import dev.notebench.train.generate.ResultsJson;
import dev.notebench.train.generate.Scorer;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.pretrained.ModelSource;
import dev.notebench.train.report.RunsTable;
import dev.notebench.train.report.ReportOptions;
import dev.notebench.train.report.RunReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./notebench generate|score|eval|export|runs|report}: using trained models, as the magics of the
 * same names, with the options they declare ({@link ModelOptions}, {@link ReportOptions}).
 */
final class ModelCommands {
    private ModelCommands() {
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Sample continuations of a prompt from a run's best checkpoint or a Hugging Face model.")
    static final class Generate implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return ModelOptions.GENERATE;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            GenerateOptions o = GenerateOptions.from(v);
            String p = String.join(" ", v.positional());
            try (TrainedModel m = open(spec, v)) {
                PrintWriter out = spec.commandLine().getOut();
                List<Generator.Sample> samples = new Generator(m).generate(p, o);
                if (v.get(ModelOptions.JSON)) {
                    out.println(ResultsJson.samples(m.checkpoint().toString(), samples));
                    return 0;
                }
                for (Generator.Sample s : samples) {
                    out.println(p + s.text());
                    out.println("--- (" + s.stopReason() + ")");
                }
            }
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Score a text with a run's best checkpoint or a Hugging Face model: loss, perplexity, per-token"
                    + " surprisal.")
    static final class Score implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return ModelOptions.SCORE;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            try (TrainedModel m = open(spec, v)) {
                Scorer.Score s = new Scorer(m).score(String.join(" ", v.positional()), v.get(ModelOptions.SCORE_TOP_K));
                PrintWriter out = spec.commandLine().getOut();
                if (v.get(ModelOptions.JSON)) {
                    out.println(ResultsJson.score(m.checkpoint().toString(), s));
                    return 0;
                }
                out.printf(Locale.ROOT, "loss %.4f nats/token, perplexity %.2f over %d tokens%n", s.loss(), s.perplexity(),
                        s.ids().length - 1);
                for (int i = 0; i < s.ids().length; i++) {
                    List<String> preds = new ArrayList<>();
                    for (Scorer.Prediction p : s.topK().get(i)) {
                        preds.add(String.format(Locale.ROOT, "[%s] %.2f", p.text(), p.probability()));
                    }
                    out.printf(Locale.ROOT, "%4d  %-16s %7.3f   %s%n", i, "[" + s.tokens().get(i) + "]", s.surprisal()[i],
                            String.join("  ", preds));
                }
            }
            return 0;
        }
    }

    /** The run or Hugging Face model the options name; a download shows a progress bar. */
    private static TrainedModel open(CommandLine.Model.CommandSpec spec, OptionValues v) {
        Declared.checked(spec, () -> ModelSource.check(v));
        return withModel((env, home, bar) -> ModelSource.open(v, env, home, bar));
    }

    /** What a command does with the model it names, given the environment it finds the model with. */
    @FunctionalInterface
    private interface ModelWork<T> {
        T run(Map<String, String> environment, Path home, Progress progress);
    }

    /** Does work that may download a model, with this process's environment and a progress bar on standard error. */
    private static <T> T withModel(ModelWork<T> work) {
        try (TerminalProgress bar = new TerminalProgress(System.err)) {
            return work.run(System.getenv(), Path.of(System.getProperty("user.home")), bar);
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Evaluate a run's best checkpoint (writes eval/metrics.json and eval/samples.jsonl), or a Hugging Face"
                    + " model on --file (writes nothing): loss, perplexity, tokens per character.")
    static final class Eval implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return ModelOptions.EVAL;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            Declared.checked(spec, () -> ModelSource.checkEval(v));
            Evaluator.Metrics m = withModel((env, home, bar) -> ModelSource.evaluate(v, env, home, bar));
            spec.commandLine().getOut().printf(Locale.ROOT, "%s (%s): loss %.4f, perplexity %.2f, %.3f tokens/char over %d tokens%n",
                    m.source(), m.step() >= 0 ? m.checkpoint() + ", step " + (m.step() + 1) : m.checkpoint(), m.loss(), m.perplexity(),
                    m.tokensPerChar(), m.tokens());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Save a run's best checkpoint (gpt or llama) or a loaded Hugging Face model as a Hugging Face checkpoint"
                    + " directory that transformers' AutoModelForCausalLM and AutoTokenizer load.")
    static final class Export implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return ModelOptions.EXPORT;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            Declared.checked(spec, () -> ModelSource.check(v));
            Path out = withModel((env, home, bar) -> ModelSource.export(v, env, home, bar));
            spec.commandLine().getOut().println(v.get(ModelOptions.ADAPTERS)
                    ? "Exported the adapters to " + out + " (PeftModel.from_pretrained(base_model, \"" + out + "\") loads them)"
                    : "Exported to " + out + " (AutoModelForCausalLM.from_pretrained and AutoTokenizer.from_pretrained load it)");
            return 0;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "List the runs of a runs directory.")
    static final class Runs implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return ReportOptions.RUNS;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            spec.commandLine().getOut().println(RunsTable.of(v.get(ReportOptions.RUNS_DIR)).print());
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
            description = "Write one self-contained HTML report of a run, or of several runs compared: summary, curves,"
                    + " evaluation metrics and samples, configuration, data, tokenizer and versions; opens offline, no secrets.")
    static final class Report implements Callable<Integer>, Declared.Command {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public OptionSet options() {
            return ReportOptions.REPORT;
        }

        @Override
        public Integer call() {
            OptionValues v = Declared.values(spec, options());
            Path runsDir = v.get(ReportOptions.RUNS_DIR);
            RunReport report = RunReport.of(v.positional().stream().map(r -> RunReport.locate(runsDir, r)).toArray(Path[]::new))
                    .environment(System.getenv()).smoothing(v.get(ReportOptions.SMOOTHING));
            Path written = report.write(v.has(ReportOptions.OUT) ? v.get(ReportOptions.OUT) : report.defaultFile());
            spec.commandLine().getOut().println("Wrote " + written);
            return 0;
        }
    }
}
