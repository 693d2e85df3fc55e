package dev.notebench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiErrorsTest {
    static final String LLAMA_CPP = "{\"error\":{\"code\":400,\"message\":\"request (611 tokens) exceeds the available context size"
            + " (256 tokens), try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":611,\"n_ctx\":256}}";
    static final String OPENAI = "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, your"
            + " messages resulted in 9000 tokens. Please reduce the length of the messages.\",\"type\":\"invalid_request_error\","
            + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
    static final String VLLM = "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. However,"
            + " you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages"
            + " or completion.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";

    @Test
    void contextOverflowIsRecognisedInTheWordingsOfLlamaCppOpenAiVllmAndTgi() {
        assertTrue(ApiErrors.isContextOverflow(400, LLAMA_CPP));
        assertTrue(ApiErrors.isContextOverflow(400, "{\"error\":{\"code\":400,\"message\":\"too big\",\"type\":\"exceed_context_size_error\"}}"));
        assertTrue(ApiErrors.isContextOverflow(500, "{\"error\":{\"code\":500,\"message\":\"the request exceeds the available context"
                + " size, try increasing it\",\"type\":\"server_error\"}}"));
        assertTrue(ApiErrors.isContextOverflow(400, OPENAI));
        assertTrue(ApiErrors.isContextOverflow(400, "{\"error\":{\"message\":\"too long\",\"code\":\"context_length_exceeded\"}}"));
        assertTrue(ApiErrors.isContextOverflow(400, VLLM));
        assertTrue(ApiErrors.isContextOverflow(422, "{\"error\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be"
                + " <= 4096. Given: 4000 `inputs` tokens and 500 `max_new_tokens`\",\"error_type\":\"validation\"}"));
    }

    @Test
    void otherRefusalsAreNotContextOverflows() {
        assertFalse(ApiErrors.isContextOverflow(400, "{\"error\":{\"message\":\"response_format json_schema is not supported\"}}"));
        assertFalse(ApiErrors.isContextOverflow(429, OPENAI), "a 429 is retried, never split");
        assertFalse(ApiErrors.isContextOverflow(401, OPENAI));
        assertFalse(ApiErrors.isContextOverflow(200, LLAMA_CPP));
        assertFalse(ApiErrors.isContextOverflow(400, "<html>400 Bad Request</html>"));
    }

    @Test
    void theMessageIsTakenFromOpenAiLlamaCppAndVllmBodies() {
        assertEquals("request (611 tokens) exceeds the available context size (256 tokens), try increasing it",
                ApiErrors.message(LLAMA_CPP));
        assertEquals("This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages,"
                + " 1000 in the completion). Please reduce the length of the messages or completion.", ApiErrors.message(VLLM));
        assertEquals("<html> 502 Bad Gateway </html>", ApiErrors.message("<html>\n 502 Bad Gateway\n</html>"));
    }
}
