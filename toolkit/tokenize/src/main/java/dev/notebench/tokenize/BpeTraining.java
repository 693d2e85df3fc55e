package dev.notebench.tokenize;

import java.time.Duration;
import java.util.List;

/**
 * The result of {@link BpeTrainer#train}: the model, what was read, the held-out text, and how
 * long counting and merging took.
 *
 * @param model the tokenizer
 * @param corpus what was read
 * @param holdout the held-out lines, in corpus order (for {@link HoldoutStats})
 * @param counting time spent reading and counting words
 * @param merging time spent merging
 */
public record BpeTraining(BpeModel model, CorpusSummary corpus, List<String> holdout, Duration counting,
                          Duration merging) {
    /** Copies the list. */
    public BpeTraining {
        holdout = List.copyOf(holdout);
    }
}
