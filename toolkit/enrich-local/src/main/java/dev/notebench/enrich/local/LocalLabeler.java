package dev.notebench.enrich.local;

import dev.notebench.embed.Vectors;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.embed.Embedder;
import dev.notebench.embed.EmbeddingCache;
import dev.notebench.enrich.AnnotationRequest;
import dev.notebench.enrich.Annotator;
import dev.notebench.enrich.Answer;
import dev.notebench.enrich.Example;
import dev.notebench.enrich.Item;
import dev.notebench.enrich.OutputSchema;
import dev.notebench.progress.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The embedded labeler: assigns labels with local sentence-embedding models, offline and
 * without a key. Each text becomes its embedding (with several models, their unit vectors side by
 * side, so that a cosine is the mean of the models' cosines), its cosine similarity to every label's
 * description, a few {@link TextShape} features and hashed character n-grams ({@link CharGrams}). Without examples the most similar label
 * wins (for several labels: every label within {@value #MULTI_MARGIN} of the best). With labelled
 * examples (for one label per row, each label's description counting as one more) a regularized logistic regression is
 * fitted on those features (softmax for one label
 * per row, one sigmoid per label for several), by a fixed number of full-batch gradient steps in
 * double precision, so the same examples always give the same labeler.
 *
 * <p>Embeddings go through an {@link EmbeddingCache} when one is given, so a rerun embeds nothing.
 */
public final class LocalLabeler implements Annotator {
    static final double MULTI_MARGIN = 0.02;
    private static final double SHAPE_WEIGHT = 0.5;
    private static final double SIMILARITY_WEIGHT = 2.0;
    private static final double GRAM_WEIGHT = 1.0;
    private static final int STEPS = 300;
    private static final double LEARNING_RATE = 1.0;
    private static final double L2 = 0.01;

    private final List<Embedder> models;
    private final EmbeddingCache cache;
    private final OutputSchema schema;
    private final List<String> labels;
    private final float[][] descriptions;
    private final double[][] weights;
    private final double[] bias;
    private final int examples;

    private LocalLabeler(List<Embedder> models, EmbeddingCache cache, OutputSchema schema, float[][] descriptions, double[][] weights,
                         double[] bias, int examples) {
        this.models = models;
        this.cache = cache;
        this.schema = schema;
        this.labels = schema.labels();
        this.descriptions = descriptions;
        this.weights = weights;
        this.bias = bias;
        this.examples = examples;
    }

    /**
     * Builds a labeler on one embedding model; see {@link #fit(List, EmbeddingCache, OutputSchema, List, Map)}.
     *
     * @param model the embedding model (shared; not closed by the labeler)
     * @param cache an embedding cache, or null
     * @param schema a label schema (multi- or single-label)
     * @param examples labelled examples; may be empty
     * @param descriptions a description per label; labels without one are described by their name
     * @return the labeler
     */
    public static LocalLabeler fit(Embedder model, EmbeddingCache cache, OutputSchema schema, List<Example> examples,
                                   Map<String, String> descriptions) {
        return fit(List.of(Objects.requireNonNull(model, "model")), cache, schema, examples, descriptions);
    }

    /**
     * Builds a labeler, fitting it to the examples when there are any. With several models each
     * text is embedded by every one (each through the cache under its own model id) and the
     * vectors are joined: two models that learned different things separate labels better from
     * a few examples than either alone (see BENCHMARKS.md).
     *
     * @param models the embedding models, at least one (shared; not closed by the labeler)
     * @param cache an embedding cache, or null
     * @param schema a label schema (multi- or single-label)
     * @param examples labelled examples; may be empty
     * @param descriptions a description per label, e.g. {@code spam -> "unsolicited advertising"}; labels without one
     *     are described by their name
     * @return the labeler
     * @throws NotebenchException (CONFIG_INVALID) for a schema of free fields, which needs a language model
     */
    public static LocalLabeler fit(List<? extends Embedder> models, EmbeddingCache cache, OutputSchema schema,
                                   List<Example> examples, Map<String, String> descriptions) {
        List<Embedder> used = List.copyOf(models);
        if (used.isEmpty()) {
            throw new IllegalArgumentException("the labeler needs at least one embedding model");
        }
        if (schema.kind() == OutputSchema.Kind.FIELDS) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the embedded labeler assigns labels (--labels); fields from a"
                    + " schema need a language model: give --model and --base-url of an OpenAI-compatible server");
        }
        List<String> labels = schema.labels();
        List<String> described = new ArrayList<>();
        for (String l : labels) {
            described.add(descriptions.getOrDefault(l, l));
        }
        float[][] desc = embed(used, cache, described);
        LocalLabeler zeroShot = new LocalLabeler(used, cache, schema, desc, null, null, 0);
        if (examples.isEmpty()) {
            return zeroShot;
        }
        int given = examples.size();
        if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL) {
            // each label's description is one more example of it: the fit keeps what the words say (with several labels a
            // description says nothing about the others, so it is not an example there)
            List<Example> training = new ArrayList<>(examples);
            for (int j = 0; j < labels.size(); j++) {
                training.add(new Example(described.get(j), List.of(labels.get(j))));
            }
            examples = training;
        }
        List<String> texts = examples.stream().map(Example::text).toList();
        float[][] vectors = embed(used, cache, texts);
        double[][] x = new double[texts.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = zeroShot.features(vectors[i], texts.get(i));
        }
        int d = x[0].length;
        int k = labels.size();
        double[][] w = new double[k][d];
        double[] b = new double[k];
        double[][] target = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            for (String l : examples.get(i).labels()) {
                target[i][labels.indexOf(l)] = 1;
            }
        }
        boolean softmax = schema.kind() == OutputSchema.Kind.SINGLE_LABEL;
        for (int step = 0; step < STEPS; step++) {
            double[][] gw = new double[k][d];
            double[] gb = new double[k];
            for (int i = 0; i < x.length; i++) {
                double[] p = scores(w, b, x[i]);
                if (softmax) {
                    softmaxInPlace(p);
                } else {
                    for (int j = 0; j < k; j++) {
                        p[j] = 1 / (1 + Math.exp(-p[j]));
                    }
                }
                for (int j = 0; j < k; j++) {
                    double g = (p[j] - target[i][j]) / x.length;
                    gb[j] += g;
                    double[] row = gw[j];
                    for (int f = 0; f < d; f++) {
                        row[f] += g * x[i][f];
                    }
                }
            }
            for (int j = 0; j < k; j++) {
                for (int f = 0; f < d; f++) {
                    w[j][f] -= LEARNING_RATE * (gw[j][f] + L2 * w[j][f]);
                }
                b[j] -= LEARNING_RATE * gb[j];
            }
        }
        return new LocalLabeler(used, cache, schema, desc, w, b, given);
    }

    /** Each text's vectors from every model, side by side. */
    private static float[][] embed(List<Embedder> models, EmbeddingCache cache, List<String> texts) {
        if (models.size() == 1) {
            return embed(models.get(0), cache, texts);
        }
        float[][][] parts = new float[models.size()][][];
        int dimension = 0;
        for (int m = 0; m < parts.length; m++) {
            parts[m] = embed(models.get(m), cache, texts);
            dimension += models.get(m).dimension();
        }
        float[][] joined = new float[texts.size()][dimension];
        for (int i = 0; i < joined.length; i++) {
            int at = 0;
            for (float[][] part : parts) {
                System.arraycopy(part[i], 0, joined[i], at, part[i].length);
                at += part[i].length;
            }
        }
        return joined;
    }

    private static float[][] embed(Embedder model, EmbeddingCache cache, List<String> texts) {
        List<float[]> v;
        if (cache != null) {
            v = cache.embed(model, texts, Progress.NONE);
        } else {
            v = model.embedAll(texts);
        }
        return v.toArray(new float[0][]);
    }

    private double[] similarities(float[] v) {
        double[] s = new double[descriptions.length];
        for (int j = 0; j < s.length; j++) {
            s[j] = Vectors.cosine(v, descriptions[j]);
        }
        return s;
    }

    private double[] features(float[] v, String text) {
        double[] sims = similarities(v);
        double[] shape = TextShape.of(text);
        double[] grams = CharGrams.of(text);
        double[] x = new double[v.length + shape.length + sims.length + grams.length];
        for (int i = 0; i < grams.length; i++) {
            x[v.length + shape.length + sims.length + i] = GRAM_WEIGHT * grams[i];
        }
        for (int i = 0; i < v.length; i++) {
            x[i] = v[i];
        }
        for (int i = 0; i < shape.length; i++) {
            x[v.length + i] = SHAPE_WEIGHT * shape[i];
        }
        for (int i = 0; i < sims.length; i++) {
            x[v.length + shape.length + i] = SIMILARITY_WEIGHT * sims[i];
        }
        return x;
    }

    private static double[] scores(double[][] w, double[] b, double[] x) {
        double[] z = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            double s = b[j];
            double[] row = w[j];
            for (int f = 0; f < x.length; f++) {
                s += row[f] * x[f];
            }
            z[j] = s;
        }
        return z;
    }

    private static void softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < z.length; j++) {
            z[j] = Math.exp(z[j] - max);
            sum += z[j];
        }
        for (int j = 0; j < z.length; j++) {
            z[j] /= sum;
        }
    }

    /** The labels that apply to one text, in label order. */
    List<String> predict(float[] v, String text) {
        List<String> out = new ArrayList<>();
        if (weights == null) {
            double[] s = similarities(v);
            int best = 0;
            for (int j = 1; j < s.length; j++) {
                if (s[j] > s[best]) {
                    best = j;
                }
            }
            if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL) {
                return List.of(labels.get(best));
            }
            for (int j = 0; j < s.length; j++) {
                if (s[j] >= s[best] - MULTI_MARGIN) {
                    out.add(labels.get(j));
                }
            }
            return out;
        }
        double[] z = scores(weights, bias, features(v, text));
        if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL) {
            int best = 0;
            for (int j = 1; j < z.length; j++) {
                if (z[j] > z[best]) {
                    best = j;
                }
            }
            return List.of(labels.get(best));
        }
        for (int j = 0; j < z.length; j++) {
            if (z[j] > 0) {
                out.add(labels.get(j));
            }
        }
        return out;
    }

    @Override
    public String id() {
        return "local:" + models.stream().map(Embedder::id).collect(Collectors.joining("+")) + (examples == 0 ? " zero-shot" : String.format(Locale.ROOT, " fitted on %d examples", examples));
    }

    @Override
    public Answer annotate(AnnotationRequest request) {
        List<String> texts = request.items().stream().map(Item::text).toList();
        float[][] vectors = embed(models, cache, texts);
        List<JsonObject> rows = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            List<String> chosen = predict(vectors[i], texts.get(i));
            JsonObject row = new JsonObject();
            row.addProperty("id", request.items().get(i).id());
            if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL) {
                row.addProperty(schema.fields().get(0).name(), chosen.get(0));
            } else {
                for (String l : labels) {
                    row.addProperty(l, chosen.contains(l));
                }
            }
            rows.add(row);
        }
        return Answer.local(rows);
    }

    @Override
    public String toString() {
        return "LocalLabeler[" + id() + "]";
    }
}
