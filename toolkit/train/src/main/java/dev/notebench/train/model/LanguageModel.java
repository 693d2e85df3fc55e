package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.List;
import java.util.Map;

/**
 * A trainable next-token model: token ids in, logits out. Owns its parameters' native memory;
 * close it when done.
 */
public interface LanguageModel extends AutoCloseable {

    /** Returns the family's name. */
    String family();

    /** Returns the hyperparameters, defaults filled in. */
    ModelConfig config();

    /** Returns the vocabulary size. */
    int vocabSize();

    /** Returns the longest context the model takes (its position table), or -1 when unbounded. */
    int contextLength();

    /**
     * Computes next-token logits.
     *
     * @param tokens (batch, time) int64 ids
     * @param training whether dropout is on and gradients are recorded by the caller
     * @return (batch, time, vocab) logits
     */
    NDArray forward(NDArray tokens, boolean training);

    /** Returns the trainable parameters, in a fixed order, each once (tied weights once). */
    List<Parameter> parameters();

    /**
     * Returns whether weight decay applies to a parameter (weight matrices of linear layers, not
     * biases, norms or embeddings).
     *
     * @param p one of {@link #parameters()}
     */
    boolean decays(Parameter p);

    /**
     * Returns the weights of the linear layers, in {@link #parameters()} order: what low-rank
     * adapters may adapt (those {@link #decays} selects); none for a family without linear layers
     * it exposes.
     */
    default List<Parameter> linearWeights() {
        return List.of();
    }

    /**
     * Adds adapters to linear layers: each layer whose weight is a key computes
     * {@code W x + b + adapter(x)} from now on; an empty map removes them.
     *
     * @param byWeight adapters by weight, each one of {@link #linearWeights()}
     * @throws NotebenchException (CONFIG_INVALID) when the family has no linear layers to adapt
     */
    default void adapters(Map<Parameter, LinearAdapter> byWeight) {
        if (!byWeight.isEmpty()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, family() + " models have no linear layers to adapt;"
                    + " LoRA adapts gpt and llama models");
        }
    }

    /**
     * Starts incremental decoding for generation: feed the prompt, then one token at a time.
     *
     * @param batch how many sequences decode together
     * @return the decoder; close it
     */
    Decoder decoder(int batch);

    /**
     * Computes the forward pass on these arrays in place of the parameters' own, e.g. fp16 copies
     * for mixed precision ({@link dev.notebench.train.optim.MixedPrecision}); an empty map goes back
     * to the parameters.
     *
     * @param copies an array for each of {@link #parameters()}, or none
     * @throws NotebenchException (CONFIG_INVALID) when the family computes in fp32 only
     */
    default void workingCopies(Map<Parameter, NDArray> copies) {
        if (!copies.isEmpty()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, family() + " models train in fp32 only;"
                    + " fp16 mixed precision is implemented for gpt; use --precision fp32");
        }
    }

    /** Returns the number of trainable scalars. */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.getArray().size();
        }
        return n;
    }

    /** Releases the parameters. */
    @Override
    void close();

    /** Decodes step by step, keeping its own state (a KV cache, an LSTM state). */
    interface Decoder extends AutoCloseable {
        /**
         * Feeds tokens and returns the logits after the last one.
         *
         * @param tokens (batch, time) int64 ids: the prompt first, then one per step
         * @return (batch, vocab) logits for the next token
         */
        NDArray next(NDArray tokens);

        /** Releases the state. */
        @Override
        void close();
    }
}
