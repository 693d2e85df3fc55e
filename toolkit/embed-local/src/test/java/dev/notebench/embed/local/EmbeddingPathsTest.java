package dev.notebench.embed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingPathsTest {
    private static final Path HOME = Path.of("/home/ada");

    @Test
    void theVariablesOfTheGivenEnvironmentNameTheCacheAndTheModels() {
        assertEquals(new EmbeddingPaths(Path.of("/data/emb.sqlite"), Path.of("/data/models")), EmbeddingPaths.of(
                Map.of("NOTEBENCH_EMBED_CACHE", "/data/emb.sqlite", "NOTEBENCH_MODELS", "/data/models"), HOME));
    }

    @Test
    void unsetOrBlankVariablesMeanTheUsersCacheDirectory() {
        EmbeddingPaths underHome = new EmbeddingPaths(Path.of("/home/ada/.cache/notebench/embeddings.sqlite"),
                Path.of("/home/ada/.cache/notebench/models"));
        assertEquals(underHome, EmbeddingPaths.of(Map.of(), HOME));
        assertEquals(underHome, EmbeddingPaths.of(Map.of("NOTEBENCH_EMBED_CACHE", " ", "NOTEBENCH_MODELS", ""), HOME));
    }
}
