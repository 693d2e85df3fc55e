package dev.notebench.cli;

import dev.notebench.NotebenchException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command whose options are those of a magic (parsed by the toolkit, not by picocli), so that
 * both accept the same words: picocli hands over the words, {@code --help} prints the toolkit's
 * option list, and an option error is a usage error with the command's usage line.
 */
abstract class SharedOptionsCommand implements Callable<Integer> {
    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The usage line, after "Usage: ". */
    abstract String usage();

    /** The option lines printed by --help. */
    abstract String optionsHelp();

    /**
     * Runs with the words given.
     *
     * @param words the words after the command's name
     * @param out where results are printed
     * @return the exit status
     */
    abstract int run(List<String> words, PrintWriter out);

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (args.contains("--help") || args.contains("-h")) {
            out.println("Usage: " + usage() + "\n");
            out.print(optionsHelp());
            out.flush();
            return 0;
        }
        try {
            return run(args, out);
        } finally {
            out.flush();
        }
    }

    /** An option error as picocli's usage error (its message, then where the help is). */
    CommandLine.ParameterException usageError(NotebenchException e) {
        return new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
}
