package dev.notebench.spark.cli;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.associations.AssociationJob;
import dev.notebench.associations.Extraction;
import dev.notebench.options.Option;
import dev.notebench.options.OptionValues;
import dev.notebench.spark.associations.SparkAssociations;
import dev.notebench.tables.CsvTables;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code notebench spark associations}: {@link SparkAssociations} on a text file (a concept a line)
 * or a CSV/Parquet column. {@code --out} and {@code --cooccurrence-out} ending in {@code .csv} are the
 * local command's files, byte for byte; other paths are Parquet written by the executors.
 */
final class AssociationsOnSpark extends SparkCommand {

    AssociationsOnSpark() {
        super("associations", "Find typed relations and co-occurring terms (PMI) on a cluster.\n"
                        + "In a text file (a concept a line) or a CSV/Parquet column: each partition extracted on an executor,\n"
                        + "co-occurrence counted by Spark aggregation; the same records as 'notebench associations'.\n"
                        + "--out/--cooccurrence-out FILE.csv: one CSV file as locally; other paths: Parquet.",
                AssociationJob.OPTIONS);
    }

    @Override
    Map<String, String> notOnSpark() {
        return refusals("workers", "the partitions are the parallelism on Spark: --partitions N, and the executors' cores",
                "head", "Spark has no first rows before a job; take them before (a smaller file)",
                "graphml", "write --out FILE.csv and draw the graph locally with 'notebench associations' or %associations",
                "dot", "write --out FILE.csv and draw the graph locally with 'notebench associations' or %associations");
    }

    @Override
    int run(OptionValues v, List<String> words, PrintStream out, PrintStream err) {
        AssociationJob local = AssociationJob.of(v); // the local command's checks of the options
        String input = SparkCommand.raw(words, "input");
        String column = v.get(option("column"));
        if (input == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give the concepts: --input FILE (a text file, one concept a"
                    + " line, or a CSV or Parquet file with --column NAME)");
        }
        boolean table = Cluster.isCsv(input) || Cluster.isParquet(input);
        if (table && column == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "name the column holding the concepts: --column NAME");
        }
        SparkAssociations.Builder b = SparkAssociations.builder(table ? column : "value");
        if (v.has(option("patterns"))) {
            b.patterns(v.get(this.<Path>option("patterns")));
        }
        if (v.get(this.<Boolean>option("cooccurrence")) || v.has(option("cooccurrence-out"))) {
            b.cooccurrence(v.get(this.<Integer>option("window")), v.get(this.<Integer>option("min-count")),
                    v.get(this.<Double>option("min-pmi")));
        }
        local.guard().check();
        String associationsOut = SparkCommand.raw(words, "out");
        String pairsOut = SparkCommand.raw(words, "cooccurrence-out");
        Cluster.mustExist(input, "--input");
        Map<String, String> outputs = new java.util.LinkedHashMap<>();
        outputs.put("--out", associationsOut);
        outputs.put("--cooccurrence-out", pairsOut);
        Cluster.guard("--input", input, outputs); // beside the local guard: a Parquet output is a directory
        try (Cluster cluster = Cluster.open(v, "notebench associations")) {
            Dataset<Row> data = table ? cluster.table(input, "--input") : cluster.lines(input, "--input");
            try (SparkAssociations.Result r = b.build().extract(data)) {
                List<String> written = new ArrayList<>();
                write(cluster, () -> extraction(r.associationList(), List.of()).table(), r.associations(), associationsOut, written);
                write(cluster, () -> extraction(List.of(), r.cooccurrenceList()).cooccurrenceTable(), r.cooccurrences(), pairsOut,
                        written);
                long failed = r.failures().count();
                long pairs = r.cooccurrences().count();
                out.println(String.format(Locale.ROOT, "%d concepts, %d sentences: %d associations, %d failed concepts%s on Spark"
                                + " (%s)%s", r.concepts(), r.sentences(), r.associations().count(), failed,
                        pairs == 0 ? "" : ", " + pairs + " co-occurring pairs", cluster.spark().sparkContext().master(),
                        written.isEmpty() ? "" : "; wrote " + written));
                for (Row c : r.associations().groupBy("relation").count().orderBy("relation").collectAsList()) {
                    out.println(String.format(Locale.ROOT, "  %-24s %d", c.getString(0), c.getLong(1)));
                }
                for (Row f : r.failures().limit(20).collectAsList()) {
                    out.println("  failed concept " + f.getInt(0) + ": " + f.getString(1));
                }
            }
        }
        return 0;
    }

    /** Records collected to the driver, as the local API holds them (for its tables). */
    private static Extraction extraction(List<dev.notebench.associations.Association> associations,
                                         List<dev.notebench.associations.Cooccurrence> pairs) {
        return new Extraction(associations, List.of(), pairs, 0, 0, 1, Duration.ZERO);
    }

    /** The local table as one CSV file (collected to the driver), or the DataFrame as Parquet (written by the executors). */
    private static void write(Cluster cluster, java.util.function.Supplier<tech.tablesaw.api.Table> local, Dataset<Row> data,
                              String path, List<String> written) {
        if (path == null) {
            return;
        }
        if (Cluster.isCsv(path)) {
            CsvTables.write(local.get(), Path.of(path));
        } else {
            cluster.write(data, path);
        }
        written.add(path);
    }

    @SuppressWarnings("unchecked")
    private <T> Option<T> option(String name) {
        return (Option<T>) options().find(name).orElseThrow();
    }
}
