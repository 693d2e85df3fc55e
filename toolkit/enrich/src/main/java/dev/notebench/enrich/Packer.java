package dev.notebench.enrich;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs rows into batches, in order: at most {@code batchSize} rows per batch and, when a token
 * budget is given, at most that many (estimated) tokens, so that long rows travel in smaller
 * batches. A row larger than the budget travels alone. The same rows and settings always give the
 * same batches.
 */
public final class Packer {
    /** Tokens counted for a row beyond its text: its id and JSON punctuation. */
    static final int ROW_OVERHEAD_TOKENS = 8;

    private final int batchSize;
    private final int tokenBudget;

    /**
     * Creates a packer.
     *
     * @param batchSize the most rows per batch, at least 1
     * @param tokenBudget the most estimated tokens per batch; 0 for no budget
     */
    public Packer(int batchSize, int tokenBudget) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
        }
        if (tokenBudget < 0) {
            throw new IllegalArgumentException("token budget " + tokenBudget + " must be 0 (none) or more");
        }
        this.batchSize = batchSize;
        this.tokenBudget = tokenBudget;
    }

    /**
     * An estimate of a text's tokens: a token per 4 UTF-8 bytes, rounded up, the usual figure for
     * English with GPT-style tokenizers (within about 20% on prose).
     */
    public static int estimateTokens(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return (bytes + 3) / 4;
    }

    /**
     * Packs rows.
     *
     * @param items the rows, in order
     * @return the batches, in order, together holding every row once
     */
    public List<List<Item>> pack(List<Item> items) {
        List<List<Item>> batches = new ArrayList<>();
        List<Item> current = new ArrayList<>();
        int tokens = 0;
        for (Item item : items) {
            int t = estimateTokens(item.text()) + ROW_OVERHEAD_TOKENS;
            boolean full = current.size() == batchSize || (tokenBudget > 0 && !current.isEmpty() && tokens + t > tokenBudget);
            if (full) {
                batches.add(List.copyOf(current));
                current.clear();
                tokens = 0;
            }
            current.add(item);
            tokens += t;
        }
        if (!current.isEmpty()) {
            batches.add(List.copyOf(current));
        }
        return batches;
    }

    /** The most rows per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The token budget per batch; 0 for none. */
    public int tokenBudget() {
        return tokenBudget;
    }
}
