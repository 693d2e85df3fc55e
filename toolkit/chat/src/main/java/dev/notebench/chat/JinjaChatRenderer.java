package dev.notebench.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.ChatRenderer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ChatRenderer} on HubSpot's Jinjava, configured as transformers configures Jinja for
 * chat templates: {@code trim_blocks} and {@code lstrip_blocks}, {@code {{-}} and {@code -}}}
 * trimming around expressions too, and {@code raise_exception(message)} in scope. Found by
 * {@link java.util.ServiceLoader}; create one directly where no class path lookup is wanted.
 *
 * <pre>{@code
 * String text = new JinjaChatRenderer().render("{% for m in messages %}{{ m['content'] }}{% endfor %}",
 *         List.of(Map.of("role", "user", "content", "Hi")), false, Map.of());
 * }</pre>
 */
public final class JinjaChatRenderer implements ChatRenderer {
    private final Jinjava jinja;

    /** Creates the renderer (for {@link java.util.ServiceLoader}). */
    public JinjaChatRenderer() {
        // Jinja's whitespace control: {{- and -}} trim around expressions too (Jinjava's legacy default only trims at tags)
        this.jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true).build()).build());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", JinjaChatRenderer.class,
                "raiseException", String.class));
    }

    @Override
    public String render(String template, List<Map<String, Object>> messages, boolean addGenerationPrompt,
                         Map<String, String> specialTokens) {
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.put("messages", messages);
        context.put("add_generation_prompt", addGenerationPrompt);
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
