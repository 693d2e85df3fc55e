package dev.notebench.enrich.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.enrich.AnnotatorOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalLabelerProviderTest {
    private static final Path HOME = Path.of("/home/ada");

    @Test
    void modelsAndCacheComeFromTheEnvironmentTheOptionsCarry() {
        AnnotatorOptions o = AnnotatorOptions.builder("local")
                .environment(Map.of("NOTEBENCH_MODELS", "/data/models", "NOTEBENCH_EMBED_CACHE", "/data/emb.sqlite")).build();
        assertEquals(new EmbeddingPaths(Path.of("/data/emb.sqlite"), Path.of("/data/models")), LocalLabelerProvider.defaults(o, HOME));
    }

    @Test
    void withoutAnEnvironmentModelsAndCacheAreUnderTheHomeDirectory() {
        AnnotatorOptions o = AnnotatorOptions.builder("local").build();
        assertEquals(Map.of(), o.environment());
        assertEquals(new EmbeddingPaths(Path.of("/home/ada/.cache/notebench/embeddings.sqlite"),
                Path.of("/home/ada/.cache/notebench/models")), LocalLabelerProvider.defaults(o, HOME));
    }
}
