package dev.notebench.spark.cli;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.OptionValues;
import dev.notebench.spark.tokenize.SparkCorpusEncoder;
import dev.notebench.tokenize.TokenizerOptions;
import dev.notebench.tokenize.shards.ShardManifest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code notebench spark tokenizer encode}: a corpus encoded into token shards on a cluster
 * ({@link SparkCorpusEncoder}), one shard per partition, in the format {@code tokenizer encode}
 * writes locally and {@code train --tokens DIR} reads.
 */
final class EncodeOnSpark extends SparkCommand {

    EncodeOnSpark() {
        super("tokenizer encode", "Encode a corpus into token shards on a cluster.\n"
                        + "The corpus is what Spark reads as text (a UTF-8 file, directory or glob: local, HDFS, S3), one line a\n"
                        + "row, split into --partitions; each partition is encoded by the tokenizer loaded once per executor into\n"
                        + "its own shard, and the driver writes --out DIR/shards.json last: the local 'tokenizer encode' format,\n"
                        + "which 'notebench train --tokens DIR' reads. --tokenizer and --out must be paths every executor reads\n"
                        + "and writes.",
                TokenizerOptions.ENCODE);
    }

    @Override
    Map<String, String> notOnSpark() {
        return refusals("threads", "the executors encode; set their number and cores with --master or --conf",
                "shard-mb", "each partition is one shard: set their number with --partitions",
                "encoding", "Spark reads the corpus as UTF-8; re-encode it first",
                "errors", "a corpus line that is not UTF-8 stops the job, naming the file; re-encode it first");
    }

    @Override
    int run(OptionValues v, List<String> words, PrintStream out, PrintStream err) {
        if (!v.positional().isEmpty()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a TEXT is encoded locally ('notebench tokenizer encode"
                    + " --tokenizer DIR TEXT'); on Spark give --corpus PATH|GLOB and --out DIR");
        }
        TokenizerOptions.encodesCorpus(v); // --corpus with --out
        String corpus = raw(words, TokenizerOptions.ENCODE_CORPUS.name());
        Path dir = v.get(TokenizerOptions.SHARDS_OUT);
        Cluster.guard("--corpus", corpus, Map.of("--out", dir.toString()));
        long t0 = System.nanoTime();
        ShardManifest m;
        try (Cluster cluster = Cluster.open(v, "notebench tokenizer encode")) {
            m = SparkCorpusEncoder.builder(v.get(TokenizerOptions.TOKENIZER)).build()
                    .encode(cluster.lines(corpus, "--corpus"), "value", dir);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "Wrote %d shards to %s: %,d tokens (%s), %,.0f tokens/s on Spark%n", m.shards().size(), dir,
                m.tokens(), m.dtype().jsonName(), m.tokens() / seconds);
        return 0;
    }
}
