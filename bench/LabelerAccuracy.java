import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.enrich.AnnotationRequest;
import dev.notebench.enrich.Example;
import dev.notebench.enrich.Item;
import dev.notebench.enrich.OutputSchema;
import dev.notebench.enrich.local.LocalLabeler;
import dev.notebench.progress.Progress;
import dev.notebench.tables.CsvTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * Accuracy of the embedded labeler on the SpamAssassin subjects: for each seed, k examples per
 * label drawn at random (java.util.Random(seed) shuffle), every other row labelled and compared
 * with its label.
 *   java -cp ... bench/LabelerAccuracy.java CSV MODELS_DIR CACHE K[,K...] SEEDS MODEL [label=description ...]
 */
public final class LabelerAccuracy {
    public static void main(String[] args) {
        Table t = CsvTables.read(Path.of(args[0]));
        List<LocalModel> which = new ArrayList<>();
        for (String id : args[5].split("\\+")) {
            which.add(LocalModel.byId(id));
        }
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            descriptions.put(kv[0], kv[1]);
        }
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("spam", "ham"));
        List<String> subjects = t.stringColumn("subject").asList();
        List<String> labels = t.stringColumn("label").asList();
        List<LocalEmbedder> models = new ArrayList<>();
        for (LocalModel m : which) {
            models.add(LocalEmbedder.load(m, Path.of(args[1])));
        }
        try (EmbeddingCache cache = EmbeddingCache.open(Path.of(args[2]))) {
            for (LocalEmbedder model : models) {
                long t0 = System.nanoTime();
                cache.embed(model, subjects, Progress.NONE);
                System.out.printf(Locale.ROOT, "embedded %d subjects with %s in %.1f s (cached afterwards)%n", subjects.size(),
                        model.id(), (System.nanoTime() - t0) / 1e9);
            }
            int seeds = Integer.parseInt(args[4]);
            System.out.println("| examples per label | seeds | mean accuracy | worst seed | rows evaluated |");
            System.out.println("|---|---|---|---|---|");
            for (String ks : args[3].split(",")) {
                int k = Integer.parseInt(ks);
                double sum = 0;
                double min = 1;
                int total = 0;
                for (long seed = 0; seed < seeds; seed++) {
                    List<Example> examples = new ArrayList<>();
                    boolean[] used = new boolean[subjects.size()];
                    for (int r : Example.drawPerLabel(labels, schema.labels(), k, seed)) {
                        examples.add(new Example(subjects.get(r), List.of(labels.get(r))));
                        used[r] = true;
                    }
                    LocalLabeler labeler = LocalLabeler.fit(models, cache, schema, examples, descriptions);
                    List<Item> items = new ArrayList<>();
                    for (int r = 0; r < subjects.size(); r++) {
                        if (!used[r]) {
                            items.add(new Item(r, subjects.get(r)));
                        }
                    }
                    int correct = 0;
                    for (var row : labeler.annotate(new AnnotationRequest(items, schema, "", List.of())).rows()) {
                        if (row.get("predicted").getAsString().equals(labels.get(row.get("id").getAsInt()))) {
                            correct++;
                        }
                    }
                    double acc = (double) correct / items.size();
                    sum += acc;
                    min = Math.min(min, acc);
                    total = items.size();
                }
                System.out.printf(Locale.ROOT, "| %d | %d | %.2f%% | %.2f%% | %d |%n", k, seeds, 100 * sum / seeds, 100 * min, total);
            }
        } finally {
            models.forEach(LocalEmbedder::close);
        }
    }
}
