package dev.notebench.spark.cli;

import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.options.Option;
import dev.notebench.options.OptionValues;
import dev.notebench.spark.SparkFailures;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code notebench spark enrich|embed|associations|tokenizer train|tokenizer encode}: the local commands on a Spark
 * cluster, with the local commands' options (declared once beside each capability: the same names,
 * help, defaults and checks) plus {@code --master}, {@code --partitions} and {@code --conf}. Options
 * that only mean something on one machine ({@code --resume}, {@code --dry-run}, ...) are refused
 * with one line saying why. The entry point of {@code ./notebench spark} and the {@code Main-Class}
 * of the jar {@code spark-submit} takes ({@code notebench-spark-all.jar}).
 *
 * <p>Exit status: 0 done, 1 an error (one line on standard error), 2 wrong usage, 3 {@code enrich}
 * finished but rows failed.
 */
public final class SparkCommandLine {
    /** The exit status of an error. */
    static final int FAILED = 1;
    /** The exit status of wrong usage. */
    static final int USAGE = 2;
    private static final String NAME = "notebench spark";
    private static final String LOG_CONFIG = "dev/notebench/spark/cli/log4j2-cli.properties";

    private SparkCommandLine() {
    }

    /**
     * Runs a command and exits with its status (returns normally on success, as spark-submit expects).
     *
     * @param args the command's words, e.g. {@code tokenizer train --corpus sotu.txt --out tok}
     */
    public static void main(String[] args) {
        if (System.getProperty("spark.master") == null && System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG); // Spark's warnings only, outside spark-submit
        }
        int status = run(args, System.out, System.err, System.getenv()); // the environment is read here, at the edge
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs a command.
     *
     * @param args the command's words
     * @param out where results go
     * @param err where errors go
     * @param environment the process's environment (where {@code enrich} finds the API key's variable)
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        List<String> words = List.of(args);
        List<SparkCommand> commands = List.of(new EnrichOnSpark(environment), new EmbedOnSpark(), new AssociationsOnSpark(), new TokenizerOnSpark(),
                new EncodeOnSpark());
        if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("-h")) {
            out.println(overview(commands));
            return words.isEmpty() ? USAGE : 0;
        }
        for (SparkCommand c : commands) {
            List<String> name = Arrays.asList(c.name().split(" "));
            if (words.size() >= name.size() && words.subList(0, name.size()).equals(name)) {
                return run(c, words.subList(name.size(), words.size()), out, err);
            }
        }
        int named = words.size() > 1 && !words.get(1).startsWith("-") ? 2 : 1; // the command's words, not its first option
        err.println(NAME + ": unknown command '" + String.join(" ", words.subList(0, named))
                + "'; the commands are enrich, embed, associations, tokenizer train and tokenizer encode. See '" + NAME + " --help'.");
        return USAGE;
    }

    private static int run(SparkCommand c, List<String> words, PrintStream out, PrintStream err) {
        if (words.contains("--help") || words.contains("-h")) {
            out.println(help(c));
            return 0;
        }
        OptionValues v;
        try {
            v = c.options().parse(words);
            for (Map.Entry<String, String> refused : c.notOnSpark().entrySet()) {
                Option<?> o = c.options().find(refused.getKey()).orElseThrow();
                if (v.has(o)) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--" + o.name() + " is not available on Spark: "
                            + refused.getValue());
                }
            }
        } catch (NotebenchException e) {
            err.println(NAME + " " + c.name() + ": " + e.message(FrontEnd.COMMAND_LINE));
            err.println("See '" + NAME + " " + c.name() + " --help'.");
            return USAGE;
        }
        try {
            return c.run(v, words, out, err);
        } catch (NotebenchException e) {
            err.println(NAME + " " + c.name() + ": " + e.describe(FrontEnd.COMMAND_LINE));
            return e.code() == ErrorCode.CONFIG_INVALID ? USAGE : FAILED;
        } catch (Exception e) { // RuntimeException, and Spark's SparkException: checked, though Scala declares none
            NotebenchException cause = SparkFailures.cause(e).orElse(null);
            err.println(NAME + " " + c.name() + ": " + (cause != null ? cause.describe(FrontEnd.COMMAND_LINE)
                    : "Spark failed: " + e.toString().lines().findFirst().orElse("")));
            return FAILED;
        }
    }

    private static String overview(List<SparkCommand> commands) {
        StringBuilder s = new StringBuilder("Usage: " + NAME + " COMMAND [options]   (" + NAME + " COMMAND --help lists them)\n"
                + "The local commands on Apache Spark: the same options plus --master, --partitions and --conf.\n\nCommands:\n");
        for (SparkCommand c : commands) {
            s.append(String.format("  %-18s %s%n", c.name(), c.description().lines().findFirst().orElse("")));
        }
        return s.toString();
    }

    private static String help(SparkCommand c) {
        StringBuilder s = new StringBuilder("Usage: " + NAME + " " + c.name() + " " + c.options().synopsis() + "\n\n"
                + c.description() + "\n\nOptions:\n" + c.options().help() + "\nNot on Spark:\n");
        c.notOnSpark().forEach((name, why) -> s.append("  --").append(name).append(": ").append(why).append('\n'));
        s.append("\nExit status: 0 done, 1 an error, 2 wrong usage").append(c.name().equals("enrich") ? ", 3 rows failed" : "")
                .append('.');
        return s.toString();
    }
}
