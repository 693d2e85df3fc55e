package dev.notebench.train;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.train.notify.WebhookNotifier;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a run in its own JVM, in its own session, so that it keeps training when the notebook's
 * kernel restarts (Jupyter kills the kernel's whole process group) or the shell that started it
 * exits. Its output goes to {@code train.log} in the run directory; {@link RunDirectory#status()}
 * and {@code metrics.jsonl} follow it; {@link RunDirectory#requestCancel()} stops it. The starting process
 * owns the run ({@link RunLock}) until the new one is started, and the new one takes it over: a
 * second start or trainer of the same run is refused.
 */
public final class Detached {
    /** The log file of a detached run. */
    public static final String LOG = "train.log";
    /** How long a new process waits for the one that starts it to hand the run over. */
    private static final Duration HAND_OVER = Duration.ofMinutes(1);

    private Detached() {
    }

    /**
     * Starts {@link #main Detached.main(RUN_DIR)} in a new process with this JVM's classpath and
     * the given JVM options (debugger and agent options are left out).
     *
     * @param runDir a run directory made by {@link TrainRun#create}
     * @param jvmOptions options for the new JVM
     * @return the new process
     */
    public static Process start(Path runDir, List<String> jvmOptions) {
        return start(runDir, jvmOptions, Map.of(), false);
    }

    /**
     * Starts {@link #main Detached.main(RUN_DIR)} in a new process with this JVM's classpath and
     * the given JVM options, optionally posting the run's events to the webhook in
     * {@value WebhookNotifier#ENV} of the given environment (which the new process gets in its
     * environment; the URL is never on its command line).
     *
     * @param runDir a run directory made by {@link TrainRun#create}
     * @param jvmOptions options for the new JVM
     * @param environment the application's environment, read where it starts (the CLI, the kernel)
     * @param notify whether to post to the webhook
     * @return the new process
     * @throws NotebenchException (CONFIG_INVALID) when {@code notify} and the environment has no
     *     webhook URL; nothing is started then
     */
    public static Process start(Path runDir, List<String> jvmOptions, Map<String, String> environment, boolean notify) {
        if (notify) {
            WebhookNotifier.fromEnvironment(environment); // fail here, in the caller, rather than in the detached process
        }
        List<String> cmd = new ArrayList<>();
        setsid().ifPresent(s -> cmd.add(s.toString()));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : jvmOptions) {
            if (!o.startsWith("-agentlib") && !o.startsWith("-javaagent") && !o.startsWith("-Xdebug")
                    && !o.startsWith("-Xrunjdwp")) {
                cmd.add(o);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Detached.class.getName());
        cmd.add(runDir.toAbsolutePath().toString());
        if (notify) {
            cmd.add("--notify");
        }
        RunDirectory run = RunDirectory.open(runDir);
        Path dir = run.path();
        int steps = run.config().steps();
        // this process owns the run until the new one takes it over: a second start is refused here, not in the log
        try (RunLock handOver = run.lock(RunLock.PATIENCE)) {
            run.refuseIfComplete(steps);
            run.clearRequests(); // an old request does not stop a new start; one sent from now on does
            long step = run.lastCheckpointStep();
            // a follower must not read an old run's "cancelled" as this start's end
            run.writeStatus(RunState.STARTING, step, steps, null, null);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(run.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (notify) {
                pb.environment().put(WebhookNotifier.ENV, environment.get(WebhookNotifier.ENV));
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                String msg = "cannot start a detached run for " + dir + ": " + e.getMessage();
                run.writeStatus(RunState.FAILED, step, steps, msg, null);
                throw new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, msg, e);
            }
            run.writeStatus(RunState.STARTING, step, steps, null, p.pid());
            return p;
        }
    }

    /**
     * Resumes the run in {@code args[0]} and trains it to the end, printing evaluations and the
     * outcome; the exit status is 1 when the run failed.
     *
     * @param args the run directory
     */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--notify"))) {
            System.err.println("usage: Detached RUN_DIR [--notify]");
            System.exit(2);
        }
        // the starting process hands the run over once this one is started
        TrainRun run = TrainRun.open(Path.of(args[0])).startedDetached(HAND_OVER);
        WebhookNotifier notifier = args.length == 2 ? WebhookNotifier.fromEnvironment(System.getenv()).build() : null;
        if (notifier != null) {
            run.listener(notifier);
        }
        run.listener(new RunListener() {
            @Override
            public void eval(Eval e) {
                System.out.printf(java.util.Locale.ROOT, "%s step %d: val loss %.4f (ppl %.2f)%s%n",
                        java.time.Instant.now(), e.step() + 1, e.loss(), e.perplexity(), e.best() ? " *" : "");
                System.out.flush();
            }
        });
        // SIGTERM: stop after the current step with a checkpoint before the JVM goes
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.cancel();
            try {
                done.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        TrainRun.Result r;
        try {
            r = run.run();
        } catch (NotebenchException e) {
            // refused (another process trains the run) or failed: the status says so where the run could write it
            System.out.println(java.time.Instant.now() + " " + run.directory() + ": " + e);
            System.out.flush();
            r = null;
        } finally {
            done.countDown(); // the shutdown hook must not wait for a run that is over
            if (notifier != null) {
                notifier.close();
            }
        }
        if (r == null) {
            exit(hook, 1);
            return;
        }
        System.out.printf(java.util.Locale.ROOT, "%s %s: %s after step %d, train loss %.4f, best val loss %.4f, %.1f s%n",
                java.time.Instant.now(), run.directory(), r.status(), r.lastStep() + 1, r.trainLoss(), r.bestValLoss(),
                r.seconds());
        System.out.flush();
        exit(hook, r.status() == RunState.FAILED ? 1 : 0);
    }

    private static void exit(Thread hook, int status) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // the JVM is going already; exiting here would block
        }
        System.exit(status);
    }

    /** The {@code setsid} program, which starts a process in a session of its own (Linux). */
    private static Optional<Path> setsid() {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path p = Path.of(dir, "setsid");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
