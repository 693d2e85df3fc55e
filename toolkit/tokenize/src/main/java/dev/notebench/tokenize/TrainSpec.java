package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a tokenizer training run is asked to do, as the {@code %tokenizer train} magic and
 * {@code ./notebench tokenizer train} take it; parsed at the edge, then handed to
 * {@link TokenizerArtifact#train}.
 *
 * @param kind bpe, char or sentencepiece
 * @param corpus a file, a directory or a glob
 * @param out the artifact directory to write
 * @param vocabSize the vocabulary size (for char: the most ids to keep, 0 for all)
 * @param minFrequency the smallest count still merged (bpe) or kept (char)
 * @param specialTokens special tokens, first ids
 * @param normalization Unicode normalization of the corpus
 * @param lowercase whether to lowercase
 * @param holdout what is held out for statistics
 * @param encoding the corpus encoding (a Java charset name)
 * @param errors what to do with malformed bytes
 * @param threads threads counting words
 */
public record TrainSpec(Kind kind, String corpus, Path out, int vocabSize, long minFrequency, List<String> specialTokens,
                        Normalization normalization, boolean lowercase, Holdout holdout, String encoding,
                        Corpus.Errors errors, int threads) {
    /** The largest vocabulary a tokenizer is trained to: 2^24 ids, far above any model's (LLaMA 3: 128,256). */
    public static final int MAX_VOCAB = 1 << 24;

    /** The kinds of tokenizer that can be trained. */
    public enum Kind {
        /** GPT-2 style byte-level BPE (Hugging Face tokenizer.json). */
        BPE,
        /** One token per character. */
        CHAR,
        /** SentencePiece BPE, trained by {@code spm_train}. */
        SENTENCEPIECE;

        /**
         * Parses a kind name, case-insensitively.
         *
         * @param s {@code bpe}, {@code char} or {@code sentencepiece}
         */
        public static Kind parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "unknown tokenizer type '" + s + "'; use bpe, char or sentencepiece");
            }
        }
    }

    /** Validates the parts. */
    public TrainSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(out, "out");
        specialTokens = List.copyOf(specialTokens);
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(holdout, "holdout");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(errors, "errors");
        if (vocabSize < 0) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "vocab must be positive, got " + vocabSize);
        }
        if (vocabSize > MAX_VOCAB) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "vocab " + vocabSize + " is more than " + MAX_VOCAB + ", the largest"
                    + " vocabulary Notebench trains; ask for fewer (GPT-2 has 50257 tokens, LLaMA 3 128256)");
        }
        if (minFrequency < 1) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "min frequency must be at least 1, got " + minFrequency);
        }
        if (threads < 1) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "threads must be at least 1, got " + threads);
        }
    }

    /**
     * The defaults for a kind: vocab 8000 (bpe, sentencepiece) or all characters (char), min
     * frequency 2 (bpe) or 1, {@code <|endoftext|>} for bpe, no normalization, 5% of lines held
     * out with seed 42, UTF-8, strict, all cores.
     *
     * @param kind the kind
     * @param corpus the corpus
     * @param out the artifact directory
     */
    public static TrainSpec defaults(Kind kind, String corpus, Path out) {
        return new TrainSpec(kind, corpus, out, kind == Kind.CHAR ? 0 : 8000, kind == Kind.BPE ? 2 : 1,
                kind == Kind.BPE ? List.of("<|endoftext|>") : List.of(), Normalization.NONE, false,
                Holdout.lines(0.05, 42), "UTF-8", Corpus.Errors.STRICT, Runtime.getRuntime().availableProcessors());
    }

    /** Returns the corpus this spec reads. */
    public Corpus openCorpus() {
        return Corpus.builder(corpus).encoding(encoding).errors(errors).normalization(normalization)
                .lowercase(lowercase).holdout(holdout).build();
    }

    /** Returns a copy with another vocabulary size. */
    public TrainSpec withVocabSize(int v) {
        return new TrainSpec(kind, corpus, out, v, minFrequency, specialTokens, normalization, lowercase, holdout, encoding, errors, threads);
    }

    /** Returns a copy with another holdout. */
    public TrainSpec withHoldout(Holdout h) {
        return new TrainSpec(kind, corpus, out, vocabSize, minFrequency, specialTokens, normalization, lowercase, h, encoding, errors, threads);
    }
}
