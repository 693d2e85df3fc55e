package dev.notebench.spark.cli;

import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * One {@code notebench spark} command: the local command's declared options (the same names, help,
 * defaults and checks), the Spark options, the local options that mean nothing on Spark (refused
 * with why), and the run.
 */
interface SparkCommand {
    /** The command's words after {@code notebench spark}, e.g. {@code tokenizer train}. */
    String name();

    /** One paragraph on what it does. */
    String description();

    /** The options: the local command's, then {@link Cluster}'s and the command's own. */
    OptionSet options();

    /** The local options refused on Spark, each with what to do instead. */
    Map<String, String> notOnSpark();

    /**
     * Runs the command.
     *
     * @param v the values, with no refused option given
     * @param words the words as given (for paths, which Spark names as URIs)
     * @param out where results go
     * @param err where failures are explained
     * @return the exit status
     */
    int run(OptionValues v, List<String> words, PrintStream out, PrintStream err);

    /** The Spark options every command adds. */
    static OptionSet withCluster(OptionSet local, Option<?>... more) {
        return local.plus(Cluster.MASTER, Cluster.PARTITIONS, Cluster.CONF).plus(more);
    }

    /**
     * The text given to a path option, as typed: {@code hdfs://nn/x} stays so (a {@link java.nio.file.Path}
     * would make it {@code hdfs:/nn/x}).
     *
     * @param words the command's words
     * @param name the option's name without dashes
     * @return the value, or null when the option is not given
     */
    static String raw(List<String> words, String name) {
        String value = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--")) {
                break;
            }
            if (w.equals("--" + name) && i + 1 < words.size()) {
                value = words.get(++i);
            } else if (w.startsWith("--" + name + "=")) {
                value = w.substring(name.length() + 3);
            }
        }
        return value;
    }
}
