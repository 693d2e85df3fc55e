package dev.notebench.train.data;

import com.google.gson.JsonObject;
import dev.notebench.tokenize.shards.ShardManifest;
import dev.notebench.tokenize.shards.TokenShards;
import java.util.Objects;

/**
 * Token shards ({@code tokenizer encode --corpus ... --out DIR}) as a run's data: the last
 * {@code valFraction} of their tokens is the validation split, as for a {@link TokenFile}.
 *
 * <pre>{@code
 * try (ShardData data = new ShardData(TokenShards.open(Path.of("build/ids")), 0.1)) {
 *     Windows w = new Windows(data, 256, 16, 1337);
 * }
 * }</pre>
 */
public final class ShardData implements TokenData {
    private final TokenShards shards;
    private final double valFraction;
    private final long trainTokens;

    /**
     * Wraps open shards; closing this closes them.
     *
     * @param shards the shards
     * @param valFraction the share of tokens, at the end, kept for validation
     */
    public ShardData(TokenShards shards, double valFraction) {
        this.shards = Objects.requireNonNull(shards, "shards");
        this.valFraction = valFraction;
        this.trainTokens = shards.tokens() - (long) Math.floor(shards.tokens() * valFraction); // as TokenFile splits
    }

    @Override
    public long tokens() {
        return shards.tokens();
    }

    @Override
    public long trainTokens() {
        return trainTokens;
    }

    @Override
    public int vocabSize() {
        return shards.vocabSize();
    }

    @Override
    public JsonObject manifest() {
        ShardManifest m = shards.manifest();
        JsonObject o = new JsonObject();
        o.addProperty("format", ShardManifest.FORMAT);
        o.addProperty("tokens_dir", shards.directory().toString());
        o.addProperty("tokenizer", m.tokenizer());
        o.addProperty("vocab_size", m.vocabSize());
        o.addProperty("dtype", m.dtype().jsonName());
        o.addProperty("shards", m.shards().size());
        o.addProperty("tokens", tokens());
        o.addProperty("train_tokens", trainTokens);
        o.addProperty("val_tokens", valTokens());
        o.addProperty("val_fraction", valFraction);
        return o;
    }

    @Override
    public int get(long i) {
        return shards.get(i);
    }

    @Override
    public void copy(long from, int n, long[] out, int outOffset) {
        shards.copy(from, n, out, outOffset);
    }

    @Override
    public void close() {
        shards.close();
    }
}
