package dev.notebench.cli;

import dev.notebench.NotebenchException;
import dev.notebench.logging.LogFormat;
import dev.notebench.logging.LogSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./notebench COMMAND}: the command-line entry point. Every command has {@code --help};
 * errors print one line saying what to fix and exit with status 1 (2 for wrong usage).
 */
@Command(name = "notebench", mixinStandardHelpOptions = true, versionProvider = Notebench.Version.class,
        description = "Language-model research from a Java notebook.",
        subcommands = {KernelCommand.class, TokenizerCommand.class, TrainCommand.class, ModelCommands.Generate.class,
                ModelCommands.Score.class, ModelCommands.Eval.class, ModelCommands.Runs.class, ModelCommands.Report.class,
                EmbedCommands.Embed.class, EmbedCommands.Cache.class, EmbedCommands.Arrange.class, EnrichCommand.class, AssociationsCommand.class,
                BatchCommand.class, BatchCommand.Task.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class Notebench implements Runnable {

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text", scope = CommandLine.ScopeType.INHERIT,
            description = "Log format on standard error: text, or json for batch and detached runs (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "WARN", scope = CommandLine.ScopeType.INHERIT,
            description = "Log level: ERROR, WARN, INFO, DEBUG (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The project directory the launcher runs from (notebooks and datasets are found there). */
    static Path home() {
        return Path.of(System.getProperty("notebench.home", ".")).toAbsolutePath().normalize();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command; --help lists them");
    }

    /**
     * Runs the command line and returns its exit status.
     *
     * @param args the arguments
     * @param out where results go
     * @param err where errors go
     * @return 0 on success, 1 on failure, 2 on wrong usage
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Notebench root = new Notebench();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(parsed -> {
            try {
                LogSetup.configure(LogFormat.parse(root.logFormat), root.logLevel);
            } catch (NotebenchException e) {
                parsed.commandSpec().commandLine().getErr().println("notebench: " + e);
                return 1;
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof NotebenchException n) {
                commandLine.getErr().println("notebench: " + n);
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /**
     * The {@code ./notebench} entry point.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }

    /** The version shown by {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Notebench.class.getPackage().getImplementationVersion();
            return new String[] {"notebench " + (v == null ? "dev" : v), "Java " + Runtime.version()};
        }
    }
}
