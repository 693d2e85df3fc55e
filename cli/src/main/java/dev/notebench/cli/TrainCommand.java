package dev.notebench.cli;

import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.train.Detached;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.RunListener;
import dev.notebench.train.RunState;
import dev.notebench.train.TrainOptions;
import dev.notebench.train.TrainRun;
import dev.notebench.train.notify.WebhookNotifier;
import dev.notebench.train.pretrained.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code ./notebench train}: train a language model, or resume a run. */
@Command(name = "train", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
        description = {"Train a language model (gpt or char-lstm) on a corpus with a trained tokenizer,",
                "or resume a run from its latest checkpoint (--resume). Writes runs/<run-id>/."})
final class TrainCommand implements Callable<Integer>, Declared.Command {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public OptionSet options() {
        return TrainOptions.OPTIONS;
    }

    @Override
    public Integer call() {
        OptionValues v = Declared.values(spec, TrainOptions.OPTIONS);
        if (v.has(TrainOptions.CANCEL)) {
            Path cancelRun = v.get(TrainOptions.CANCEL);
            RunDirectory.open(cancelRun).requestCancel();
            spec.commandLine().getOut().println("Asked " + cancelRun + " to stop after its current step");
            return 0;
        }
        boolean notify = v.get(TrainOptions.NOTIFY);
        Map<String, String> environment = System.getenv(); // read here, at the edge, and passed in
        if (notify) {
            WebhookNotifier.fromEnvironment(environment); // before a run directory is made
        }
        TrainRun run = v.has(TrainOptions.RESUME) ? TrainRun.open(v.get(TrainOptions.RESUME))
                : TrainRun.create(TrainOptions.config(v, model -> {
                    try (TerminalProgress download = new TerminalProgress(System.err)) {
                        return ModelSource.resolve(model, environment, Path.of(System.getProperty("user.home")), download);
                    }
                }));
        PrintWriter out = spec.commandLine().getOut();
        if (v.get(TrainOptions.DETACH)) {
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
