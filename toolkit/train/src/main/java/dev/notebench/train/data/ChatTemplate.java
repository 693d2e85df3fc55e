package dev.notebench.train.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A tokenizer's chat template: the Jinja text of {@code chat_template.jinja} or of
 * {@code tokenizer_config.json}'s {@code chat_template}, rendered as transformers'
 * {@code apply_chat_template(messages, tokenize=False)} renders it (Jinja with {@code trim_blocks}
 * and {@code lstrip_blocks}; {@code messages}, {@code add_generation_prompt}, {@code bos_token},
 * {@code eos_token} and {@code raise_exception} in scope), by HubSpot's Jinjava.
 *
 * <pre>{@code
 * ChatTemplate t = ChatTemplate.load(Path.of("Qwen2.5-0.5B-Instruct"));
 * String text = t.render(List.of(ChatTemplate.message("user", "Hi")), true);
 * }</pre>
 */
public final class ChatTemplate {
    /** The file transformers writes the template to beside {@code tokenizer_config.json}. */
    public static final String JINJA_FILE = "chat_template.jinja";
    /** The tokenizer's configuration, with {@code chat_template}, {@code bos_token} and {@code eos_token}. */
    public static final String CONFIG_FILE = "tokenizer_config.json";

    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinja;

    private ChatTemplate(String template, String bosToken, String eosToken) {
        this.template = Objects.requireNonNull(template, "template");
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        // Jinja's whitespace control: {{- and -}} trim around expressions too (Jinjava's legacy default only trims at tags)
        this.jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true).build()).build());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
                "raiseException", String.class));
    }

    /**
     * A template from its text.
     *
     * @param template the Jinja text
     * @param bosToken what {@code bos_token} renders as ("" for none)
     * @param eosToken what {@code eos_token} renders as ("" for none)
     */
    public static ChatTemplate of(String template, String bosToken, String eosToken) {
        return new ChatTemplate(template, bosToken, eosToken);
    }

    /**
     * The template of a tokenizer directory: {@code chat_template.jinja}, else the
     * {@code chat_template} of {@code tokenizer_config.json} (a string, or the one named
     * {@code default} of a list), with that file's {@code bos_token} and {@code eos_token}.
     *
     * @param dir the directory of {@code tokenizer.json}
     * @throws NotebenchException (DATA_NOT_FOUND) when the tokenizer has no chat template
     */
    public static ChatTemplate load(Path dir) {
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
        return new ChatTemplate(text, token(c.get("bos_token")), token(c.get("eos_token")));
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

    /** A special token as tokenizer_config.json writes it: a string, or an object with its content. */
    private static String token(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        return e.isJsonObject() ? e.getAsJsonObject().get("content").getAsString() : e.getAsString();
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
        Map<String, Object> context = new HashMap<>();
        context.put("messages", messages);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult r = jinja.renderForResult(template, context);
        for (TemplateError e : r.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                Throwable cause = e.getException();
                while (cause != null && !(cause instanceof Raised)) {
                    cause = cause.getCause();
                }
                throw new NotebenchException(ErrorCode.DATA_INVALID, "the chat template "
                        + (cause != null ? "refused the conversation: " + cause.getMessage() : "failed: " + e.getMessage()));
            }
        }
        return r.getOutput();
    }

    /**
     * The template's {@code raise_exception(message)}.
     *
     * @param message why the template refuses the conversation
     * @return nothing: it throws
     */
    public static String raiseException(String message) {
        throw new Raised(message);
    }

    /** What {@code raise_exception} throws, for {@link #render} to find among the engine's wrappers. */
    private static final class Raised extends RuntimeException {
        Raised(String message) {
            super(message);
        }
    }
}
