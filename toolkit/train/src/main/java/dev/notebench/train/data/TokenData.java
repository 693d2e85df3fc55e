package dev.notebench.train.data;

import com.google.gson.JsonObject;

/**
 * The tokens a run trains and is validated on: one sequence, the first {@link #trainTokens()} for
 * training, the rest for validation. Read from the run's token cache ({@link TokenFile}) or from
 * token shards prepared once ({@link ShardData}).
 */
public interface TokenData extends AutoCloseable {
    /** Returns the number of tokens. */
    long tokens();

    /** Returns the number of training tokens (the first ones). */
    long trainTokens();

    /** Returns the number of validation tokens (the last ones). */
    default long valTokens() {
        return tokens() - trainTokens();
    }

    /** Returns the vocabulary size of the tokenizer that wrote them. */
    int vocabSize();

    /** Returns what the run's manifest records about them. */
    JsonObject manifest();

    /**
     * Returns token {@code i}.
     *
     * @param i 0 ≤ i &lt; {@link #tokens()}
     */
    int get(long i);

    /**
     * Copies tokens {@code [from, from + n)} into {@code out} as longs, at {@code outOffset}.
     *
     * @param from the first token
     * @param n how many
     * @param out the destination
     * @param outOffset where in it
     */
    void copy(long from, int n, long[] out, int outOffset);

    @Override
    void close();
}
