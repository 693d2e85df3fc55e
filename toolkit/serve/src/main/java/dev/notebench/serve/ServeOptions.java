package dev.notebench.serve;

import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.train.report.ReportOptions;
import java.nio.file.Path;

/**
 * The options of {@code ./notebench serve}, declared once (the command is derived from them).
 *
 * <pre>{@code
 * OptionValues v = ServeOptions.SERVE.parse(List.of("--port", "8700", "--token-env", "NOTEBENCH_TOKEN"));
 * }</pre>
 */
public final class ServeOptions {
    /** {@code --host ADDRESS}. */
    public static final Option<String> HOST = Option.string("host").label("ADDRESS").defaultValue(NotebenchServer.LOOPBACK)
            .help("the address to listen on; any other than loopback needs --token-env");
    /** {@code --port N}. */
    public static final Option<Integer> PORT = Option.integer("port", 0, 65535).defaultValue(NotebenchServer.DEFAULT_PORT)
            .help("the port to listen on, 0 for any free one");
    /** {@code --runs-dir DIR}: the runs served (as the other commands' {@code --runs-dir}). */
    public static final Option<Path> RUNS_DIR = ReportOptions.RUNS_DIR;
    /** {@code --tokenizers-dir DIR}. */
    public static final Option<Path> TOKENIZERS_DIR = Option.path("tokenizers-dir").label("DIR").defaultValue(Path.of("tokenizers"))
            .help("where the served tokenizers are");
    /** {@code --token-env VAR}. */
    public static final Option<String> TOKEN_ENV = Option.string("token-env").label("VAR")
            .help("the environment variable that holds the bearer token every request must carry");

    /** {@code serve}. */
    public static final OptionSet SERVE = OptionSet.of(HOST, PORT, RUNS_DIR, TOKENIZERS_DIR, TOKEN_ENV);

    private ServeOptions() {
    }
}
