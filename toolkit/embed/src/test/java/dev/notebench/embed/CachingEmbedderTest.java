package dev.notebench.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingEmbedderTest {
    @TempDir
    Path tmp;

    @Test
    void eachNewTextIsComputedOnceAndLaterCallsAreServedFromTheFile() {
        FakeEmbedder model = new FakeEmbedder("fake-8", 8);
        try (EmbeddingCache cache = EmbeddingCache.open(tmp.resolve("c.sqlite"))) {
            CachingEmbedder cached = new CachingEmbedder(model, cache);
            assertEquals("fake-8", cached.id());
            assertEquals(8, cached.dimension());
            assertEquals(4, cached.batchSize());
            List<float[]> first = cached.embed(List.of("a", "bb", "a", "ccc", "dddd", "eeeee"));
            assertEquals(5, model.computed.get());
            assertArrayEquals(FakeEmbedder.vector("a", 8), first.get(2));
            assertArrayEquals(FakeEmbedder.vector("eeeee", 8), first.get(5));
            List<float[]> second = cached.embedAll(List.of("eeeee", "f", "a"));
            assertEquals(6, model.computed.get());
            assertArrayEquals(FakeEmbedder.vector("f", 8), second.get(1));
            assertEquals(6, cache.stats().entries());
        }
    }

    @Test
    void anEmbedderReturningAVectorOfTheWrongLengthIsAProviderFailureAndNothingIsStored() {
        FakeEmbedder eight = new FakeEmbedder("liar-8", 8);
        Embedder liar = new Embedder() {
            @Override
            public String id() {
                return eight.id();
            }

            @Override
            public int dimension() {
                return 16;
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                return eight.embed(texts);
            }
        };
        try (EmbeddingCache cache = EmbeddingCache.open(tmp.resolve("c.sqlite"))) {
            NotebenchException e = assertThrows(NotebenchException.class, () -> new CachingEmbedder(liar, cache).embed(List.of("x")));
            assertEquals(ErrorCode.PROVIDER_FAILED, e.code());
            assertEquals("embedder liar-8 returned a vector of 8 floats; it declares 16", e.getMessage());
            assertEquals(0, cache.stats().entries());
        }
    }
}
