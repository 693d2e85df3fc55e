package dev.notebench.tokenize;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Renders a tokenizer's chat template (the Jinja text of {@code tokenizer_config.json}'s
 * {@code chat_template}) as transformers' {@code apply_chat_template(messages, tokenize=False)}
 * does. A Jinja engine is a dependency of its own weight, so the implementation lives in
 * {@code dev.notebench:notebench-chat} and is found with {@link ServiceLoader}, as DJL finds its
 * engines: an application that trains on chat rows adds that artifact (the notebench command line
 * and kernel do); one that does not needs no Jinja engine.
 *
 * <pre>{@code
 * ChatRenderer r = ChatRenderer.require(Thread.currentThread().getContextClassLoader());
 * String text = r.render(template, List.of(Map.of("role", "user", "content", "Hi")), true,
 *         Map.of("bos_token", "<s>", "eos_token", "</s>"));
 * }</pre>
 */
public interface ChatRenderer {
    /** The Maven coordinates of the artifact that brings the renderer, for messages. */
    String ARTIFACT = "dev.notebench:notebench-chat";

    /**
     * Renders a conversation.
     *
     * @param template the template's Jinja text
     * @param messages the messages, each with its {@code role} and {@code content}
     * @param addGenerationPrompt whether to end with what starts the assistant's answer
     * @param specialTokens the tokenizer's special tokens by the names the template uses
     *     ({@code bos_token}, {@code eos_token}, ...)
     * @return the text
     * @throws NotebenchException (DATA_INVALID) when the template fails or raises an exception
     *     (a role it does not know, roles that do not alternate), with its message
     */
    String render(String template, List<Map<String, Object>> messages, boolean addGenerationPrompt,
                  Map<String, String> specialTokens);

    /**
     * The renderer on the class path of a loader.
     *
     * @param loader where to look (a notebook's cell loader sees what {@code %maven} added)
     * @return the first one found
     * @throws NotebenchException (DEPENDENCY_MISSING) naming the artifact to add when there is none
     */
    static ChatRenderer require(ClassLoader loader) {
        Iterator<ChatRenderer> found = ServiceLoader.load(ChatRenderer.class, loader).iterator();
        if (!found.hasNext()) {
            throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING, "rendering a chat template needs " + ARTIFACT
                    + " on the classpath; add it to your project's dependencies (the notebench command line and kernel"
                    + " bring it)");
        }
        return found.next();
    }
}
