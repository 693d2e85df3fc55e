package dev.notebench.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.ChatRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat templates of Qwen2.5, Llama-3 and Mistral render the text transformers renders
 * (src/test/python/chat_templates.py, run with the pinned transformers of build/pyenv), and the
 * renderer is what {@link ChatRenderer#require} finds.
 */
class ChatTemplatesTest {
    @TempDir
    static Path tmp;
    static JsonObject reference;
    final ChatRenderer renderer = new JinjaChatRenderer();

    @BeforeAll
    static void renderWithTransformers() throws Exception {
        Path home = Path.of(System.getProperty("notebench.home", "../..")).toAbsolutePath().normalize();
        String configured = System.getenv("NOTEBENCH_PYTHON");
        Path python = configured != null && !configured.isBlank() ? Path.of(configured) : home.resolve("build/pyenv/bin/python");
        assertTrue(Files.isExecutable(python), "no Python with transformers at " + python + "; run .ci/install-deps");
        Path out = tmp.resolve("chat.json");
        Path log = tmp.resolve("python.log");
        ProcessBuilder pb = new ProcessBuilder(python.toString(), home.resolve("toolkit/chat/src/test/python/chat_templates.py").toString(),
                out.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HF_HUB_OFFLINE", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "chat_templates.py did not finish");
        assertEquals(0, p.exitValue(), () -> "chat_templates.py failed: " + readLog(log));
        reference = JsonParser.parseString(Files.readString(out, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private Map<String, String> tokens() {
        return Map.of("bos_token", reference.get("bos_token").getAsString(), "eos_token", reference.get("eos_token").getAsString());
    }

    private static List<Map<String, Object>> messages(Iterable<JsonElement> a) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonElement e : a) {
            out.add(Map.of("role", e.getAsJsonObject().get("role").getAsString(), "content", e.getAsJsonObject().get("content").getAsString()));
        }
        return out;
    }

    @Test
    void chatTemplatesOfQwenLlama3AndMistralRenderTheTextOfTransformers() {
        JsonObject templates = reference.getAsJsonObject("templates");
        int checked = 0;
        for (JsonElement c : reference.getAsJsonArray("cases")) {
            JsonObject k = c.getAsJsonObject();
            String text = renderer.render(templates.get(k.get("template").getAsString()).getAsString(),
                    messages(k.getAsJsonArray("messages")), k.get("add_generation_prompt").getAsBoolean(), tokens());
            assertEquals(k.get("text").getAsString(), text, k.get("template").getAsString() + " " + k.getAsJsonArray("messages"));
            checked++;
        }
        assertEquals(16, checked, "3 conversations (Mistral: 2, it has no system role) x 3 templates, with and without the generation prompt");
    }

    @Test
    void aTemplatesRaisedExceptionIsOneErrorWithItsMessage() {
        String mistral = reference.getAsJsonObject("templates").get("mistral").getAsString();
        NotebenchException e = assertThrows(NotebenchException.class, () -> renderer.render(mistral,
                List.of(Map.of("role", "system", "content", "x"), Map.of("role", "user", "content", "y")), false, tokens()));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("the chat template refused the conversation: Conversation roles must alternate"
                + " user/assistant/user/assistant/...", e.getMessage());
    }

    @Test
    void aTemplateThatCannotBeParsedIsOneErrorSayingSo() {
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> renderer.render("{% for m in messages %}{{ m.content }}", List.of(), false, Map.of()));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertTrue(e.getMessage().startsWith("the chat template failed: "), e.getMessage());
    }

    @Test
    void specialTokensMissingFromTheTokenizerRenderAsNothing() {
        assertEquals("[a]", renderer.render("{{ bos_token }}[{{ messages[0].content }}]{{ eos_token }}",
                List.of(Map.of("role", "user", "content", "a")), false, Map.of()));
        assertEquals("<s>[a]", renderer.render("{{ bos_token }}[{{ messages[0].content }}]{{ pad_token }}",
                List.of(Map.of("role", "user", "content", "a")), false, Map.of("bos_token", "<s>")));
    }

    @Test
    void theRendererIsFoundOnTheClassPath() {
        assertInstanceOf(JinjaChatRenderer.class, ChatRenderer.require(ChatTemplatesTest.class.getClassLoader()));
    }
}
