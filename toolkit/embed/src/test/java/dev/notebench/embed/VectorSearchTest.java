package dev.notebench.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorSearchTest {
    @TempDir
    Path tmp;

    @Test
    void theNearestTextsOfTheQuerysModelAndDimensionComeFirstByCosine() {
        try (EmbeddingCache cache = EmbeddingCache.open(tmp.resolve("c.sqlite"))) {
            Map<String, float[]> vectors = new LinkedHashMap<>();
            vectors.put("east", new float[] {1, 0});
            vectors.put("north-east", new float[] {1, 1});
            vectors.put("north", new float[] {1, 3});
            vectors.put("west", new float[] {-1, 0});
            vectors.put("zero", new float[] {0, 0});
            cache.put("m", vectors);
            cache.put("other", Map.of("east too", new float[] {1, 0}));
            cache.put("m", Map.of("three dims", new float[] {1, 0, 0}));
            List<EmbeddingCache.Neighbour> near = cache.nearest("m", new float[] {2, 0}, 3);
            assertEquals(List.of("east", "north-east", "north"), near.stream().map(EmbeddingCache.Neighbour::text).toList());
            assertEquals(1.0, near.get(0).score(), 1e-12);
            assertEquals(Math.sqrt(0.5), near.get(1).score(), 1e-6);
            assertEquals(1 / Math.sqrt(10), near.get(2).score(), 1e-6);
            assertEquals(List.of(), cache.nearest("m", new float[] {1, 0}, 0));
        }
    }

    @Test
    void cosineIsZeroForAnAllZeroVector() {
        assertEquals(0.0, VectorSearch.cosine(new float[] {0, 0}, 0, EmbeddingCache.encode(new float[] {1, 1})));
        assertEquals(-1.0, VectorSearch.cosine(new float[] {3, 4}, 5, EmbeddingCache.encode(new float[] {-6, -8})), 1e-12);
        assertEquals(5.0, VectorSearch.norm(new float[] {3, 4}));
    }
}
