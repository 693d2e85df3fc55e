package dev.notebench.cli;

import dev.notebench.FrontEnd;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.logging.LogFormat;
import dev.notebench.logging.LogSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./notebench COMMAND}: the command-line entry point. Every command has {@code --help};
 * errors print one line saying what to fix and exit with status 1 (2 for wrong usage).
 */
@Command(name = "notebench", mixinStandardHelpOptions = true, versionProvider = Notebench.Version.class,
        description = "Language-model research from a Java notebook.")
public final class Notebench implements Runnable {
    /**
     * Every command, in the order {@code --help} lists them. picocli builds a command's model
     * (every option, its converter, the capability's declaration) when the command is added, so
     * {@link #commandLine} adds only the command a line names: a command starts without loading the
     * classes of all the others.
     */
    private static final List<Class<?>> COMMANDS = List.of(KernelCommand.class, TokenizerCommand.class, TrainCommand.class,
            ModelCommands.Generate.class, ModelCommands.Score.class, ModelCommands.Eval.class, ModelCommands.Export.class,
            ModelCommands.Runs.class,
            ModelCommands.Report.class, ServeCommand.class, EmbedCommands.Embed.class, EmbedCommands.Cache.class, EmbedCommands.Arrange.class,
            EnrichCommand.class, AssociationsCommand.class, BatchCommand.class, BatchCommand.Task.class, DemoCommand.class,
            CommandLine.HelpCommand.class);

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
        CommandLine cl = commandLine(root, args);
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
                commandLine.getErr().println("notebench: " + n.describe(FrontEnd.COMMAND_LINE));
                return 1;
            }
            // a failure no check foresaw is a bug: one line for the user, the trace for the report
            LoggerFactory.getLogger(Notebench.class).debug("{} failed", commandLine.getCommandSpec().qualifiedName(), e);
            commandLine.getErr().println("notebench: INTERNAL: " + e + "; this is a bug in Notebench: please report it with the"
                    + " command (--log-level DEBUG shows the trace)");
            return 1;
        });
        cl.setParameterExceptionHandler(Notebench::usageError);
        return cl.execute(args);
    }

    /**
     * The command line with every command, e.g. to list them all.
     *
     * @return picocli's command line of {@code notebench}
     */
    static CommandLine commandLine() {
        return commandLine(new Notebench(), new String[0]);
    }

    /**
     * The command line for these arguments: with only the command they name when they name one
     * (its model alone is built), otherwise with every command, so that help, a missing command
     * and a misspelt one ("Did you mean") see them all.
     */
    static CommandLine commandLine(Notebench root, String[] args) {
        CommandLine cl = new CommandLine(root);
        Class<?> named = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--log-format") || arg.equals("--log-level")) {
                i++; // its value
            } else if (!arg.startsWith("-")) {
                named = COMMANDS.stream().filter(c -> !c.equals(CommandLine.HelpCommand.class) && name(c).equals(arg))
                        .findFirst().orElse(null);
                break;
            }
        }
        for (Class<?> c : named == null ? COMMANDS : List.of(named)) {
            cl.addSubcommand(new CommandLine(c)); // its own command line, so that its model transformer runs
        }
        return cl;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /**
     * Wrong usage in at most three lines: what is wrong, picocli's suggestion when it has one
     * ("Did you mean ..."), and where the help is. The whole usage text is for {@code --help}.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(e.getMessage().lines().findFirst().orElse("wrong usage"));
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            err.println("Did you mean " + u.getSuggestions().get(0) + "?");
        }
        err.println("See '" + cl.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * The {@code ./notebench} entry point.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof OutOfMemoryError) {
                err.println("notebench: " + outOfMemory());
                Runtime.getRuntime().halt(1);
            }
            err.println("notebench: INTERNAL: " + e + " in thread " + thread.getName() + "; please report this bug");
        });
        int status;
        try {
            status = run(args, new PrintWriter(System.out, true), err);
        } catch (OutOfMemoryError e) {
            err.println("notebench: " + outOfMemory());
            status = 1;
        }
        System.exit(status);
    }

    /** The one line for a command that ran out of Java heap, naming the setting to raise. */
    static NotebenchException outOfMemory() {
        long maxMb = Runtime.getRuntime().maxMemory() >> 20;
        return new NotebenchException(ErrorCode.OUT_OF_MEMORY, "the Java heap (at most " + maxMb + " MB) ran out; give the command"
                + " more, e.g. NOTEBENCH_JAVA_OPTS=-Xmx" + Math.max(1, maxMb * 2 / 1024) + "g ./notebench ..., or less data at once");
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
