package dev.notebench.enrich.local;

import dev.notebench.embed.Vectors;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.embed.Embedder;
import dev.notebench.embed.EmbeddingCache;
import dev.notebench.enrich.AnnotationRequest;
import dev.notebench.enrich.Calibration;
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
 * <p>With examples every answered row carries its calibrated confidence ({@link Answer#CONFIDENCE};
 * {@link #score(List)}): a temperature fitted on out-of-fold answers to the examples makes "0.9"
 * mean right about 9 times in 10 (see {@link Calibration} and BENCHMARKS.md).
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
    private static final int FOLDS = 10;
    private static final long CALIBRATION_SEED = 42;

    private final List<Embedder> models;
    private final EmbeddingCache cache;
    private final OutputSchema schema;
    private final List<String> labels;
    private final float[][] descriptions;
    private final double[][] weights;
    private final double[] bias;
    private final int examples;
    private final double temperature;

    private LocalLabeler(List<Embedder> models, EmbeddingCache cache, OutputSchema schema, float[][] descriptions, double[][] weights,
                         double[] bias, int examples, double temperature) {
        this.models = models;
        this.cache = cache;
        this.schema = schema;
        this.labels = schema.labels();
        this.descriptions = descriptions;
        this.weights = weights;
        this.bias = bias;
        this.examples = examples;
        this.temperature = temperature;
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
        LocalLabeler zeroShot = new LocalLabeler(used, cache, schema, desc, null, null, 0, Double.NaN);
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
        double[][] target = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            for (String l : examples.get(i).labels()) {
                target[i][labels.indexOf(l)] = 1;
            }
        }
        boolean softmax = schema.kind() == OutputSchema.Kind.SINGLE_LABEL;
        double[][] w = new double[k][d];
        double[] b = new double[k];
        train(x, target, softmax, w, b, null);
        double temperature = temperature(x, target, softmax, given);
        return new LocalLabeler(used, cache, schema, desc, w, b, given, temperature);
    }

    /**
     * Fits {@code w} and {@code b} (zeros on entry) by {@value #STEPS} full-batch gradient steps on
     * the rows of {@code x} that {@code use} keeps (all when null).
     */
    private static void train(double[][] x, double[][] target, boolean softmax, double[][] w, double[] b, boolean[] use) {
        int k = w.length;
        int d = w[0].length;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            n += use == null || use[i] ? 1 : 0;
        }
        for (int step = 0; step < STEPS; step++) {
            double[][] gw = new double[k][d];
            double[] gb = new double[k];
            for (int i = 0; i < x.length; i++) {
                if (use != null && !use[i]) {
                    continue;
                }
                double[] p = scores(w, b, x[i]);
                if (softmax) {
                    softmaxInPlace(p);
                } else {
                    for (int j = 0; j < k; j++) {
                        p[j] = 1 / (1 + Math.exp(-p[j]));
                    }
                }
                for (int j = 0; j < k; j++) {
                    double g = (p[j] - target[i][j]) / n;
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
    }

    /**
     * The temperature that calibrates the fitted scores: each of the first {@code given} rows (the
     * user's examples; label descriptions after them always stay in training) is scored by a
     * labeler fitted without its fold ({@value #FOLDS} folds at most, drawn with a fixed seed), and
     * {@link Calibration} picks the temperature that makes those out-of-fold answers most likely.
     * 1 (the scores as they are) with fewer than 2 examples.
     */
    private static double temperature(double[][] x, double[][] target, boolean softmax, int given) {
        if (given < 2) {
            return 1;
        }
        int folds = Math.min(FOLDS, given);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < given; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(CALIBRATION_SEED));
        int k = target[0].length;
        double[][] outOfFold = new double[given][];
        for (int fold = 0; fold < folds; fold++) {
            boolean[] use = new boolean[x.length];
            java.util.Arrays.fill(use, true);
            for (int at = fold; at < given; at += folds) {
                use[order.get(at)] = false;
            }
            double[][] w = new double[k][x[0].length];
            double[] b = new double[k];
            train(x, target, softmax, w, b, use);
            for (int at = fold; at < given; at += folds) {
                outOfFold[order.get(at)] = scores(w, b, x[order.get(at)]);
            }
        }
        if (softmax) {
            int[] classes = new int[given];
            for (int i = 0; i < given; i++) {
                for (int j = 0; j < k; j++) {
                    classes[i] = target[i][j] == 1 ? j : classes[i];
                }
            }
            return Calibration.softmaxTemperature(outOfFold, classes);
        }
        boolean[][] applies = new boolean[given][k];
        for (int i = 0; i < given; i++) {
            for (int j = 0; j < k; j++) {
                applies[i][j] = target[i][j] == 1;
            }
        }
        return Calibration.sigmoidTemperature(outOfFold, applies);
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

    /**
     * A text's answer and how likely it is to be right.
     *
     * @param labels the labels that apply, in label order (one for one label per row)
     * @param confidence the calibrated probability that the answer is right: the softmax of the
     *     chosen label at the fitted temperature, or for several labels the product over labels of
     *     each one's calibrated sigmoid (of applying when chosen, of not applying otherwise); NaN
     *     without examples (zero-shot similarities are no probabilities and nothing calibrates them)
     * @param uncalibrated the same at temperature 1 (the fitted scores as they are); NaN without examples
     */
    public record Scored(List<String> labels, double confidence, double uncalibrated) {
        /** Copies the labels. */
        public Scored {
            labels = List.copyOf(labels);
        }
    }

    /**
     * Each text's answer with its confidence, as {@link #annotate} gives them.
     *
     * @param texts the texts
     */
    public List<Scored> score(List<String> texts) {
        float[][] vectors = embed(models, cache, texts);
        List<Scored> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(score(vectors[i], texts.get(i)));
        }
        return out;
    }

    /**
     * The temperature that calibrates this labeler's scores, fitted on out-of-fold answers to its
     * examples ({@value #FOLDS}-fold, fixed seed); 1 with fewer than 2 examples, NaN without any.
     */
    public double temperature() {
        return temperature;
    }

    /** The labels that apply to one text, in label order, and the answer's confidence. */
    Scored score(float[] v, String text) {
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
                return new Scored(List.of(labels.get(best)), Double.NaN, Double.NaN);
            }
            for (int j = 0; j < s.length; j++) {
                if (s[j] >= s[best] - MULTI_MARGIN) {
                    out.add(labels.get(j));
                }
            }
            return new Scored(out, Double.NaN, Double.NaN);
        }
        double[] z = scores(weights, bias, features(v, text));
        if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL) {
            int best = 0;
            for (int j = 1; j < z.length; j++) {
                if (z[j] > z[best]) {
                    best = j;
                }
            }
            return new Scored(List.of(labels.get(best)), Calibration.softmax(z, 1 / temperature)[best], Calibration.softmax(z, 1)[best]);
        }
        double calibrated = 1;
        double raw = 1;
        for (int j = 0; j < z.length; j++) {
            if (z[j] > 0) {
                out.add(labels.get(j));
            }
            double sign = z[j] > 0 ? 1 : -1;
            calibrated *= 1 / (1 + Math.exp(-sign * z[j] / temperature));
            raw *= 1 / (1 + Math.exp(-sign * z[j]));
        }
        return new Scored(out, calibrated, raw);
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
            Scored scored = score(vectors[i], texts.get(i));
            List<String> chosen = scored.labels();
            JsonObject row = new JsonObject();
            row.addProperty("id", request.items().get(i).id());
            if (!Double.isNaN(scored.confidence())) {
                row.addProperty(Answer.CONFIDENCE, scored.confidence());
            }
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
