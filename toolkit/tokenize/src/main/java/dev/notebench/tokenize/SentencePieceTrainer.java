package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Trains a SentencePiece BPE model with the {@code spm_train} program (Debian package
 * {@code sentencepiece}) on the corpus's training lines, already normalized and with the holdout
 * removed, so SentencePiece's own normalization is off ({@code identity}). The program is found
 * through an environment ({@value #SPM_TRAIN_ENV}, else {@code PATH}) that the application reads
 * at its edge (the CLI, the kernel) and passes in.
 */
public final class SentencePieceTrainer {
    /** The environment variable naming an {@code spm_train} to use. */
    public static final String SPM_TRAIN_ENV = "NOTEBENCH_SPM_TRAIN";

    /**
     * What a run produced besides the model.
     *
     * @param holdout held-out lines
     * @param corpus what was read
     * @param time how long it took
     * @param command the spm_train command line
     */
    public record Result(List<String> holdout, CorpusSummary corpus, Duration time, String command) {
    }

    private SentencePieceTrainer() {
    }

    /**
     * Returns the {@code spm_train} executable an environment names: the one in
     * {@value #SPM_TRAIN_ENV} if set (empty when that is not executable), else the first on its
     * {@code PATH}.
     *
     * @param environment the application's environment
     * @return the executable, if one is installed
     */
    public static java.util.Optional<Path> findSpmTrain(Map<String, String> environment) {
        String configured = environment.get(SPM_TRAIN_ENV);
        if (configured != null && !configured.isBlank()) {
            return java.util.Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        for (String dir : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "spm_train");
            if (Files.isExecutable(p)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Trains a model into {@code modelFile} (a {@code .vocab} is written beside it), reporting how
     * much of the corpus was read (spm_train itself reports nothing).
     *
     * @param spec vocabulary size, special tokens (user-defined symbols), threads
     * @param corpus the corpus
     * @param modelFile where the {@code .model} goes
     * @param environment where spm_train is looked up ({@link #findSpmTrain(Map)})
     * @param listener hears progress
     * @return the holdout and what was read
     * @throws NotebenchException with {@link ErrorCode#DEPENDENCY_MISSING} when spm_train is not installed
     */
    public static Result train(TrainSpec spec, Corpus corpus, Path modelFile, Map<String, String> environment,
                               TrainingListener listener) {
        return train(spec, corpus, modelFile, findSpmTrain(environment), listener);
    }

    static Result train(TrainSpec spec, Corpus corpus, Path modelFile, java.util.Optional<Path> spmTrain,
                        TrainingListener listener) {
        Path spm = spmTrain.orElseThrow(() -> new NotebenchException(ErrorCode.DEPENDENCY_MISSING,
                "spm_train is not installed; install SentencePiece (Debian/Ubuntu: sudo apt-get install sentencepiece;"
                        + " macOS: brew install sentencepiece) or set " + SPM_TRAIN_ENV + " to its path"));
        long t0 = System.nanoTime();
        Path dir = modelFile.toAbsolutePath().getParent();
        Path input = dir.resolve("spm-train-input.txt");
        LineWriter writer;
        try {
            writer = new LineWriter(new BufferedOutputStream(Files.newOutputStream(input), 1 << 20));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // one worker keeps the lines in corpus order, so the model does not depend on thread timing
        CorpusScan.Result<LineWriter> scan;
        try (writer) {
            scan = CorpusScan.scan(corpus, 1, listener::counting, () -> writer);
        }
        if (scan.trainLines() == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "corpus " + corpus.spec() + " has no text to train on");
        }
        String prefix = modelFile.toString().replaceFirst("\\.model$", "");
        List<String> cmd = new ArrayList<>(List.of(spm.toString(),
                "--input=" + input, "--model_prefix=" + prefix, "--model_type=bpe",
                "--vocab_size=" + spec.vocabSize(), "--character_coverage=1.0",
                "--normalization_rule_name=identity", "--num_threads=" + spec.threads(),
                "--max_sentence_length=" + Math.max(4192, writer.longest + 1),
                "--shuffle_input_sentence=false", "--minloglevel=1"));
        if (!spec.specialTokens().isEmpty()) {
            cmd.add("--user_defined_symbols=" + String.join(",", spec.specialTokens()));
        }
        Path log = dir.resolve("spm_train.log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(6, TimeUnit.HOURS) || p.exitValue() != 0) {
                p.destroyForcibly();
                List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
                throw new NotebenchException(ErrorCode.TOKENIZER_TRAIN_FAILED, "spm_train failed: "
                        + String.join(" | ", out.subList(Math.max(0, out.size() - 5), out.size()))
                        + "; check the vocabulary size (SentencePiece needs at least as many ids as characters)");
            }
            Files.deleteIfExists(input);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING, "cannot run " + spm + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotebenchException(ErrorCode.CANCELLED, "SentencePiece training was interrupted", e);
        }
        List<String> holdout = new ArrayList<>();
        for (CorpusScan.HeldOutLine l : scan.holdout()) {
            holdout.add(new String(l.utf8(), StandardCharsets.UTF_8));
        }
        CorpusSummary summary = new CorpusSummary(corpus.files().size(), scan.bytesRead(), scan.lines(),
                scan.trainLines(), scan.holdout().size(), 0, scan.sha256());
        return new Result(holdout, summary, Duration.ofNanos(System.nanoTime() - t0), String.join(" ", cmd));
    }

    /** Writes training lines, one per line, as spm_train reads them. */
    private static final class LineWriter implements CorpusScan.LineSink, AutoCloseable {
        private final OutputStream out;
        int longest;

        LineWriter(OutputStream out) {
            this.out = out;
        }

        @Override
        public void line(byte[] utf8, int from, int to) {
            int end = to;
            while (end > from && (utf8[end - 1] == '\n' || utf8[end - 1] == '\r')) {
                end--;
            }
            if (end == from) {
                return;
            }
            longest = Math.max(longest, end - from);
            try {
                out.write(utf8, from, end - from);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
