package dev.notebench.spark.cli;

import com.google.gson.GsonBuilder;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.Option;
import dev.notebench.options.OptionValues;
import dev.notebench.spark.tokenize.SparkBpeTrainer;
import dev.notebench.tokenize.BpeModel;
import dev.notebench.tokenize.BpeTrainer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.TokenizerOptions;
import dev.notebench.tokenize.TrainSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code notebench spark tokenizer train}: byte-level BPE with the words counted on the cluster and
 * the merges learnt on the driver ({@link SparkBpeTrainer}): {@code --out DIR/tokenizer.json} is the
 * local {@code tokenizer train --holdout 0}'s, byte for byte.
 */
final class TokenizerOnSpark extends SparkCommand {

    TokenizerOnSpark() {
        super("tokenizer train", "Train a byte-level BPE tokenizer on a cluster.\n"
                        + "The corpus is what Spark reads (a UTF-8 file, directory or glob: local, HDFS, S3); nothing is held\n"
                        + "out (--holdout 0 only). The executors count the words, the driver learns the merges and writes --out\n"
                        + "DIR with tokenizer.json (the local 'tokenizer train --holdout 0' file, byte for byte) and\n"
                        + "manifest.json.",
                TokenizerOptions.TRAIN);
    }

    @Override
    Map<String, String> notOnSpark() {
        return refusals("holdout-by", "nothing is held out on Spark",
                "seed", "nothing is held out on Spark",
                "threads", "the executors count the words; set their number and cores with --master or --conf",
                "encoding", "Spark reads the corpus as UTF-8; re-encode it first",
                "errors", "a corpus file that is not UTF-8 stops the job, naming the file; re-encode it first",
                "partitions", "each corpus file is counted whole by one task: split the corpus into more files");
    }

    @Override
    int run(OptionValues v, List<String> words, PrintStream out, PrintStream err) {
        TrainSpec spec = TokenizerOptions.spec(v);
        if (spec.kind() != TrainSpec.Kind.BPE) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--type " + v.get(TokenizerOptions.TYPE) + " is not available on"
                    + " Spark: only byte-level BPE (--type bpe) is trained there; train other kinds with 'notebench tokenizer train'");
        }
        if (v.has(TokenizerOptions.HOLDOUT) && v.get(TokenizerOptions.HOLDOUT) != 0) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--holdout " + v.get(TokenizerOptions.HOLDOUT) + " is not available"
                    + " on Spark: nothing is held out there (the same tokenizer as --holdout 0 locally); split the corpus before,"
                    + " and measure with 'notebench tokenizer stats'");
        }
        Path dir = v.get(TokenizerOptions.OUT);
        BpeTrainer trainer = BpeTrainer.builder(spec.vocabSize()).minFrequency(spec.minFrequency())
                .specialTokens(spec.specialTokens()).build();
        BpeModel model;
        long t0 = System.nanoTime();
        Cluster.mustExist(v.get(TokenizerOptions.CORPUS), "--corpus");
        try (Cluster cluster = Cluster.open(v, "notebench tokenizer train")) {
            model = SparkBpeTrainer.builder(trainer).normalization(spec.normalization()).lowercase(spec.lowercase()).build()
                    .trainFiles(cluster.spark(), v.get(TokenizerOptions.CORPUS));
        }
        try {
            Files.createDirectories(dir);
            model.save(dir.resolve(TokenizerArtifact.TOKENIZER_JSON));
            Files.writeString(dir.resolve(TokenizerArtifact.MANIFEST), manifest(v, model, (System.nanoTime() - t0) / 1_000_000),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer to --out " + dir, e);
        }
        out.println("Wrote tokenizer artifact " + dir + " (vocab " + model.vocabSize() + ", " + model.merges().size()
                + " merges, trained on Spark)");
        return 0;
    }

    /** The manifest: the options it was trained with (defaults included; nothing held out), the corpus as given, the result. */
    private static String manifest(OptionValues v, BpeModel model, long millis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "notebench-tokenizer/1");
        m.put("kind", "bpe");
        m.put("created", Instant.now().toString());
        Map<String, Object> options = new LinkedHashMap<>();
        for (Option<?> o : TokenizerOptions.TRAIN.options()) {
            Object value = v.get(o);
            if (value != null) {
                options.put(o.name(), value instanceof Path p ? p.toString() : value);
            }
        }
        options.put(TokenizerOptions.HOLDOUT.name(), 0.0);
        m.put("options", options);
        m.put("corpus", Map.of("spec", v.get(TokenizerOptions.CORPUS)));
        Map<String, Object> trained = new LinkedHashMap<>();
        trained.put("file", TokenizerArtifact.TOKENIZER_JSON);
        trained.put("merges", model.merges().size());
        trained.put("vocab_size", model.vocabSize());
        trained.put("trained_on", "spark");
        m.put("tokenizer", trained);
        m.put("holdout_stats", null);
        m.put("total_ms", millis);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(m) + "\n";
    }
}
