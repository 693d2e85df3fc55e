package dev.notebench.train.report;

import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.ValueType;
import dev.notebench.train.TrainOptions;
import java.nio.file.Path;

/**
 * The options of looking at runs, declared once: {@code %runs}, {@code %report} and
 * {@code ./notebench runs|report} are derived from them.
 *
 * <pre>{@code
 * OptionValues v = ReportOptions.REPORT.parse(List.of("gpt-sotu", "--smoothing", "0.5"));
 * }</pre>
 */
public final class ReportOptions {
    /** {@code --runs-dir DIR}: where the runs are (as {@link TrainOptions#RUNS_DIR}, where they go). */
    public static final Option<Path> RUNS_DIR = Option.path("runs-dir").label("DIR")
            .defaultValue(TrainOptions.RUNS_DIR.defaultValue()).help("where the runs are");
    /** {@code --out FILE.html}. */
    public static final Option<Path> OUT = Option.path("out").label("FILE.html")
            .defaultText("RUN_DIR/report.html, or compare-A-vs-B.html beside the first run").help("the file to write");
    /** {@code --smoothing X}. */
    public static final Option<Double> SMOOTHING = Option.number("smoothing", new ValueType.Range(0, true, 1, false))
            .defaultValue(RunReport.DEFAULT_SMOOTHING).help("moving-average weight of the training loss, 0 = raw");

    /** {@code runs}: the runs of a runs directory. */
    public static final OptionSet RUNS = OptionSet.of(RUNS_DIR);
    /** {@code report}: runs, and where the report goes. */
    public static final OptionSet REPORT = OptionSet.of(RUNS_DIR, OUT, SMOOTHING)
            .positional("RUN", "a run id under --runs-dir, or a run directory", 1);

    private ReportOptions() {
    }
}
