package dev.notebench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
    @Test
    void theKeyIsSentAsABearerTokenAndNeverShownByToString() throws IOException {
        ApiKey key = ApiKey.fromEnvironment("MY_LLM_KEY", Map.of("MY_LLM_KEY", " sk-secret-123 \n"));
        assertEquals("$MY_LLM_KEY", key.toString());
        assertFalse(key.interceptor().toString().contains("sk-secret"));
        assertTrue(key.appearsIn("...sk-secret-123..."));
        try (ScriptedServer server = new ScriptedServer(n -> ScriptedServer.Answer.of(200, "ok"));
             Response r = new OkHttpClient.Builder().addInterceptor(key.interceptor()).build()
                     .newCall(new Request.Builder().url(server.url()).build()).execute()) {
            assertEquals(200, r.code());
            assertEquals(List.of("Bearer sk-secret-123"), List.copyOf(server.authorizations));
        }
    }

    @Test
    void anUnsetVariableIsAConfigurationErrorNamingIt() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> ApiKey.fromEnvironment("NOPE_KEY", Map.of("NOPE_KEY", " ")));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().startsWith("the environment variable NOPE_KEY holds no API key"), e.getMessage());
    }
}
