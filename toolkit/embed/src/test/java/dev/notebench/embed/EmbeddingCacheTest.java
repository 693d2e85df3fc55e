package dev.notebench.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    @TempDir
    Path tmp;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void aHitReturnsTheExactStoredVectorAndTheSameTextUnderAnotherModelIsAnotherEntry() {
        float[] v = {1.0f, -0.0f, Float.MIN_VALUE, 3.4028235e38f, 0.1f};
        try (EmbeddingCache c = EmbeddingCache.open(tmp.resolve("c.sqlite"))) {
            c.put("m1", Map.of("héllo wörld", v));
            assertArrayEquals(v, c.get("m1", List.of("héllo wörld")).get("héllo wörld"));
            assertEquals(Float.floatToRawIntBits(-0.0f),
                    Float.floatToRawIntBits(c.get("m1", List.of("héllo wörld")).get("héllo wörld")[1]), "bit for bit");
            assertEquals(Map.of(), c.get("m2", List.of("héllo wörld")));
            assertEquals(Map.of(), c.get("m1", List.of("héllo world")), "exact text only");
        }
        try (EmbeddingCache again = EmbeddingCache.open(tmp.resolve("c.sqlite"))) {
            assertArrayEquals(v, again.get("m1", List.of("héllo wörld")).get("héllo wörld"), "it persists");
            EmbeddingCache.Stats s = again.stats();
            assertEquals(1, s.hits());
            assertEquals(List.of(new EmbeddingCache.Stats.Model("m1", 1, 20)), s.models());
        }
    }

    @Test
    void embedComputesOnlyTheMissesInBatchesAndReturnsVectorsInOrder() {
        FakeEmbedder model = new FakeEmbedder("fake-8", 8);
        try (EmbeddingCache c = EmbeddingCache.open(tmp.resolve("c.sqlite"))) {
            List<float[]> first = c.embed(model, List.of("a", "b", "c", "a", "d", "e", "f"));
            assertEquals(6, model.computed.get(), "duplicates are computed once");
            assertArrayEquals(FakeEmbedder.vector("c", 8), first.get(2));
            assertArrayEquals(first.get(0), first.get(3));
            List<float[]> second = c.embed(model, List.of("f", "g", "a"));
            assertEquals(7, model.computed.get(), "only g is new");
            assertArrayEquals(FakeEmbedder.vector("g", 8), second.get(1));
            EmbeddingCache.Stats s = c.stats();
            assertEquals(7 + 3, s.hits() + s.misses());
            assertEquals(2, s.hits(), "f and a");
            assertEquals(7, s.entries());
        }
    }

    @Test
    void anEntryWhoseBlobDoesNotMatchItsDimensionIsNeverReturnedAndIsRecomputed() throws Exception {
        Path file = tmp.resolve("c.sqlite");
        FakeEmbedder model = new FakeEmbedder("fake-8", 8);
        try (EmbeddingCache c = EmbeddingCache.open(file)) {
            c.embed(model, List.of("x", "y"));
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement ps = raw.prepareStatement("UPDATE embeddings SET vector = ? WHERE key = ?")) {
            ps.setBytes(1, new byte[12]);
            ps.setBytes(2, EmbeddingCache.key("fake-8", "x"));
            assertEquals(1, ps.executeUpdate());
        }
        try (EmbeddingCache c = EmbeddingCache.open(file)) {
            assertEquals(List.of("y"), new ArrayList<>(c.get("fake-8", List.of("x", "y")).keySet()));
            assertEquals(1, c.stats().corrupt());
            List<float[]> v = c.embed(model, List.of("x"));
            assertArrayEquals(FakeEmbedder.vector("x", 8), v.get(0), "recomputed");
            assertArrayEquals(FakeEmbedder.vector("x", 8), c.get("fake-8", List.of("x")).get("x"), "and stored again");
            assertEquals("ok", c.integrityCheck());
        }
    }

    @Test
    void aSizeCapEvictsTheLeastRecentlyUsedEntries() {
        ManualClock clock = new ManualClock();
        // each entry: 16 floats (64 bytes) + a 2-char text + 80 overhead = 146 bytes; 5 fit in 750
        try (EmbeddingCache c = EmbeddingCache.builder(tmp.resolve("c.sqlite")).maxBytes(750).clock(clock).open()) {
            FakeEmbedder model = new FakeEmbedder("fake-16", 16);
            for (int i = 0; i < 5; i++) {
                clock.millis += 120_000;
                c.embed(model, List.of("t" + i));
            }
            clock.millis += 120_000;
            c.get("fake-16", List.of("t0")); // t0 is used again: t1 is now the oldest
            clock.millis += 120_000;
            c.embed(model, List.of("t5"));
            assertEquals(5, c.stats().entries());
            assertFalse(c.get("fake-16", List.of("t1")).containsKey("t1"), "the least recently used went");
            assertTrue(c.get("fake-16", List.of("t0")).containsKey("t0"), "the one used again stayed");
            assertTrue(c.get("fake-16", List.of("t5")).containsKey("t5"));
        }
    }

    @Test
    void clearingByModelAndAgeAndVacuum() {
        ManualClock clock = new ManualClock();
        try (EmbeddingCache c = EmbeddingCache.builder(tmp.resolve("c.sqlite")).clock(clock).open()) {
            c.embed(new FakeEmbedder("a", 4), List.of("1", "2", "3"));
            clock.millis += 3_600_000;
            c.embed(new FakeEmbedder("b", 4), List.of("1", "2"));
            assertEquals(3, c.clearOlderThan(Instant.ofEpochMilli(clock.millis - 60_000)));
            assertEquals(List.of("b"), c.stats().models().stream().map(EmbeddingCache.Stats.Model::model).toList());
            assertEquals(2, c.clear("b"));
            assertEquals(0, c.stats().entries());
            c.embed(new FakeEmbedder("a", 4), List.of("x"));
            assertEquals(1, c.clear());
            c.vacuum();
            assertEquals("ok", c.integrityCheck());
        }
    }

    @Test
    void nearestNeighboursAreTheMostSimilarCachedTextsOfThatModel() {
        try (EmbeddingCache c = EmbeddingCache.open(tmp.resolve("c.sqlite"))) {
            c.put("m", Map.of("east", new float[] {1, 0}, "north-east", new float[] {1, 1}, "north", new float[] {0, 1},
                    "west", new float[] {-1, 0}));
            c.put("other", Map.of("same", new float[] {1, 0}));
            List<EmbeddingCache.Neighbour> n = c.nearest("m", new float[] {2, 0.1f}, 2);
            assertEquals(List.of("east", "north-east"), n.stream().map(EmbeddingCache.Neighbour::text).toList());
            assertEquals(2 / Math.sqrt(4.01), n.get(0).score(), 1e-6);
        }
    }
}
