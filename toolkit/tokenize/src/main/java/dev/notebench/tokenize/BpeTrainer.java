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
    private final boolean fullAlphabet;
    private final int limitAlphabet;

    private BpeTrainer(Builder b) {
        this.fullAlphabet = b.fullAlphabet;
        this.limitAlphabet = b.limitAlphabet;
        this.vocabSize = b.vocabSize;
        this.minFrequency = b.minFrequency;
        this.specialTokens = List.copyOf(new LinkedHashSet<>(b.specialTokens));
        this.threads = b.threads;
        this.listener = b.listener;
        int floor = (fullAlphabet ? 256 : 1) + specialTokens.size();
        if (fullAlphabet && vocabSize < floor) {
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
        BpeModel model = train(words, corpus.normalization(), corpus.lowercase());
        long t2 = System.nanoTime();
        List<String> holdout = new ArrayList<>(scan.holdout().size());
        for (CorpusScan.HeldOutLine l : scan.holdout()) {
            holdout.add(new String(l.utf8(), StandardCharsets.UTF_8));
        }
        CorpusSummary summary = new CorpusSummary(corpus.files().size(), scan.bytesRead(), scan.lines(), scan.trainLines(),
                scan.holdout().size(), words.size(), scan.sha256());
        return new BpeTraining(model, summary, holdout, Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
    }

    /**
     * Learns the merges from words already counted, by the same code as {@link #train(Corpus)}: for
     * callers that count elsewhere, e.g. over a cluster (the Spark module), then merge here. The
     * counts are GPT-2 words (the pieces {@code Gpt2Splitter} cuts from each line, its {@code \n}
     * included) with how often each occurred; their order does not matter.
     *
     * @param words the word counts
     * @param normalization how the text was normalized, recorded in the model
     * @param lowercase whether the text was lowercased, recorded in the model
     * @return the model, identical to what {@link #train(Corpus)} learns from the same counts
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} when there are no words,
     *     {@link ErrorCode#CANCELLED} when interrupted
     */
    public BpeModel train(WordCounts words, Normalization normalization, boolean lowercase) {
        if (words.size() == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "no words to train a tokenizer on; give a corpus with text");
        }
        List<String> vocab = new ArrayList<>(specialTokens);
        int[] byteToId = new int[256];
        java.util.Arrays.fill(byteToId, -1);
        boolean[] keep = alphabet(words);
        for (char c : ByteLevel.alphabetByCodePoint()) {
            if (!keep[ByteLevel.byteOf(c)]) {
                continue;
            }
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
        List<BpeModel.Merge> merges = new ArrayList<>(merged.merges().size());
        for (int[] m : merged.merges()) {
            merges.add(new BpeModel.Merge(merged.vocab().get(m[0]), merged.vocab().get(m[1])));
        }
        return new BpeModel(merged.vocab(), merges, specialTokens, normalization, lowercase);
    }

    /**
     * Which bytes get a symbol: all 256 (the default, so any UTF-8 encodes), or those seen in the
     * corpus, at most {@code limitAlphabet} of them, most frequent first (ties: lower byte first).
     */
    private boolean[] alphabet(WordCounts words) {
        boolean[] keep = new boolean[256];
        if (fullAlphabet) {
            java.util.Arrays.fill(keep, true);
            return keep;
        }
        long[] freq = new long[256];
        for (int w = 0; w < words.size(); w++) {
            for (int i = 0; i < words.length(w); i++) {
                freq[words.byteAt(w, i)] += words.count(w);
            }
        }
        List<Integer> seen = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            if (freq[b] > 0) {
                seen.add(b);
            }
        }
        if (limitAlphabet > 0 && seen.size() > limitAlphabet) {
            seen.sort((x, y) -> freq[x] != freq[y] ? Long.compare(freq[y], freq[x])
                    : Character.compare(ByteLevel.charOf(x), ByteLevel.charOf(y)));
            seen = seen.subList(0, limitAlphabet);
        }
        for (int b : seen) {
            keep[b] = true;
        }
        return keep;
    }

    /** Configures a {@link BpeTrainer}. */
    public static final class Builder {
        private final int vocabSize;
        private long minFrequency = 2;
        private List<String> specialTokens = List.of("<|endoftext|>");
        private int threads = Runtime.getRuntime().availableProcessors();
        private TrainingListener listener = TrainingListener.NONE;
        private boolean fullAlphabet = true;
        private int limitAlphabet;

        private Builder(int vocabSize) {
            this.vocabSize = vocabSize;
        }

        /**
         * Starts from the bytes seen in the corpus instead of all 256 (HF's {@code BpeTrainer} with
         * an empty {@code initial_alphabet}), keeping at most {@code limit} of them, the most
         * frequent (0: all seen). Text with other bytes then loses them when encoded; the default,
         * all 256 bytes, encodes any UTF-8.
         *
         * @param limit the most byte symbols to keep, or 0 for every byte seen
         */
        public Builder seenAlphabetOnly(int limit) {
            if (limit < 0) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "alphabet limit must be 0 or more, got " + limit);
            }
            this.fullAlphabet = false;
            this.limitAlphabet = limit;
            return this;
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
