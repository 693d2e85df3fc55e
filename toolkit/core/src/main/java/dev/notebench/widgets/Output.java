package dev.notebench.widgets;

import dev.notebench.display.Html;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An output area ({@code OutputModel} of {@code @jupyter-widgets/output} 1.0.0) that the kernel
 * fills: text and rich outputs appended here appear in it at once, below whatever drew it (a form,
 * a button), also from a background thread.
 *
 * <pre>{@code
 * Output out = new Output();
 * generate.onClick(b -> { out.clear(); out.appendHtml(new Html("<p>" + text + "</p>", text)); });
 * display(new VBox(generate, out));
 * }</pre>
 */
public final class Output extends DOMWidget<Output> {
    private final Object appending = new Object();

    /** Creates an empty output area. */
    public Output() {
        super("Output", new Model("@jupyter-widgets/output", "1.0.0", "OutputModel", "@jupyter-widgets/output", "1.0.0",
                "OutputView"), List.of(Trait.string("msg_id", ""), Trait.objects("outputs")));
    }

    /**
     * Appends text as standard output.
     *
     * @param text the text (add {@code \n} to end the line)
     * @return this output
     */
    public Output appendStdout(String text) {
        return append(stream("stdout", text));
    }

    /**
     * Appends text as standard error (shown in red).
     *
     * @param text the text
     * @return this output
     */
    public Output appendStderr(String text) {
        return append(stream("stderr", text));
    }

    /**
     * Appends HTML with its text fallback.
     *
     * @param html the HTML
     * @return this output
     */
    public Output appendHtml(Html html) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/html", html.html());
        data.put("text/plain", html.text());
        return appendDisplay(data);
    }

    /**
     * Appends a rich output: a MIME bundle, as a {@code display_data} output.
     *
     * @param data MIME type to content, e.g. {@code {"text/plain": "..."}}
     * @return this output
     */
    public Output appendDisplay(Map<String, Object> data) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("output_type", "display_data");
        o.put("data", Map.copyOf(Objects.requireNonNull(data, "data")));
        o.put("metadata", Map.of());
        return append(o);
    }

    /** Removes every output. */
    public Output clear() {
        write("outputs", List.of());
        return this;
    }

    /** Returns the outputs, as nbformat writes them. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> outputs() {
        return (List<Map<String, Object>>) read("outputs");
    }

    private static Map<String, Object> stream(String name, String text) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("output_type", "stream");
        o.put("name", name);
        o.put("text", Objects.requireNonNull(text, "text"));
        return o;
    }

    private Output append(Map<String, Object> output) {
        synchronized (appending) { // read and write as one step, so that two threads appending both land
            List<Map<String, Object>> all = new ArrayList<>(outputs());
            all.add(output);
            write("outputs", all);
        }
        return this;
    }
}
