package dev.notebench.cli;

import dev.notebench.progress.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A text progress bar on the terminal (me.tongfei:progressbar) with rate and time left; one bar
 * per stage. Quiet when standard error is not a terminal or the CI variable is set, so CI logs and
 * files get no carriage-return noise.
 */
final class TerminalProgress implements Progress {
    private final PrintStream err;
    private final boolean enabled;
    private ProgressBar bar;

    /**
     * Creates a bar on standard error, enabled on a terminal outside CI.
     *
     * @param err where it draws
     */
    TerminalProgress(PrintStream err) {
        this(err, System.console() != null && !ci(System.getenv()));
    }

    TerminalProgress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Whether the environment is a CI job (GitHub Actions, GitLab, Jenkins, ... all set CI). */
    static boolean ci(Map<String, String> env) {
        String ci = env.get("CI");
        return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }

    @Override
    public synchronized void stage(String name, long total, String unit, long from) {
        if (!enabled) {
            return;
        }
        if (bar != null) {
            bar.close();
        }
        bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total > 0 ? total : -1)
                .setUnit(" " + unit, 1).showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                .startsFrom(from, Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }

    @Override
    public synchronized void update(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public synchronized void advance(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    @Override
    public synchronized void note(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
