package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnnotatorOptionsTest {
    @Test
    void theEnvironmentIsOnlyWhatTheCallerPasses() {
        assertEquals(Map.of(), AnnotatorOptions.builder("openai").apiKeyEnv("MY_KEY").build().environment());
        AnnotatorOptions o = AnnotatorOptions.builder("openai").apiKeyEnv("MY_KEY").environment(Map.of("MY_KEY", "sk-1")).build();
        assertEquals(Map.of("MY_KEY", "sk-1"), o.environment());
        assertEquals(Optional.of("MY_KEY"), o.apiKeyEnv());
        NullPointerException e = assertThrows(NullPointerException.class, () -> AnnotatorOptions.builder("openai").environment(null));
        assertEquals("environment", e.getMessage());
    }
}
