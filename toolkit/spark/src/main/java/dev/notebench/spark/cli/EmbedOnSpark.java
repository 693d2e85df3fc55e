package dev.notebench.spark.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.regexp_replace;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.embed.local.EmbedOptions;
import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.options.Option;
import dev.notebench.options.OptionValues;
import dev.notebench.spark.embed.SparkEmbedder;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code notebench spark embed}: {@link SparkEmbedder} on the lines of {@code --file} or a
 * {@code --csv} column (CSV or Parquet), written as Parquet: the input's columns and
 * {@code embedding} ({@code array<float>}). The local command writes no file (its vectors go to the
 * embedding cache), so Parquet is the output here.
 */
final class EmbedOnSpark extends SparkCommand {
    /** The column the vectors go to. */
    static final String VECTORS = "embedding";
    private static final Option<String> OUT = Option.string("out").label("PATH.parquet").required()
            .help("where the rows with their vectors go: a Parquet directory (the input's columns, then " + VECTORS
                    + ": array<float>)");

    EmbedOnSpark() {
        super("embed", "Embed a text file's lines or a table's column on a cluster into Parquet.\n"
                        + "The lines of --file, or the --column of a --csv (or Parquet) file, with a local model (one per executor\n"
                        + "JVM, loaded once, batched by length inside partitions), written to --out as Parquet.",
                EmbedOptions.EMBED, OUT);
    }

    @Override
    Map<String, String> notOnSpark() {
        return refusals("nearest", "neighbours come from the local cache: run 'notebench embed --nearest K' on the texts");
    }

    @Override
    int run(OptionValues v, List<String> words, PrintStream out, PrintStream err) {
        if (!v.positional().isEmpty()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "texts as arguments are embedded by 'notebench embed'; on Spark"
                    + " give --file FILE (a text a line) or --csv FILE --column NAME");
        }
        if (v.has(EmbedOptions.FILE) == v.has(EmbedOptions.CSV)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give the texts: --file FILE (a text a line) or --csv FILE"
                    + " --column NAME, one of them");
        }
        if (v.has(EmbedOptions.CSV) != v.has(EmbedOptions.COLUMN)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give --csv FILE and --column NAME together");
        }
        String output = v.get(OUT);
        if (Cluster.isCsv(output)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--out " + output + ": vectors are written as Parquet; give a"
                    + " path ending in .parquet");
        }
        SparkEmbedder.Builder b = SparkEmbedder.builder(LocalModel.byId(v.get(EmbedOptions.MODEL)), EmbeddingPaths.ofProcess().modelsDir())
                .output(VECTORS);
        if (v.has(EmbedOptions.CACHE)) {
            b.cache(v.get(EmbedOptions.CACHE));
        }
        String input = v.has(EmbedOptions.FILE) ? "file" : "csv";
        Cluster.mustExist(SparkCommand.raw(words, input), "--" + input);
        Cluster.guard("--" + input, SparkCommand.raw(words, input), java.util.Collections.singletonMap("--out", output));
        try (Cluster cluster = Cluster.open(v, "notebench embed")) {
            Dataset<Row> texts;
            if (v.has(EmbedOptions.FILE)) {
                // the local command's reading of --file: every non-empty line, stripped
                texts = cluster.lines(SparkCommand.raw(words, "file"), "--file").select(regexp_replace(col("value"), "^\\s+|\\s+$", "").as("text"))
                        .filter(length(col("text")).gt(0));
                b.column("text");
            } else {
                texts = cluster.table(SparkCommand.raw(words, "csv"), "--csv");
                b.column(v.get(EmbedOptions.COLUMN));
            }
            cluster.write(b.build().embed(texts), output);
            long rows = cluster.spark().read().parquet(output).count();
            out.println("Embedded " + rows + " rows with " + v.get(EmbedOptions.MODEL) + " on Spark ("
                    + cluster.spark().sparkContext().master() + "); wrote " + output);
        }
        return 0;
    }
}
