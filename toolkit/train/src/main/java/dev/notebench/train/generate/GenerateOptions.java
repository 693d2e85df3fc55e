package dev.notebench.train.generate;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.List;

/**
 * How to sample.
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
        return new GenerateOptions(100, 0.8, 40, 1.0, true, List.of(), 42, 1);
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
