package dev.notebench.cli;

import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.Generator;
import dev.notebench.train.generate.Scorer;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.magic.RunsTable;
import dev.notebench.train.report.RunReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./notebench generate|score|eval|runs}: using trained models, as the magics of the same names. */
final class ModelCommands {
    private ModelCommands() {
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, description = "Sample continuations of a prompt from a run's best checkpoint.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "The run.")
        Path run;

        @Option(names = "--max-new-tokens", defaultValue = "100", description = "1 to 512 (default: ${DEFAULT-VALUE}).")
        int maxNewTokens;

        @Option(names = "--temperature", defaultValue = "0.8", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--top-k", defaultValue = "40", description = "0 = off (default: ${DEFAULT-VALUE}).")
        int topK;

        @Option(names = "--top-p", defaultValue = "1.0", description = "1 = off (default: ${DEFAULT-VALUE}).")
        double topP;

        @Option(names = "--seed", defaultValue = "42", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--n", defaultValue = "1", description = "Sequences, 1 to 10 (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--stop", paramLabel = "TEXT", description = "Stop a sequence at this text; repeatable.")
        List<String> stop = new ArrayList<>();

        @Option(names = "--no-eos-stop", description = "Keep going past the end-of-text token.")
        boolean noEosStop;

        @Parameters(arity = "0..*", paramLabel = "PROMPT", description = "The prompt (words joined with spaces).")
        List<String> prompt = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            GenerateOptions o = new GenerateOptions(maxNewTokens, temperature, topK, topP, !noEosStop, stop, seed, n);
            String p = String.join(" ", prompt);
            try (TrainedModel m = TrainedModel.load(run)) {
                PrintWriter out = spec.commandLine().getOut();
                for (Generator.Sample s : new Generator(m).generate(p, o)) {
                    out.println(p + s.text());
                    out.println("--- (" + s.stopReason() + ")");
                }
            }
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true, description = "Score a text: loss, perplexity, per-token surprisal.")
    static final class Score implements Callable<Integer> {
        @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "The run.")
        Path run;

        @Option(names = "--top-k", defaultValue = "3", description = "Predictions shown per position (default: ${DEFAULT-VALUE}).")
        int k;

        @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The text.")
        List<String> text;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (TrainedModel m = TrainedModel.load(run)) {
                Scorer.Score s = new Scorer(m).score(String.join(" ", text), k);
                PrintWriter out = spec.commandLine().getOut();
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

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluate a run's best checkpoint; writes eval/metrics.json and eval/samples.jsonl.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "The run.")
        Path run;

        @Option(names = "--file", paramLabel = "PATH", description = "Evaluate on this text instead of the validation split.")
        Path file;

        @Option(names = "--prompt", paramLabel = "TEXT", description = "A prompt for the samples; repeatable.")
        List<String> prompts;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Evaluator.Metrics m = Evaluator.evaluate(run, file, prompts != null ? prompts : Evaluator.DEFAULT_PROMPTS,
                    GenerateOptions.defaults().withMaxNewTokens(40));
            spec.commandLine().getOut().printf(Locale.ROOT, "%s (%s, step %d): loss %.4f, perplexity %.2f, %.3f tokens/char over %d tokens%n",
                    m.source(), m.checkpoint(), m.step() + 1, m.loss(), m.perplexity(), m.tokensPerChar(), m.tokens());
            return 0;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "List the runs of a runs directory.")
    static final class Runs implements Callable<Integer> {
        @Option(names = "--runs-dir", defaultValue = "runs", description = "Where runs are (default: ${DEFAULT-VALUE}).")
        Path runsDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(RunsTable.of(runsDir).print());
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Write one self-contained HTML report of a run, or of several runs compared: summary, curves,"
                    + " evaluation metrics and samples, configuration, data, tokenizer and versions; opens offline, no secrets.")
    static final class Report implements Callable<Integer> {
        @CommandLine.Parameters(arity = "1..*", paramLabel = "RUN", description = "A run id under --runs-dir, or a run directory.")
        List<String> runs;

        @Option(names = "--runs-dir", defaultValue = "runs", description = "Where runs are (default: ${DEFAULT-VALUE}).")
        Path runsDir;

        @Option(names = "--out", paramLabel = "FILE.html", description = "The file to write (default: RUN_DIR/report.html,"
                + " or compare-A-vs-B.html beside the first run).")
        Path out;

        @Option(names = "--smoothing", defaultValue = "0.9", description = "Moving-average weight of the training loss, in"
                + " [0, 1) (default: ${DEFAULT-VALUE}).")
        double smoothing;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!(smoothing >= 0 && smoothing < 1)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--smoothing " + smoothing + " must be in [0, 1)");
            }
            RunReport report = RunReport.of(runs.stream().map(r -> RunReport.locate(runsDir, r)).toArray(Path[]::new))
                    .environment(System.getenv()).smoothing(smoothing);
            Path written = report.write(out != null ? out : report.defaultFile());
            spec.commandLine().getOut().println("Wrote " + written);
            return 0;
        }
    }
}
