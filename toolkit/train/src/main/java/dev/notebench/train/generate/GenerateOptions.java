package dev.notebench.train.generate;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.options.ValueType;
import java.util.List;

/**
 * How to sample, and the options that say it ({@link #OPTIONS}), declared once for
 * {@code %generate}, {@code ./notebench generate} and the generate form; their defaults are
 * {@link #defaults()}.
 *
 * <pre>{@code
 * GenerateOptions o = GenerateOptions.from(GenerateOptions.OPTIONS.parse(List.of("--temperature", "0", "--n", "2")));
 * }</pre>
 *
 * @param maxNewTokens tokens to generate, 1 to 512
 * @param temperature 0 for greedy decoding, else the softmax temperature
 * @param topK sample among the k most likely tokens (0: all)
 * @param topP sample among the smallest set of tokens whose probability reaches p (1: all)
 * @param stopOnEos stop a sequence at the end-of-text token
 * @param stopSequences stop a sequence when its text contains one of these (cut before it)
 * @param seed the sampling seed
 * @param numReturnSequences sequences to sample, 1 to 10
 */
public record GenerateOptions(int maxNewTokens, double temperature, int topK, double topP, boolean stopOnEos,
                              List<String> stopSequences, long seed, int numReturnSequences) {

    private static final GenerateOptions DEFAULTS = new GenerateOptions(100, 0.8, 40, 1.0, true, List.of(), 42, 1);

    /** {@code --max-new-tokens N}. */
    public static final Option<Integer> MAX_NEW_TOKENS = Option.integer("max-new-tokens", 1, 512)
            .defaultValue(DEFAULTS.maxNewTokens()).help("tokens to generate");
    /** {@code --temperature X}. */
    public static final Option<Double> TEMPERATURE = Option.number("temperature", 0, Double.POSITIVE_INFINITY)
            .defaultValue(DEFAULTS.temperature()).help("softmax temperature, 0 = greedy");
    /** {@code --top-k N}. */
    public static final Option<Integer> TOP_K = Option.integer("top-k", 0, Integer.MAX_VALUE).defaultValue(DEFAULTS.topK())
            .help("sample among the k most likely tokens, 0 = all");
    /** {@code --top-p X}. */
    public static final Option<Double> TOP_P = Option.number("top-p", new ValueType.Range(0, false, 1, true))
            .defaultValue(DEFAULTS.topP()).help("sample among the most likely tokens whose probability reaches p, 1 = all");
    /** {@code --seed N}. */
    public static final Option<Long> SEED = Option.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE)
            .defaultValue(DEFAULTS.seed()).help("sampling seed: the same seed gives the same text");
    /** {@code --n N}. */
    public static final Option<Integer> N = Option.integer("n", 1, 10).defaultValue(DEFAULTS.numReturnSequences())
            .help("sequences to sample");
    /** {@code --stop TEXT}, repeatable. */
    public static final Option<String> STOP = Option.string("stop").repeatable()
            .help("end a sequence at this text (cut before it)");
    /** {@code --no-eos-stop}. */
    public static final Option<Boolean> NO_EOS_STOP = Option.flag("no-eos-stop").help("keep going past the end-of-text token");

    /** The sampling options, in the order help lists them. */
    public static final OptionSet OPTIONS = OptionSet.of(MAX_NEW_TOKENS, TEMPERATURE, TOP_K, TOP_P, SEED, N, STOP, NO_EOS_STOP);

    /** Validates the values. */
    public GenerateOptions {
        check(maxNewTokens >= 1 && maxNewTokens <= 512, "max_new_tokens must be between 1 and 512, got " + maxNewTokens);
        check(temperature >= 0 && Double.isFinite(temperature), "temperature must be 0 (greedy) or more, got " + temperature);
        check(topK >= 0, "top_k must be 0 (off) or more, got " + topK);
        check(topP > 0 && topP <= 1, "top_p must be in (0, 1], got " + topP);
        check(numReturnSequences >= 1 && numReturnSequences <= 10, "num_return_sequences must be between 1 and 10, got "
                + numReturnSequences);
        stopSequences = List.copyOf(stopSequences);
        for (String s : stopSequences) {
            check(!s.isEmpty(), "a stop sequence must not be empty");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, message);
        }
    }

    /** 100 tokens at temperature 0.8, top-k 40, stopping at end-of-text, seed 42, one sequence. */
    public static GenerateOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The sampling options given (the defaults for the others).
     *
     * @param v values of a set that includes {@link #OPTIONS}'s options
     */
    public static GenerateOptions from(OptionValues v) {
        return new GenerateOptions(v.get(MAX_NEW_TOKENS), v.get(TEMPERATURE), v.get(TOP_K), v.get(TOP_P), !v.get(NO_EOS_STOP),
                v.all(STOP), v.get(SEED), v.get(N));
    }

    /** Returns a copy with another number of new tokens. */
    public GenerateOptions withMaxNewTokens(int n) {
        return new GenerateOptions(n, temperature, topK, topP, stopOnEos, stopSequences, seed, numReturnSequences);
    }

    /** Returns a copy with another temperature. */
    public GenerateOptions withTemperature(double t) {
        return new GenerateOptions(maxNewTokens, t, topK, topP, stopOnEos, stopSequences, seed, numReturnSequences);
    }

    /** Returns a copy with other top-k and top-p. */
    public GenerateOptions withTopKP(int k, double p) {
        return new GenerateOptions(maxNewTokens, temperature, k, p, stopOnEos, stopSequences, seed, numReturnSequences);
    }

    /** Returns a copy with other stop sequences. */
    public GenerateOptions withStopSequences(List<String> stops) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, stopOnEos, stops, seed, numReturnSequences);
    }

    /** Returns a copy with another seed and number of sequences. */
    public GenerateOptions withSeed(long s, int sequences) {
        return new GenerateOptions(maxNewTokens, temperature, topK, topP, stopOnEos, stopSequences, s, sequences);
    }
}
