package dev.notebench.train.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.TextFiles;
import dev.notebench.tokenize.ChatRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A tokenizer's chat template: the Jinja text of {@code chat_template.jinja} or of
 * {@code tokenizer_config.json}'s {@code chat_template}, rendered as transformers'
 * {@code apply_chat_template(messages, tokenize=False)} renders it (Jinja with {@code trim_blocks}
 * and {@code lstrip_blocks}; {@code messages}, {@code add_generation_prompt}, the special tokens
 * ({@code bos_token}, {@code eos_token}, ...) and {@code raise_exception} in scope), by a
 * {@link ChatRenderer}: the Jinja engine is {@code notebench-chat}'s, found on the class path.
 *
 * <pre>{@code
 * ChatTemplate t = ChatTemplate.load(Path.of("Qwen2.5-0.5B-Instruct"), ChatRenderer.require(loader));
 * String text = t.render(List.of(ChatTemplate.message("user", "Hi")), true);
 * }</pre>
 */
public final class ChatTemplate {
    /** The file transformers writes the template to beside {@code tokenizer_config.json}. */
    public static final String JINJA_FILE = "chat_template.jinja";
    /** The tokenizer's configuration, with {@code chat_template}, {@code bos_token} and {@code eos_token}. */
    public static final String CONFIG_FILE = "tokenizer_config.json";

    private final String template;
    private final Map<String, String> specialTokens;
    private final ChatRenderer renderer;

    private ChatTemplate(String template, Map<String, String> specialTokens, ChatRenderer renderer) {
        this.template = Objects.requireNonNull(template, "template");
        this.specialTokens = Map.copyOf(specialTokens);
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    /**
     * A template from its text.
     *
     * @param template the Jinja text
     * @param specialTokens what {@code bos_token}, {@code eos_token}, ... render as
     * @param renderer the Jinja engine
     */
    public static ChatTemplate of(String template, Map<String, String> specialTokens, ChatRenderer renderer) {
        return new ChatTemplate(template, specialTokens, renderer);
    }

    /**
     * The template of a tokenizer directory: {@code chat_template.jinja}, else the
     * {@code chat_template} of {@code tokenizer_config.json} (a string, or the one named
     * {@code default} of a list), with that file's special tokens (its {@code *_token} entries, as
     * transformers passes them to the template).
     *
     * @param dir the directory of {@code tokenizer.json}
     * @param renderer the Jinja engine
     * @throws NotebenchException (DATA_NOT_FOUND) when the tokenizer has no chat template
     */
    public static ChatTemplate load(Path dir, ChatRenderer renderer) {
        JsonObject c = config(dir);
        String text = null;
        if (Files.isRegularFile(dir.resolve(JINJA_FILE))) {
            text = TextFiles.readUtf8(dir.resolve(JINJA_FILE), "the chat template");
        } else if (c.has("chat_template") && c.get("chat_template").isJsonPrimitive()) {
            text = c.get("chat_template").getAsString();
        } else if (c.has("chat_template") && c.get("chat_template").isJsonArray()) {
            for (JsonElement e : c.getAsJsonArray("chat_template")) {
                if ("default".equals(e.getAsJsonObject().get("name").getAsString())) {
                    text = e.getAsJsonObject().get("template").getAsString();
                }
            }
        }
        if (text == null) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "the tokenizer in " + dir + " has no chat template (no "
                    + JINJA_FILE + ", no chat_template in " + CONFIG_FILE + "); chat rows need one: add it, or give rows of"
                    + " plain \"prompt\" and \"completion\" text");
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : c.entrySet()) {
            String token = e.getKey().endsWith("_token") ? token(e.getValue()) : null;
            if (token != null) {
                tokens.put(e.getKey(), token);
            }
        }
        return new ChatTemplate(text, tokens, renderer);
    }

    /**
     * The end token of a tokenizer directory: {@code tokenizer_config.json}'s {@code eos_token}.
     *
     * @param dir the directory of {@code tokenizer.json}
     * @return the token's text, or "" when there is none
     */
    public static String eosToken(Path dir) {
        String eos = token(config(dir).get("eos_token"));
        return eos == null ? "" : eos;
    }

    private static JsonObject config(Path dir) {
        Path config = dir.resolve(CONFIG_FILE);
        return Files.isRegularFile(config)
                ? JsonParser.parseString(TextFiles.readUtf8(config, "the tokenizer's configuration")).getAsJsonObject()
                : new JsonObject();
    }

    /** A special token as tokenizer_config.json writes it: a string, or an object with its content; null for anything else. */
    private static String token(JsonElement e) {
        if (e != null && e.isJsonObject() && e.getAsJsonObject().has("content")) {
            return e.getAsJsonObject().get("content").getAsString();
        }
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    /**
     * A message, as the template sees it.
     *
     * @param role user, assistant, system, ...
     * @param content its text
     */
    public static Map<String, Object> message(String role, String content) {
        return Map.of("role", role, "content", content);
    }

    /**
     * Renders a conversation.
     *
     * @param messages the messages, each with its {@code role} and {@code content}
     * @param addGenerationPrompt whether to end with what starts the assistant's answer
     * @return the text
     * @throws NotebenchException (DATA_INVALID) when the template fails or raises an exception
     *     (a role it does not know, roles that do not alternate), with its message
     */
    public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt) {
        return renderer.render(template, messages, addGenerationPrompt, specialTokens);
    }
}
