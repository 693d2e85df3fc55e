package dev.notebench.tokenize;

/**
 * Hears how tokenizer training goes: bytes read while counting words, then the vocabulary
 * growing while merging. Called from the training thread; keep it quick. Throwing stops training.
 *
 * <pre>{@code
 * BpeTrainer.builder(8000).listener(new TrainingListener() {
 *     public void merging(int vocab, int target) { bar.update(vocab, target); }
 * })
 * }</pre>
 */
public interface TrainingListener {
    /** A listener that hears nothing. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * Words are being counted.
     *
     * @param bytesRead bytes of the corpus read so far
     * @param totalBytes the corpus size
     */
    default void counting(long bytesRead, long totalBytes) {
    }

    /**
     * Merges are being made.
     *
     * @param vocabSize the vocabulary reached
     * @param target the vocabulary asked for
     */
    default void merging(int vocabSize, int target) {
    }
}
