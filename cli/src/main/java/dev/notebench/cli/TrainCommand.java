package dev.notebench.cli;

import dev.notebench.train.Detached;
import dev.notebench.train.Precision;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.RunListener;
import dev.notebench.train.RunState;
import dev.notebench.train.TrainConfig;
import dev.notebench.train.TrainRun;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.notify.WebhookNotifier;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./notebench train}: train a language model, or resume a run. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a language model (gpt or char-lstm) on a corpus with a trained tokenizer,",
                "or resume a run from its latest checkpoint (--resume). Writes runs/<run-id>/."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Resume this unfinished run from its latest checkpoint"
            + " (refused while another process trains it).")
    Path resume;

    @Option(names = "--family", defaultValue = "gpt", description = "Model family: gpt or char-lstm (default: ${DEFAULT-VALUE}).")
    String family;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A model hyperparameter, e.g. n_layer=4; repeatable.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "A tokenizer directory (./notebench tokenizer train).")
    Path tokenizer;

    @Option(names = "--corpus", paramLabel = "PATH|GLOB", description = "The training text.")
    String corpus;

    @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR", description = "Where runs go (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run's name (default: family, date and time).")
    String runId;

    @Option(names = "--batch", defaultValue = "16", description = "Windows per micro-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per step (default: ${DEFAULT-VALUE}).")
    int gradAccum;

    @Option(names = "--steps", defaultValue = "1000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--min-lr", description = "Final learning rate (default: lr/10).")
    Double minLr;

    @Option(names = "--warmup", description = "Warmup steps (default: 5%% of the steps).")
    Integer warmup;

    @Option(names = "--weight-decay", defaultValue = "0.1", description = "Decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip, 0 for none (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--eval-every", defaultValue = "100", description = "Steps between evaluations (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--eval-batches", defaultValue = "10", description = "Batches per evaluation (default: ${DEFAULT-VALUE}).")
    int evalBatches;

    @Option(names = "--checkpoint-every", description = "Steps between checkpoints (default: as --eval-every).")
    Integer checkpointEvery;

    @Option(names = "--patience", defaultValue = "0", description = "Evaluations without improvement before stopping, 0 = never.")
    int patience;

    @Option(names = "--val-fraction", defaultValue = "0.1", description = "Share of tokens for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch CPU threads, 0 = as configured (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--detach", description = "Train in a process of its own that outlives this one; prints the run directory.")
    boolean detach;

    @Option(names = "--notify", description = "Post the run's start, evaluations, checkpoints (at most one per 30 s) and end to"
            + " the webhook (Discord, Slack or other) in the environment variable NOTEBENCH_WEBHOOK_URL.")
    boolean notify;

    @Option(names = "--cancel", paramLabel = "RUN_DIR", description = "Ask the run in RUN_DIR (detached or not) to stop after its"
            + " current step; exits 1 when it is not running.")
    Path cancelRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (cancelRun != null) {
            RunDirectory.open(cancelRun).requestCancel();
            spec.commandLine().getOut().println("Asked " + cancelRun + " to stop after its current step");
            return 0;
        }
        Map<String, String> environment = System.getenv(); // read here, at the edge, and passed in
        if (notify) {
            WebhookNotifier.fromEnvironment(environment); // before a run directory is made
        }
        TrainRun run;
        if (resume != null) {
            run = TrainRun.open(resume);
        } else {
            if (tokenizer == null || corpus == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --tokenizer and --corpus (or --resume RUN_DIR)");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            set.forEach((k, v) -> values.put(k, ModelConfig.parseValue(v)));
            TrainConfig.Builder b = TrainConfig.builder(new ModelConfig(family, values), tokenizer, corpus)
                    .runsDir(runsDir).batchSize(batch).gradAccum(gradAccum).steps(steps).learningRate(lr)
                    .weightDecay(weightDecay).gradClip(clip).eval(evalEvery, evalBatches).patience(patience)
                    .valFraction(valFraction).seed(seed).device(device).precision(Precision.parse(precision)).threads(threads);
            if (runId != null) {
                b.runId(runId);
            }
            if (minLr != null) {
                b.minLearningRate(minLr);
            }
            if (warmup != null) {
                b.warmupSteps(warmup);
            }
            if (checkpointEvery != null) {
                b.checkpointEvery(checkpointEvery);
            }
            run = TrainRun.create(b.build());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (detach) {
            Process p = Detached.start(run.directory(), ManagementFactory.getRuntimeMXBean().getInputArguments(), environment,
                    notify);
            out.println("Training " + run.directory() + " in process " + p.pid() + "; log: "
                    + run.directory().resolve(Detached.LOG) + "; stop it with ./notebench train --cancel "
                    + run.directory());
            return 0;
        }
        TerminalProgress bar = new TerminalProgress(System.err);
        run.listener(new RunListener() {
            @Override
            public void started(TrainRun r, long step) {
                bar.stage(r.config().runId(), r.config().steps(), "steps", step);
            }

            @Override
            public void step(Step s) {
                bar.note(String.format(Locale.ROOT, "loss %.4f lr %.2e %.0f tok/s", s.loss(), s.lr(), s.tokensPerSecond()));
                bar.update(s.step() + 1);
            }

            @Override
            public void eval(Eval e) {
                out.printf(Locale.ROOT, "step %d: val loss %.4f (ppl %.2f)%s%n", e.step() + 1, e.loss(), e.perplexity(),
                        e.best() ? " *" : "");
                out.flush();
            }

            @Override
            public void ended(RunState status, String message) {
                bar.close();
            }
        });
        // Ctrl-C: stop after the current step with a checkpoint; the hook waits for the run, not for this thread,
        // which may itself be the one exiting
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.cancel();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        TrainRun.Result r;
        WebhookNotifier notifier = notify ? WebhookNotifier.fromEnvironment(environment).build() : null;
        try {
            if (notifier != null) {
                run.listener(notifier);
            }
            r = run.run();
        } finally {
            done.countDown();
            bar.close();
            if (notifier != null) {
                notifier.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already shutting down: the hook is running, and returns now that the run is over
            }
        }
        out.printf(Locale.ROOT, "%s: %s after step %d, train loss %.4f, best val loss %.4f, %.1f s%n",
                run.directory(), r.status(), r.lastStep() + 1, r.trainLoss(), r.bestValLoss(), r.seconds());
        return r.status() == RunState.FAILED ? 1 : 0;
    }
}
