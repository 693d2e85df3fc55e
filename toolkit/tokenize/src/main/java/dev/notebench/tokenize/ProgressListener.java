package dev.notebench.tokenize;

import dev.notebench.progress.Progress;
import java.util.Objects;

/** Shows tokenizer training on a progress bar: a stage for counting words (bytes), one for merging (tokens). */
public final class ProgressListener implements TrainingListener {
    private final Progress progress;
    private String stage = "";

    /**
     * Creates the listener.
     *
     * @param progress the bar, e.g. a {@code NotebookProgress} or a terminal bar
     */
    public ProgressListener(Progress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    @Override
    public void counting(long bytesRead, long totalBytes) {
        enter("counting words", totalBytes, "bytes", 0);
        progress.update(bytesRead);
    }

    @Override
    public void merging(int vocabSize, int target) {
        enter("merging", target, "tokens", vocabSize); // the alphabet is there before the first merge
        progress.update(vocabSize);
    }

    private void enter(String name, long total, String unit, long from) {
        if (!stage.equals(name)) {
            stage = name;
            progress.stage(name, total, unit, from);
        }
    }
}
