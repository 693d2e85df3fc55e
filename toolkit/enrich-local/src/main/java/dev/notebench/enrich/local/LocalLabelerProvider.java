package dev.notebench.enrich.local;

import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.local.EmbeddingPaths;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.enrich.AnnotationRequest;
import dev.notebench.enrich.Annotator;
import dev.notebench.enrich.AnnotatorOptions;
import dev.notebench.enrich.AnnotatorProvider;
import dev.notebench.enrich.Answer;
import dev.notebench.enrich.Example;
import dev.notebench.enrich.OutputSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code local} provider: the {@link LocalLabeler} on local embedding models (option
 * {@code model}: one of {@code all-minilm-l6-v2} and {@code bge-small-en-v1.5}, or several joined
 * by {@code +}; default {@value #DEFAULT_MODELS}, whose joined vectors label more accurately than
 * either alone), embeddings through the shared cache. Settings: {@code modelsDir} and {@code embeddingCache} (default the
 * {@link EmbeddingPaths} of the options' {@link AnnotatorOptions#environment() environment};
 * {@code embeddingCache=none} for no cache). Label
 * descriptions come from instruction lines of the form {@code label: description}.
 */
public final class LocalLabelerProvider implements AnnotatorProvider {
    /** The models of the labeler when no {@code model} is given. */
    public static final String DEFAULT_MODELS = "all-minilm-l6-v2+bge-small-en-v1.5";
    private static final Pattern DESCRIPTION = Pattern.compile("^\\s*[-*]?\\s*([^:=]+?)\\s*[:=]\\s*(.+?)\\s*$");

    /** Creates the provider. */
    public LocalLabelerProvider() {
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String description() {
        return "the embedded labeler: a local embedding model and a few labelled examples (--examples), offline, no key";
    }

    /** Descriptions of labels from instruction lines {@code label: description} (labels matched ignoring case). */
    static Map<String, String> descriptions(String instructions, List<String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : instructions.split("\n")) {
            Matcher m = DESCRIPTION.matcher(line);
            if (m.matches()) {
                for (String l : labels) {
                    if (l.toLowerCase(Locale.ROOT).equals(m.group(1).toLowerCase(Locale.ROOT))) {
                        out.put(l, m.group(2));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Where models and the embedding cache are unless the settings say: the {@link EmbeddingPaths}
     * of the environment the options carry (the application's, passed in at its edge).
     */
    static EmbeddingPaths defaults(AnnotatorOptions o, Path home) {
        return EmbeddingPaths.of(o.environment(), home);
    }

    @Override
    public Annotator open(AnnotatorOptions o, OutputSchema schema, String instructions, List<Example> examples) {
        EmbeddingPaths defaults = defaults(o, Path.of(System.getProperty("user.home")));
        Path models = Path.of(o.settings().getOrDefault("modelsDir", defaults.modelsDir().toString()));
        String cacheSetting = o.settings().getOrDefault("embeddingCache", defaults.cacheFile().toString());
        List<LocalModel> which = new ArrayList<>();
        for (String id : o.model().orElse(DEFAULT_MODELS).split("\\+")) {
            which.add(LocalModel.byId(id.strip()));
        }
        List<LocalEmbedder> loaded = new ArrayList<>();
        EmbeddingCache cache = null;
        try {
            for (LocalModel m : which) {
                loaded.add(LocalEmbedder.load(m, models));
            }
            cache = cacheSetting.equals("none") ? null : EmbeddingCache.open(Path.of(cacheSetting));
            LocalLabeler labeler = LocalLabeler.fit(loaded, cache, schema, examples, descriptions(instructions, schema.labels()));
            return new Owning(labeler, List.copyOf(loaded), cache);
        } catch (RuntimeException e) {
            close(loaded, cache);
            throw e;
        }
    }

    private static void close(List<LocalEmbedder> models, EmbeddingCache cache) {
        if (cache != null) {
            cache.close();
        }
        models.forEach(LocalEmbedder::close);
    }

    /** The labeler with the model and cache it was opened with, closed together. */
    private record Owning(LocalLabeler labeler, List<LocalEmbedder> models, EmbeddingCache cache) implements Annotator {
        @Override
        public String id() {
            return labeler.id();
        }

        @Override
        public Answer annotate(AnnotationRequest request) {
            return labeler.annotate(request);
        }

        @Override
        public void close() {
            LocalLabelerProvider.close(models, cache);
        }
    }
}
