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
abstract class SparkCommand {
    private final String name;
    private final String description;
    private final OptionSet options;

    /**
     * A command.
     *
     * @param name its words after {@code notebench spark}
     * @param description its summary line, then a paragraph
     * @param local the local command's options, to which {@link Cluster}'s and {@code more} are added
     * @param more the command's own options
     */
    SparkCommand(String name, String description, OptionSet local, Option<?>... more) {
        this.name = name;
        this.description = description;
        this.options = local.plus(Cluster.MASTER, Cluster.PARTITIONS, Cluster.CONF).plus(more);
    }

    /** The command's words after {@code notebench spark}, e.g. {@code tokenizer train}. */
    final String name() {
        return name;
    }

    /** Its summary line, then a paragraph on what it does. */
    final String description() {
        return description;
    }

    /** The options: the local command's, then {@link Cluster}'s and the command's own. */
    final OptionSet options() {
        return options;
    }

    /** The local options refused on Spark, each with what to do instead, in the order help lists them. */
    abstract Map<String, String> notOnSpark();

    /**
     * Refusals in order.
     *
     * @param nameThenWhy an option's name without dashes, then what to do instead; again for each option
     */
    static Map<String, String> refusals(String... nameThenWhy) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameThenWhy.length; i += 2) {
            m.put(nameThenWhy[i], nameThenWhy[i + 1]);
        }
        return m;
    }

    /**
     * Runs the command.
     *
     * @param v the values, with no refused option given
     * @param words the words as given (for paths, which Spark names as URIs)
     * @param out where results go
     * @param err where failures are explained
     * @return the exit status
     */
    abstract int run(OptionValues v, List<String> words, PrintStream out, PrintStream err);

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
