package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A kind of annotator, found by name through {@link ServiceLoader}: {@code openai} (any
 * OpenAI-compatible chat server) in this module, {@code local} (the embedded offline labeler) in
 * {@code notebench-enrich-local}. Register another in
 * {@code META-INF/services/dev.notebench.enrich.AnnotatorProvider}.
 */
public interface AnnotatorProvider {
    /** The name users pick it by, e.g. {@code openai}. */
    String name();

    /** One line on what it is, for help texts. */
    String description();

    /**
     * Opens an annotator.
     *
     * @param options the options
     * @param schema what the job asks for (a provider may refuse shapes it cannot fill)
     * @param instructions the job's instructions (the local labeler reads label descriptions from lines {@code label: words})
     * @param examples the job's labelled examples
     * @return the annotator, owned by the caller
     */
    Annotator open(AnnotatorOptions options, OutputSchema schema, String instructions, List<Example> examples);

    /**
     * The providers on the class path.
     *
     * @param loader where to look
     */
    static List<AnnotatorProvider> available(ClassLoader loader) {
        List<AnnotatorProvider> all = new ArrayList<>();
        ServiceLoader.load(AnnotatorProvider.class, loader).forEach(all::add);
        return all;
    }

    /**
     * The provider with this name.
     *
     * @param name e.g. {@code openai}
     * @param loader where to look
     * @throws NotebenchException (CONFIG_INVALID) listing the available ones when none has it
     */
    static AnnotatorProvider named(String name, ClassLoader loader) {
        List<AnnotatorProvider> all = available(loader);
        for (AnnotatorProvider p : all) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new NotebenchException(ErrorCode.CONFIG_INVALID, "no annotator provider named '" + name + "'; available: "
                + all.stream().map(AnnotatorProvider::name).toList()
                + (name.equals("local") ? " (the local labeler comes with notebench-enrich-local)" : ""));
    }
}
