package dev.notebench.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbedderTest {
    /** Batches of at least 2 and of 12 characters of its longest text in all; vector = [length, call]. */
    private static final class ByLength implements Embedder {
        final List<List<String>> calls = new ArrayList<>();

        @Override
        public String id() {
            return "by-length";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public int batchSize() {
            return 2;
        }

        @Override
        public int batchSize(int chars) {
            return Math.max(2, 12 / Math.max(1, chars));
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            calls.add(List.copyOf(texts));
            return texts.stream().map(t -> new float[] {t.length(), calls.size()}).toList();
        }
    }

    @Test
    void embedAllBatchesShortTextsTogetherAndReturnsTheGivenOrder() {
        ByLength e = new ByLength();
        List<String> texts = List.of("dddd", "a", "bb", "c", "eeeeeeeeeeee", "ff", "g", "hhh");
        List<float[]> v = e.embedAll(texts);
        // sorted: a c g (1 char: 12 a batch) bb ff (2: 6) hhh (3: 4) dddd (4: 3) eeeeeeeeeeee (12: 2); a batch grows while
        // its longest text allows: 5 texts up to ff, hhh would make it 6 of at most 4
        assertEquals(List.of(List.of("a", "c", "g", "bb", "ff"), List.of("hhh", "dddd"), List.of("eeeeeeeeeeee")), e.calls);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i).length(), v.get(i)[0]);
        }
        assertEquals(List.of(2f, 1f, 1f, 1f, 3f, 1f, 1f, 2f), v.stream().map(x -> x[1]).toList());
    }

    @Test
    void aBatchHoldsAtLeastBatchSizeTextsAndAtLeastOne() {
        ByLength e = new ByLength();
        assertEquals(2, Embedder.nextBatch(e, List.of("long text one", "long text two", "long text three"), 0));
        assertEquals(1, Embedder.nextBatch(e, List.of("long text one", "long text two", "long text three"), 2));
        assertEquals(List.of(), e.embedAll(List.of()));
    }
}
