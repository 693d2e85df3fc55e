package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.internal.BpeMerger;
import dev.notebench.tokenize.internal.ByteLevel;
import dev.notebench.tokenize.internal.WordCounts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Trains a GPT-2 style byte-level BPE tokenizer: the same merges and ids as Hugging Face's
 * {@code ByteLevelBPETokenizer.train}, computed on all cores while streaming the corpus, in
 * memory that grows with the number of distinct words, not with the corpus.
 *
 * <pre>{@code
 * BpeTraining t = BpeTrainer.builder(8000)
 *         .specialTokens(List.of("<|endoftext|>"))
 *         .build()
 *         .train(Corpus.of("datasets/sotu/sotu-sample.txt"));
 * t.model().save(Path.of("tokenizer.json"));
 * }</pre>
 */
public final class BpeTrainer {
    private final int vocabSize;
    private final long minFrequency;
    private final List<String> specialTokens;
    private final int threads;
    private final TrainingListener listener;

    private BpeTrainer(Builder b) {
        this.vocabSize = b.vocabSize;
        this.minFrequency = b.minFrequency;
        this.specialTokens = List.copyOf(new LinkedHashSet<>(b.specialTokens));
        this.threads = b.threads;
        this.listener = b.listener;
        int floor = 256 + specialTokens.size();
        if (vocabSize < floor) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "vocab " + vocabSize + " is smaller than the " + floor
                    + " tokens a byte-level BPE starts with (256 byte symbols + " + specialTokens.size()
                    + " special); ask for at least " + floor);
        }
    }

    /**
     * Starts a trainer.
     *
     * @param vocabSize the vocabulary size to reach, special tokens and the 256 byte symbols included
     */
    public static Builder builder(int vocabSize) {
        return new Builder(vocabSize);
    }

    /** Returns the vocabulary size asked for. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Returns the smallest pair count that is still merged. */
    public long minFrequency() {
        return minFrequency;
    }

    /** Returns the special tokens, in id order. */
    public List<String> specialTokens() {
        return specialTokens;
    }

    /** Returns the number of threads that count words. */
    public int threads() {
        return threads;
    }

    /**
     * Trains on a corpus; held-out lines are skipped and returned for statistics.
     *
     * @param corpus the corpus
     * @return the model and what training saw
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} for an empty corpus or text
     *     that is not in its encoding, {@link ErrorCode#CANCELLED} when interrupted
     */
    public BpeTraining train(Corpus corpus) {
        long t0 = System.nanoTime();
        CorpusScan.Result<CorpusScan.WordSink> scan = CorpusScan.scan(corpus, threads, listener::counting,
                CorpusScan.WordSink::new);
        WordCounts words = CorpusScan.WordSink.combine(scan.sinks());
        long t1 = System.nanoTime();
        if (scan.bytesRead() == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "corpus " + corpus.spec() + " is empty ("
                    + corpus.files().size() + (corpus.files().size() == 1 ? " file" : " files") + ", 0 bytes); give it some text");
        }
        if (words.size() == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "corpus " + corpus.spec()
                    + " has no text left to train on after holding out " + scan.holdout().size() + " of " + scan.lines()
                    + " lines; lower the holdout fraction");
        }
        List<String> vocab = new ArrayList<>(specialTokens);
        int[] byteToId = new int[256];
        char[] alphabet = ByteLevel.alphabetByCodePoint();
        for (char c : alphabet) {
            String s = String.valueOf(c);
            if (!vocab.contains(s)) {
                vocab.add(s);
            }
            byteToId[ByteLevel.byteOf(c)] = vocab.indexOf(s);
        }
        BpeMerger.Result merged = BpeMerger.merge(words, vocab, byteToId, vocabSize, minFrequency, (v, target) -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new NotebenchException(ErrorCode.CANCELLED, "tokenizer training was interrupted");
            }
            listener.merging(v, target);
        });
        long t2 = System.nanoTime();
        List<BpeModel.Merge> merges = new ArrayList<>(merged.merges().size());
        for (int[] m : merged.merges()) {
            merges.add(new BpeModel.Merge(merged.vocab().get(m[0]), merged.vocab().get(m[1])));
        }
        BpeModel model = new BpeModel(merged.vocab(), merges, specialTokens, corpus.normalization(), corpus.lowercase());
        List<String> holdout = new ArrayList<>(scan.holdout().size());
        for (CorpusScan.HeldOutLine l : scan.holdout()) {
            holdout.add(new String(l.utf8(), StandardCharsets.UTF_8));
        }
        CorpusSummary summary = new CorpusSummary(corpus.files().size(), scan.bytesRead(), scan.lines(), scan.trainLines(),
                scan.holdout().size(), words.size(), scan.sha256());
        return new BpeTraining(model, summary, holdout, Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
    }

    /** Configures a {@link BpeTrainer}. */
    public static final class Builder {
        private final int vocabSize;
        private long minFrequency = 2;
        private List<String> specialTokens = List.of("<|endoftext|>");
        private int threads = Runtime.getRuntime().availableProcessors();
        private TrainingListener listener = TrainingListener.NONE;

        private Builder(int vocabSize) {
            this.vocabSize = vocabSize;
        }

        /**
         * Sets the smallest pair count that is still merged (default 2, as
         * {@code ByteLevelBPETokenizer.train}).
         *
         * @param minFrequency at least 0
         */
        public Builder minFrequency(long minFrequency) {
            if (minFrequency < 0) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "min frequency must be 0 or more, got " + minFrequency);
            }
            this.minFrequency = minFrequency;
            return this;
        }

        /**
         * Sets the special tokens, which get the first ids (default {@code <|endoftext|>}).
         *
         * @param tokens the tokens, in id order
         */
        public Builder specialTokens(List<String> tokens) {
            for (String t : tokens) {
                if (t == null || t.isEmpty()) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a special token must not be empty");
                }
            }
            this.specialTokens = List.copyOf(tokens);
            return this;
        }

        /**
         * Sets how many threads count words (default: all cores).
         *
         * @param threads at least 1
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Sets who hears progress.
         *
         * @param listener the listener
         */
        public Builder listener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Returns the trainer.
         *
         * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} when the vocabulary is
         *     smaller than the byte alphabet plus the special tokens
         */
        public BpeTrainer build() {
            return new BpeTrainer(this);
        }
    }
}
