package dev.notebench.train.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.TextFiles;
import dev.notebench.tokenize.BpeEncoder;
import dev.notebench.tokenize.ChatRenderer;
import dev.notebench.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Supervised fine-tuning data: a JSONL file whose rows are TRL's formats, each one example
 * whose loss counts only its completion tokens.
 * <ul>
 *   <li>{@code {"prompt": "...", "completion": "..."}}: the text {@code prompt + completion + eos_token}
 *       (the end token when the tokenizer has one), the completion and end token trained;</li>
 *   <li>{@code {"messages": [{"role": ..., "content": ...}, ...]}}: rendered by the tokenizer's
 *       {@link ChatTemplate}, every assistant message trained (from the end of the template's
 *       generation prompt to the end of the message as the template renders it);</li>
 *   <li>{@code {"prompt": [messages], "completion": [messages]}}: rendered alike, the completion's
 *       messages trained.</li>
 * </ul>
 * A row's ids are those of its whole text, as transformers' {@code apply_chat_template(...,
 * tokenize=True)} gives them; its trained span starts where the ids of the text before it end (as
 * TRL's completion mask). A bad row is an error naming its line (not JSON, a field missing or not
 * text, a role other than system, user or assistant, nothing to train, longer than the window):
 * skipping rows would train on other data than the file says, silently.
 *
 * <p>Plain prompt/completion rows need no chat template (TRL concatenates their text); chat rows
 * need the tokenizer's template and a {@link ChatRenderer} on the class path ({@code notebench-chat}).
 *
 * <pre>{@code
 * List<SftExamples.Example> rows = SftExamples.read(Path.of("chat.jsonl"), tokenizer, tokenizerDir, 512);
 * }</pre>
 */
public final class SftExamples {
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private SftExamples() {
    }

    /**
     * One example.
     *
     * @param ids its token ids
     * @param trained for each id, whether it is a target of the loss (a completion token)
     */
    public record Example(int[] ids, boolean[] trained) {
        /** Returns how many of its ids are trained. */
        public int trainedTokens() {
            int n = 0;
            for (boolean t : trained) {
                n += t ? 1 : 0;
            }
            return n;
        }
    }

    /** A row's text and the spans to train: each from the end of {@code before} to the end of {@code through}. */
    private record Rendered(String text, List<String[]> spans, boolean plain) {
    }

    /**
     * Reads whether a corpus is supervised fine-tuning data: a {@code .jsonl} file.
     *
     * @param corpus the corpus as configured
     */
    public static boolean isSftData(String corpus) {
        return corpus.toLowerCase(java.util.Locale.ROOT).endsWith(".jsonl");
    }

    /**
     * Reads and tokenizes every row, with the chat template and end token of a tokenizer directory;
     * the Jinja engine is the {@link ChatRenderer} of the thread's context class loader, looked up
     * only when a row has messages.
     *
     * @param file the JSONL file
     * @param tokenizer the tokenizer, adding no special tokens (the template writes them)
     * @param tokenizerDir the directory of its {@code tokenizer.json} and {@code tokenizer_config.json}
     * @param window the run's window: a row may have at most {@code window + 1} tokens
     * @return the examples, in the file's order
     * @throws NotebenchException (DATA_INVALID) naming the first bad row's line; (DEPENDENCY_MISSING)
     *     when chat rows find no renderer on the class path
     */
    public static List<Example> read(Path file, Tokenizer tokenizer, Path tokenizerDir, int window) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : SftExamples.class.getClassLoader();
        return read(file, tokenizer, () -> ChatTemplate.load(tokenizerDir, ChatRenderer.require(loader)),
                ChatTemplate.eosToken(tokenizerDir), textPrefix(tokenizerDir, tokenizer), window);
    }

    /**
     * The ids a Hugging Face tokenizer's post-processor puts before a text (LLaMA's and Mistral's
     * BOS; nothing for Qwen's or a Notebench BPE), which TRL keeps on plain prompt/completion rows
     * since it tokenizes their text with the special tokens; empty without a {@code tokenizer.json}.
     *
     * @param tokenizerDir the tokenizer's directory
     * @param plain the same tokenizer, adding no special tokens
     */
    static int[] textPrefix(Path tokenizerDir, Tokenizer plain) {
        Path file = tokenizerDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            return new int[0];
        }
        int[] bare = plain.encode("a");
        try (Tokenizer special = BpeEncoder.load(file, true)) {
            int[] with = special.encode("a");
            for (int i = 0; i + bare.length <= with.length; i++) {
                if (Arrays.equals(Arrays.copyOfRange(with, i, i + bare.length), bare)) {
                    return Arrays.copyOf(with, i);
                }
            }
            return new int[0];
        }
    }

    /**
     * The directory of a tokenizer as a run configures it: the path itself when it is a directory,
     * else the directory of the file.
     *
     * @param tokenizer a tokenizer directory or file
     */
    public static Path tokenizerDir(Path tokenizer) {
        return Files.isDirectory(tokenizer) ? tokenizer : tokenizer.toAbsolutePath().getParent();
    }

    /**
     * Reads and tokenizes every row.
     *
     * @param file the JSONL file
     * @param tokenizer the tokenizer, adding no special tokens (the template writes them)
     * @param template the tokenizer's chat template, asked for only when a row has messages
     * @param eosToken the end token appended to plain completions ("" for none)
     * @param textPrefix the ids put before a plain row's text (the tokenizer's BOS, as TRL has it)
     * @param window the run's window: a row may have at most {@code window + 1} tokens
     * @return the examples, in the file's order
     * @throws NotebenchException (DATA_INVALID) naming the first bad row's line
     */
    public static List<Example> read(Path file, Tokenizer tokenizer, Supplier<ChatTemplate> template, String eosToken,
                                     int[] textPrefix, int window) {
        String[] lines = TextFiles.readUtf8(file, "the fine-tuning data").split("\n", -1);
        List<Example> out = new ArrayList<>();
        ChatTemplate chat = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            JsonObject row;
            try {
                row = JsonParser.parseString(line).getAsJsonObject();
            } catch (RuntimeException e) {
                throw bad(where, "is not a JSON object");
            }
            Rendered r;
            if (row.has("prompt") && row.get("prompt").isJsonPrimitive() && row.has("completion")) {
                String prompt = text(row, "prompt", where);
                r = new Rendered(prompt + text(row, "completion", where) + eosToken,
                        List.<String[]>of(new String[] {prompt, null}), true);
            } else if (row.has("messages") || row.has("prompt") && row.has("completion")) {
                if (chat == null) {
                    chat = template.get();
                }
                r = row.has("messages") ? conversation(chat, messages(row, "messages", where), where)
                        : promptCompletion(chat, messages(row, "prompt", where), messages(row, "completion", where));
            } else {
                throw bad(where, "has neither \"messages\" nor \"prompt\" and \"completion\"");
            }
            out.add(tokenize(r, tokenizer, r.plain() ? textPrefix : new int[0], window, where));
        }
        if (out.isEmpty()) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " has no rows");
        }
        return out;
    }

    private static Rendered conversation(ChatTemplate chat, List<Map<String, Object>> messages, String where) {
        List<String[]> spans = new ArrayList<>();
        for (int k = 0; k < messages.size(); k++) {
            if (messages.get(k).get("role").equals("assistant")) {
                spans.add(new String[] {chat.render(messages.subList(0, k), true), chat.render(messages.subList(0, k + 1), false)});
            }
        }
        if (spans.isEmpty()) {
            throw bad(where, "has no assistant message: nothing to train on");
        }
        return new Rendered(chat.render(messages, false), spans, false);
    }

    private static Rendered promptCompletion(ChatTemplate chat, List<Map<String, Object>> prompt,
                                             List<Map<String, Object>> completion) {
        List<Map<String, Object>> all = new ArrayList<>(prompt);
        all.addAll(completion);
        return new Rendered(chat.render(all, false), List.<String[]>of(new String[] {chat.render(prompt, true), null}), false);
    }

    private static Example tokenize(Rendered r, Tokenizer tokenizer, int[] prefix, int window, String where) {
        int[] text = tokenizer.encode(r.text());
        int[] ids = Arrays.copyOf(prefix, prefix.length + text.length);
        System.arraycopy(text, 0, ids, prefix.length, text.length);
        if (ids.length > window + 1) {
            throw bad(where, "has " + ids.length + " tokens, more than the " + (window + 1) + " of a window of " + window
                    + "; shorten it, or give a larger --block-size (at most the model's context)");
        }
        boolean[] trained = new boolean[ids.length];
        for (String[] span : r.spans()) {
            int from = prefix.length + commonPrefix(tokenizer.encode(span[0]), text);
            int to = span[1] == null ? ids.length : prefix.length + commonPrefix(tokenizer.encode(span[1]), text);
            for (int t = from; t < to; t++) {
                trained[t] = true;
            }
        }
        boolean any = false;
        for (int t = 1; t < ids.length; t++) {
            any |= trained[t]; // the first token is never predicted
        }
        if (!any) {
            throw bad(where, "has no completion tokens to train on");
        }
        return new Example(ids, trained);
    }

    /** How many ids a and b share from the start: where a merge across the boundary makes them differ, TRL's mask ends too. */
    private static int commonPrefix(int[] a, int[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[n] == b[n]) {
            n++;
        }
        return n;
    }

    private static String text(JsonObject row, String field, String where) {
        JsonElement e = row.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw bad(where, "has no text \"" + field + "\"");
        }
        return e.getAsString();
    }

    private static List<Map<String, Object>> messages(JsonObject row, String field, String where) {
        JsonElement e = row.get(field);
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw bad(where, "has no list of messages \"" + field + "\"");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonElement m : e.getAsJsonArray()) {
            if (!m.isJsonObject()) {
                throw bad(where, "has a message that is not an object in \"" + field + "\"");
            }
            String role = text(m.getAsJsonObject(), "role", where);
            if (!ROLES.contains(role)) {
                throw bad(where, "has a message of unknown role '" + role + "'; roles are system, user and assistant");
            }
            out.add(ChatTemplate.message(role, text(m.getAsJsonObject(), "content", where)));
        }
        return out;
    }

    private static NotebenchException bad(String where, String what) {
        return new NotebenchException(ErrorCode.DATA_INVALID, where + " " + what);
    }
}
