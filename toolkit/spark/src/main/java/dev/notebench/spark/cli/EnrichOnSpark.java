package dev.notebench.spark.cli;

import static org.apache.spark.sql.functions.col;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.EnrichJob;
import dev.notebench.enrich.EnrichOptions;
import dev.notebench.enrich.Enricher;
import dev.notebench.options.OptionValues;
import dev.notebench.spark.SparkFailures;
import dev.notebench.spark.enrich.SparkAnnotator;
import dev.notebench.spark.enrich.SparkEnricher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code notebench spark enrich}: {@link SparkEnricher} on a CSV or Parquet table with the local
 * command's options (the annotator, limits, packing, attempts, caches); {@code --workers},
 * {@code --rpm} and {@code --tpm} are the whole cluster's. {@code --out FILE.csv}: the input's
 * columns, the new ones and {@code enrich_error}, as one CSV file; other paths: Parquet.
 */
final class EnrichOnSpark extends SparkCommand {
    /** The exit status when the job finished but rows failed, as the local command's. */
    static final int ROWS_FAILED = 3;

    private final Map<String, String> environment;

    /**
     * The command.
     *
     * @param environment the process's environment: the API key's variable and the response cache's default
     */
    EnrichOnSpark(Map<String, String> environment) {
        super("enrich", "Add label or schema columns to a CSV or Parquet table on a cluster.\n"
                        + "An OpenAI-compatible LLM answers, or offline the embedded labeler: one annotator per executor JVM,\n"
                        + "--workers/--rpm/--tpm shared by the whole cluster, rows packed, answers checked and asked again as\n"
                        + "locally; a retried task's answers come from the response cache (--cache: a path every executor of a\n"
                        + "machine opens). The API key is read from --key-env on the driver and travels inside the tasks, never\n"
                        + "as a Spark setting.",
                EnrichOptions.OPTIONS);
        this.environment = Map.copyOf(environment);
    }

    @Override
    Map<String, String> notOnSpark() {
        String journal = "Spark keeps no journal: a failed task is retried from its partition's first row and answered rows come"
                + " from the response cache (--cache), so run the same command again";
        String local = "it runs on one machine: use 'notebench enrich'";
        return refusals("resume", journal,
                "keep-failed", journal,
                "fresh", journal,
                "save-every", "the output is written once, when every partition is done",
                "head", "Spark has no first rows before a job; take them before (a smaller file)",
                "examples-column", "give the examples as a file: --examples FILE.csv (columns text and label)",
                "examples-per-label", "it goes with --examples-column; give --examples FILE.csv",
                "seed", "it draws --examples-column, --sample and --cascade rows, none of which run on Spark",
                "dry-run", local + " --dry-run on the same options (a sample of the rows estimates the whole)",
                "tokenizer", "it counts the tokens of --dry-run and --sample; " + local,
                "sample", local + " --sample",
                "batch-api", "a batch job is one upload from one machine: " + local + " --batch-api",
                "poll-every", "it goes with --batch-api: " + local,
                "cancel-batch", "it goes with --batch-api: " + local,
                "cascade", local + " --cascade (its threshold is chosen on one sample of gold rows)",
                "target-accuracy", "it goes with --cascade: " + local,
                "target-precision", "it goes with --cascade: " + local,
                "target-recall", "it goes with --cascade: " + local,
                "cascade-sample", "it goes with --cascade: " + local,
                "delta", "it goes with --cascade: " + local,
                "gold", "score the written output locally, or " + local + " --gold",
                "confidence", local + " --confidence",
                "price-in", "costs are estimated by " + local + " --dry-run",
                "price-out", "costs are estimated by " + local + " --dry-run");
    }

    @Override
    int run(OptionValues v, List<String> words, PrintStream out, PrintStream err) {
        EnrichJob job = EnrichOptions.job(v, "", environment, Path.of(System.getProperty("user.home")));
        job.guard().check();
        EnrichJob.Request q = job.request();
        SparkEnricher.Builder b = SparkEnricher.builder(SparkAnnotator.of(q.annotator()), q.schema()).instructions(q.instructions())
                .examples(q.examples()).batchSize(q.batchSize()).tokenBudget(q.tokenBudget()).maxAttempts(q.maxAttempts());
        if (q.template() != null) {
            b.template(q.template());
        } else {
            b.textColumns(q.textColumns().toArray(String[]::new));
        }
        SparkEnricher enricher = b.build();
        String input = SparkCommand.raw(words, "input");
        String output = SparkCommand.raw(words, "out");
        Cluster.mustExist(input, "--input");
        Cluster.guard("--input", input, java.util.Collections.singletonMap("--out", output));
        try (Cluster cluster = Cluster.open(v, "notebench enrich")) {
            Dataset<Row> labelled = enricher.enrich(cluster.table(input, "--input"));
            List<Row> rows;
            try {
                rows = cluster.write(labelled, output);
            } catch (Exception e) { // Spark's SparkException is checked, though Scala declares none
                throw onSpark(e, options().find("no-cache").map(v::has).orElse(false));
            }
            long total;
            long failed;
            if (rows != null) {
                int error = labelled.schema().fieldIndex(Enricher.ERROR_COLUMN);
                total = rows.size();
                failed = rows.stream().filter(r -> !r.getString(error).isEmpty()).count();
            } else {
                Dataset<Row> written = cluster.spark().read().parquet(output);
                total = written.count();
                failed = written.filter(col(Enricher.ERROR_COLUMN).notEqual("")).count();
            }
            out.println("Enriched " + total + " rows on Spark (" + cluster.spark().sparkContext().master() + "): "
                    + (total - failed) + " labelled, " + failed + " failed; wrote " + output);
            if (failed > 0) {
                err.println("notebench spark enrich: " + failed + " rows failed: their reasons are in the " + Enricher.ERROR_COLUMN
                        + " column of " + output + "; fix the cause and run the same command again (answered rows come from the"
                        + " response cache)");
                return ROWS_FAILED;
            }
        }
        return 0;
    }

    /**
     * A failed job's error with what to do on Spark: the local advice (a journal, --resume) does not
     * hold here; the response cache keeps the rows answered before the failure.
     */
    private static RuntimeException onSpark(Exception failure, boolean noCache) {
        NotebenchException cause = SparkFailures.cause(failure).orElse(null);
        if (cause == null) {
            return failure instanceof RuntimeException r ? r
                    : new NotebenchException(ErrorCode.PROVIDER_FAILED, "Spark failed: " + failure.toString().lines().findFirst().orElse(""), failure);
        }
        if (cause.code() != ErrorCode.PROVIDER_FAILED) {
            return cause;
        }
        String problem = cause.getMessage();
        return new NotebenchException(cause.code(), problem + (problem.endsWith("?") || problem.endsWith(".") ? " " : ". ")
                + "Then run the same command again: " + (noCache
                ? "without --no-cache, the rows answered before a failure come from the response cache and are not asked again"
                : "the rows answered before the failure come from the response cache (--cache) and are not asked again"), cause);
    }
}
