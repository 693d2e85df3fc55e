package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.FileErrors;
import dev.notebench.internal.Sha256;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.tokenize.shards.CorpusEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The options of training, using and measuring tokenizers, declared once: {@code %tokenizer}
 * and {@code ./notebench tokenizer train|encode|stats|count} are derived from them, and their
 * defaults are {@link TrainSpec#defaults}'.
 *
 * <pre>{@code
 * OptionValues v = TokenizerOptions.TRAIN.parse(List.of("--corpus", "sotu.txt", "--out", "tok", "--vocab", "2000"));
 * TokenizerArtifact.train(TokenizerOptions.spec(v), new ProgressListener(progress), System.getenv());
 * }</pre>
 */
public final class TokenizerOptions {
    private static final TrainSpec BPE = TrainSpec.defaults(TrainSpec.Kind.BPE, "corpus", Path.of("out"));

    /** {@code --corpus PATH|GLOB}. */
    public static final Option<String> CORPUS = Option.string("corpus").label("PATH|GLOB").required()
            .help("a file, a directory or a glob");
    /** {@code --out DIR}. */
    public static final Option<Path> OUT = Option.path("out").label("DIR").required()
            .help("the tokenizer directory to write (with manifest.json)");
    /** {@code --type bpe|char|sentencepiece}. */
    public static final Option<String> TYPE = Option.choice("type", "bpe", "char", "sentencepiece")
            .defaultValue(BPE.kind().name().toLowerCase(Locale.ROOT)).help("the kind of tokenizer");
    /** {@code --vocab N}. */
    public static final Option<Integer> VOCAB = Option.integer("vocab", 0, Integer.MAX_VALUE)
            .defaultText(BPE.vocabSize() + "; char: all characters").help("vocabulary size");
    /** {@code --min-frequency N}. */
    public static final Option<Long> MIN_FREQUENCY = Option.longInteger("min-frequency", 1, Long.MAX_VALUE)
            .defaultText(BPE.minFrequency() + " for bpe, else 1").help("smallest count still merged (bpe) or kept (char)");
    /** {@code --special TOKEN}, repeatable. */
    public static final Option<String> SPECIAL = Option.string("special").label("TOKEN").repeatable()
            .defaultText(String.join(" ", BPE.specialTokens()) + " for bpe").help("a special token");
    /** {@code --holdout FRACTION}. */
    public static final Option<Double> HOLDOUT = Option.number("holdout", 0, 0.5).label("FRACTION")
            .defaultValue(BPE.holdout().fraction()).help("share held out for statistics");
    /** {@code --holdout-by line|file}. */
    public static final Option<String> HOLDOUT_BY = Option.choice("holdout-by", "line", "file").defaultValue("line")
            .help("hold out lines or whole files");
    /** {@code --seed N}. */
    public static final Option<Long> SEED = Option.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE)
            .defaultValue(BPE.holdout().seed()).help("seed of the holdout");
    /** {@code --normalize none|nfc|nfkc}. */
    public static final Option<String> NORMALIZE = Option.choice("normalize", "none", "nfc", "nfkc")
            .defaultValue(BPE.normalization().name().toLowerCase(Locale.ROOT)).help("Unicode normalization");
    /** {@code --lowercase}. */
    public static final Option<Boolean> LOWERCASE = Option.flag("lowercase").help("lowercase the corpus");
    /** {@code --encoding CHARSET}. */
    public static final Option<String> ENCODING = Option.string("encoding").label("CHARSET").defaultValue(BPE.encoding())
            .help("corpus encoding");
    /** {@code --errors strict|replace}. */
    public static final Option<String> ERRORS = Option.choice("errors", "strict", "replace")
            .defaultValue(BPE.errors().name().toLowerCase(Locale.ROOT)).help("malformed bytes: stop, or replace with U+FFFD");
    /** {@code --threads N}. */
    public static final Option<Integer> THREADS = Option.integer("threads", 1, 1024).defaultText("all cores")
            .help("threads counting words");
    /** {@code --tokenizer DIR|FILE}. */
    public static final Option<Path> TOKENIZER = Option.path("tokenizer").label("DIR|FILE").required()
            .help("a tokenizer directory or file");

    /** {@code --corpus PATH|GLOB} of {@code encode}: optional, instead of a text. */
    public static final Option<String> ENCODE_CORPUS = Option.string("corpus").label("PATH|GLOB")
            .help("a corpus (a file, a directory or a glob) to encode into token shards in --out, instead of TEXT");
    /** {@code --out DIR} of {@code encode}. */
    public static final Option<Path> SHARDS_OUT = Option.path("out").label("DIR").output()
            .help("the directory of token shards to write (with shards.json); a rerun after a kill finishes it");
    /** {@code --threads N} of {@code encode}. */
    public static final Option<Integer> ENCODE_THREADS = Option.integer("threads", 1, 1024).defaultText("all cores")
            .help("shards encoded at once");
    /** {@code --shard-mb N}. */
    public static final Option<Integer> SHARD_MB = Option.integer("shard-mb", 1, 1 << 20).defaultValue(16)
            .help("text per shard, in MiB, cut at the next line end");

    /** {@code train}: a tokenizer from a corpus. */
    public static final OptionSet TRAIN = OptionSet.of(CORPUS, OUT, TYPE, VOCAB, MIN_FREQUENCY, SPECIAL, HOLDOUT, HOLDOUT_BY,
            SEED, NORMALIZE, LOWERCASE, ENCODING, ERRORS, THREADS);
    /** {@code encode}: the ids and tokens of a text, or a corpus into token shards ({@code --corpus}, {@code --out}). */
    public static final OptionSet ENCODE = OptionSet.of(TOKENIZER, ENCODE_CORPUS, SHARDS_OUT, ENCODE_THREADS, SHARD_MB, ENCODING, ERRORS)
            .positional("TEXT", "the text (words joined with spaces), unless --corpus is given", 0);
    /** {@code stats}: a tokenizer measured on every line of a corpus. */
    public static final OptionSet STATS = OptionSet.of(TOKENIZER, CORPUS, ENCODING, ERRORS);
    /** {@code count}: the tokens of every line of a corpus, and how fast they were encoded. */
    public static final OptionSet COUNT = OptionSet.of(TOKENIZER, CORPUS, ENCODING, ERRORS);

    private TokenizerOptions() {
    }

    /**
     * Whether an {@code encode} writes token shards ({@code --corpus} and {@code --out}) rather
     * than showing the tokens of a text.
     *
     * @param v values of {@link #ENCODE}
     * @throws NotebenchException with {@link ErrorCode#CONFIG_INVALID} for a text and a corpus
     *     together, neither, or a corpus without {@code --out}
     */
    public static boolean encodesCorpus(OptionValues v) {
        boolean corpus = v.has(ENCODE_CORPUS);
        if (corpus && !v.positional().isEmpty()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give either a TEXT to encode or --corpus, not both");
        }
        if (corpus != v.has(SHARDS_OUT)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, corpus
                    ? "--corpus needs --out DIR, the directory of token shards to write"
                    : "--out needs --corpus PATH|GLOB, the corpus to encode into token shards");
        }
        if (!corpus && (v.has(ENCODE_THREADS) || v.has(SHARD_MB))) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--threads and --shard-mb go with --corpus and --out");
        }
        if (!corpus && v.positional().isEmpty()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "give a TEXT to encode, or --corpus PATH|GLOB and --out DIR to write token shards");
        }
        return corpus;
    }

    /**
     * The shard encoder an {@code encode --corpus ... --out ...} asks for.
     *
     * @param v values of {@link #ENCODE}
     * @param tokenizer the tokenizer loaded from {@link #TOKENIZER}
     * @return the encoder's builder, to add progress to
     */
    public static CorpusEncoder.Builder encoder(OptionValues v, Tokenizer tokenizer) {
        Path file = TokenizerArtifact.file(v.get(TOKENIZER));
        String sha;
        try {
            sha = Sha256.hex(file);
        } catch (IOException e) {
            throw FileErrors.of("read --tokenizer " + file, file, e);
        }
        CorpusEncoder.Builder b = CorpusEncoder.builder(corpus(v, ENCODE_CORPUS), tokenizer, sha, v.get(SHARDS_OUT))
                .shardBytes((long) v.get(SHARD_MB) << 20);
        return v.has(ENCODE_THREADS) ? b.threads(v.get(ENCODE_THREADS)) : b;
    }

    /**
     * The corpus a command reads: the files of {@code spec}'s value, in {@code --encoding}, with
     * {@code --errors}' treatment of malformed bytes.
     *
     * @param v values of a set holding {@code spec}, {@link #ENCODING} and {@link #ERRORS}
     * @param spec the corpus option ({@link #CORPUS} or {@link #ENCODE_CORPUS})
     * @return the corpus
     */
    public static Corpus corpus(OptionValues v, Option<String> spec) {
        return Corpus.builder(v.get(spec)).encoding(v.get(ENCODING))
                .errors(Corpus.Errors.valueOf(v.get(ERRORS).toUpperCase(Locale.ROOT))).build();
    }

    /**
     * What to train, from parsed options.
     *
     * @param v values of {@link #TRAIN}
     * @return the training specification
     */
    public static TrainSpec spec(OptionValues v) {
        TrainSpec.Kind kind = TrainSpec.Kind.parse(v.get(TYPE));
        TrainSpec d = TrainSpec.defaults(kind, v.get(CORPUS), v.get(OUT));
        double fraction = v.get(HOLDOUT);
        long seed = v.get(SEED);
        Holdout holdout = v.get(HOLDOUT_BY).equals("file") ? Holdout.files(fraction, seed) : Holdout.lines(fraction, seed);
        return new TrainSpec(kind, d.corpus(), d.out(), v.has(VOCAB) ? v.get(VOCAB) : d.vocabSize(),
                v.has(MIN_FREQUENCY) ? v.get(MIN_FREQUENCY) : d.minFrequency(), v.has(SPECIAL) ? v.all(SPECIAL) : d.specialTokens(),
                Normalization.valueOf(v.get(NORMALIZE).toUpperCase(Locale.ROOT)), v.get(LOWERCASE), holdout, v.get(ENCODING),
                Corpus.Errors.valueOf(v.get(ERRORS).toUpperCase(Locale.ROOT)), v.has(THREADS) ? v.get(THREADS) : d.threads());
    }
}
