package dev.notebench.enrich.local;

import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.enrich.CsvTables;
import dev.notebench.enrich.Example;
import dev.notebench.enrich.OutputSchema;
import dev.notebench.progress.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tech.tablesaw.api.Table;

/**
 * Accuracy of the embedded labeler on the SpamAssassin subjects: for each seed, k examples per
 * label drawn at random, every other row labelled and compared with its label.
 * {@code SpamAccuracy CSV MODELS_DIR CACHE K[,K...] SEEDS [model] ["spam=description" "ham=description"]}
 */
public final class SpamAccuracy {
    private SpamAccuracy() {
    }

    /** The result of one seed. */
    record Run(int k, long seed, int correct, int total) {
        double accuracy() {
            return (double) correct / total;
        }
    }

    static Run evaluate(LocalEmbedder model, EmbeddingCache cache, Table t, List<float[]> vectors, int k, long seed,
                        Map<String, String> descriptions) {
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("spam", "ham"));
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            order.add(r);
        }
        Collections.shuffle(order, new Random(seed));
        List<Example> examples = new ArrayList<>();
        boolean[] used = new boolean[t.rowCount()];
        int spam = 0;
        int ham = 0;
        for (int r : order) {
            String label = t.getString(r, "label");
            if (label.equals("spam") ? spam < k : ham < k) {
                examples.add(new Example(t.getString(r, "subject"), List.of(label)));
                used[r] = true;
                if (label.equals("spam")) {
                    spam++;
                } else {
                    ham++;
                }
            }
        }
        LocalLabeler labeler = LocalLabeler.fit(model, cache, schema, examples, descriptions);
        int correct = 0;
        int total = 0;
        for (int r = 0; r < t.rowCount(); r++) {
            if (used[r]) {
                continue;
            }
            total++;
            if (labeler.predict(vectors.get(r), t.getString(r, "subject")).get(0).equals(t.getString(r, "label"))) {
                correct++;
            }
        }
        return new Run(k, seed, correct, total);
    }

    public static void main(String[] args) {
        Table t = CsvTables.read(Path.of(args[0]));
        LocalModel which = args.length > 5 ? LocalModel.byId(args[5]) : LocalModel.ALL_MINILM_L6_V2;
        Map<String, String> descriptions = new java.util.LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            descriptions.put(kv[0], kv[1]);
        }
        try (LocalEmbedder model = LocalEmbedder.load(which, Path.of(args[1]));
             EmbeddingCache cache = EmbeddingCache.open(Path.of(args[2]))) {
            long t0 = System.nanoTime();
            List<float[]> vectors = cache.embed(model, t.stringColumn("subject").asList(), Progress.NONE);
            System.out.printf(Locale.ROOT, "embedded %d subjects in %.1f s%n", vectors.size(), (System.nanoTime() - t0) / 1e9);
            int seeds = Integer.parseInt(args[4]);
            for (String ks : args[3].split(",")) {
                int k = Integer.parseInt(ks);
                double sum = 0;
                double min = 1;
                for (long seed = 0; seed < seeds; seed++) {
                    Run r = evaluate(model, cache, t, vectors, k, seed, descriptions);
                    sum += r.accuracy();
                    min = Math.min(min, r.accuracy());
                }
                System.out.printf(Locale.ROOT, "k=%d: mean %.2f%%, min %.2f%% over %d seeds%n", k, 100 * sum / seeds, 100 * min, seeds);
            }
        }
    }
}
