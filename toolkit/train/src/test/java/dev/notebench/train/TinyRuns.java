package dev.notebench.train;

import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.tokenize.TrainSpec;
import dev.notebench.tokenize.TrainingListener;
import dev.notebench.train.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny corpora, tokenizers and configs for fast training tests on the CPU. */
public final class TinyRuns {
    private TinyRuns() {
    }

    public static Path home() {
        return Path.of(System.getProperty("notebench.home", "../..")).toAbsolutePath().normalize();
    }

    /** The first 200 kB of the SOTU sample. */
    public static Path corpus(Path tmp) throws Exception {
        Path f = tmp.resolve("corpus.txt");
        if (!Files.exists(f)) {
            byte[] all = Files.readAllBytes(home().resolve("datasets/sotu/sotu-sample.txt"));
            String text = new String(all, 0, 200_000, java.nio.charset.StandardCharsets.UTF_8);
            Files.writeString(f, text.substring(0, text.lastIndexOf(' ')) + "\n");
        }
        return f;
    }

    public static Path bpe(Path tmp) throws Exception {
        Path dir = tmp.resolve("tok");
        if (!Files.exists(dir.resolve("tokenizer.json"))) {
            TokenizerArtifact.train(TrainSpec.defaults(TrainSpec.Kind.BPE, corpus(tmp).toString(), dir).withVocabSize(400)
                    .withHoldout(dev.notebench.tokenize.Holdout.NONE), TrainingListener.NONE, java.util.Map.of());
        }
        return dir;
    }

    /** A tiny random llama with its own tokenizer, made by transformers (src/test/python/hf_pretrained.py); returns its directory. */
    static Path pretrainedLlama(Path tmp) throws Exception {
        dev.notebench.train.pretrained.HfCausalLm.runScript("hf_pretrained.py", tmp.resolve("python.log"), tmp.toString(), "llama",
                corpus(tmp).toString());
        return tmp.resolve("model");
    }

    public static TrainConfig.Builder gpt(Path tmp, String runId) throws Exception {
        return TrainConfig.builder(ModelConfig.of("gpt", "n_layer", 1, "n_head", 2, "d_model", 32, "seq_len", 16, "dropout", 0.1),
                        bpe(tmp), corpus(tmp).toString())
                .runsDir(tmp.resolve("runs")).runId(runId).batchSize(4).steps(30).learningRate(3e-3).eval(10, 2)
                .device("cpu").threads(1);
    }

    /** A char tokenizer of the tiny corpus. */
    public static Path chars(Path tmp) throws Exception {
        Path dir = tmp.resolve("chars");
        if (!Files.exists(dir.resolve("chars.json"))) {
            TokenizerArtifact.train(TrainSpec.defaults(TrainSpec.Kind.CHAR, corpus(tmp).toString(), dir)
                    .withHoldout(dev.notebench.tokenize.Holdout.NONE), TrainingListener.NONE, java.util.Map.of());
        }
        return dir;
    }

    /** A tiny char-LSTM run configuration. */
    public static TrainConfig.Builder lstm(Path tmp, String runId) throws Exception {
        return TrainConfig.builder(ModelConfig.of("char-lstm", "embed", 16, "hidden", 32, "n_layer", 2, "seq_len", 32,
                        "dropout", 0.1), chars(tmp), corpus(tmp).toString())
                .runsDir(tmp.resolve("runs")).runId(runId).batchSize(8).steps(40).learningRate(1e-2).eval(20, 2)
                .device("cpu").threads(1);
    }

    /**
     * Trains a run, cancelled after step {@code cancelAfter}, then opened again and resumed to its
     * end; returns the training losses of both parts, in order.
     */
    static java.util.List<Double> cancelledAndResumed(TrainRun part, long cancelAfter) {
        TrainRunTest.Losses before = new TrainRunTest.Losses();
        part.listener(before).listener(new RunListener() {
            @Override
            public void step(Step s) {
                if (s.step() == cancelAfter) {
                    part.cancel();
                }
            }
        }).run();
        TrainRunTest.Losses after = new TrainRunTest.Losses();
        org.junit.jupiter.api.Assertions.assertEquals(RunState.COMPLETED, TrainRun.open(part.directory()).listener(after).run().status());
        java.util.List<Double> joined = new java.util.ArrayList<>(before.loss);
        joined.addAll(after.loss);
        return joined;
    }
}
