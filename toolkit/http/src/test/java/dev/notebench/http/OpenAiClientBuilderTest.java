package dev.notebench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class OpenAiClientBuilderTest {
    /** A client's builder as the embedder and the chat annotator declare theirs. */
    static final class Builder extends OpenAiClientBuilder<Builder> {
        Builder() {
            super(5, Duration.ofSeconds(60));
        }
    }

    @Test
    void theClientsDefaultsAreOpenAisServerAndKeyVariableAndTheGivenRetriesAndTimeout() {
        OpenAiClientConfig c = new Builder().environment(Map.of()).config();
        assertEquals("https://api.openai.com/v1", c.baseUrl());
        assertEquals("OPENAI_API_KEY", c.apiKeyEnv());
        assertEquals(5, c.maxRetries());
        assertEquals(Duration.ofMillis(500), c.backoff());
        assertEquals(Duration.ofSeconds(60), c.timeout());
        assertTrue(c.ownsClient());
        assertEquals("https://api.openai.com/v1/chat/completions", c.endpoint("chat", "completions").toString());
    }

    @Test
    void settersReturnTheClientsBuilderAndTheKeyIsReadFromTheNamedVariable() {
        OkHttpClient base = new OkHttpClient();
        OpenAiClientConfig c = new Builder().baseUrl("http://localhost:11434/v1").apiKeyEnv("MY_KEY")
                .environment(Map.of("MY_KEY", " sk-123 ")).retries(2, Duration.ofMillis(10)).timeout(Duration.ofSeconds(5))
                .client(base).config();
        assertEquals("http://localhost:11434/v1/embeddings", c.endpoint("embeddings").toString());
        assertEquals("MY_KEY", c.key().variable());
        assertTrue(c.key().appearsIn("the key sk-123 leaked"));
        assertEquals(2, c.maxRetries());
        assertEquals(Duration.ofSeconds(5), c.timeout());
        assertFalse(c.ownsClient());
        assertEquals(Duration.ofSeconds(5), Duration.ofMillis(c.startClient(new CallStats()).build().readTimeoutMillis()));
    }

    @Test
    void withoutAnEnvironmentTheKeyVariableIsLookedUpInNoneAndTheErrorNamesIt() {
        OpenAiClientConfig c = new Builder().apiKeyEnv("MY_KEY").config();
        assertEquals(Map.of(), c.environment());
        NotebenchException e = assertThrows(NotebenchException.class, c::key);
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("the environment variable MY_KEY holds no API key; set it before starting the kernel or the command (never"
                + " in a notebook), or give no key variable for a local server that needs none", e.getMessage());
        assertEquals("MY_KEY", new Builder().apiKeyEnv("MY_KEY").environment(Map.of("MY_KEY", "sk-1")).config().key().variable());
    }

    @Test
    void noKeyVariableMeansNoKeyAndAnEmptyVariableIsAConfigurationError() {
        assertNull(new Builder().apiKeyEnv(null).config().key());
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> new Builder().apiKeyEnv("EMPTY_KEY").environment(Map.of("EMPTY_KEY", " ")).config().key());
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> new Builder().retries(-1, Duration.ZERO));
        assertEquals("retries -1 must be 0 or more", r.getMessage());
    }
}
