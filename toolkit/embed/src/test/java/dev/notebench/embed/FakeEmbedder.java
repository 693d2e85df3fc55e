package dev.notebench.embed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake model for tests: a deterministic vector per text (from its bytes), counting the texts it was asked for. */
final class FakeEmbedder implements Embedder {
    final AtomicInteger computed = new AtomicInteger();
    private final String id;
    private final int dim;

    FakeEmbedder(String id, int dim) {
        this.id = id;
        this.dim = dim;
    }

    static float[] vector(String text, int dim) {
        float[] v = new float[dim];
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        long h = 1125899906842597L;
        for (byte x : b) {
            h = 31 * h + x;
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(h);
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public int batchSize() {
        return 4;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        computed.addAndGet(texts.size());
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(vector(t, dim));
        }
        return out;
    }
}
