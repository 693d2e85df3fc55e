import dev.notebench.embed.EmbeddingCache;
import dev.notebench.embed.local.LocalEmbedder;
import dev.notebench.embed.local.LocalModel;
import dev.notebench.enrich.Calibration;
import dev.notebench.enrich.Example;
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
 * Calibration of the embedded labeler's confidences on the SpamAssassin subjects, drawn as
 * LabelerAccuracy draws them (k examples per label, java.util.Random(seed) shuffle, every other row
 * labelled): expected calibration error (10 bins) before (temperature 1) and after calibration,
 * the fitted temperature, accuracy of the most confident 50/70/90/100% of rows, and the reliability
 * tables pooled over the seeds.
 *   java -cp ... bench/LabelerCalibration.java CSV MODELS_DIR CACHE K SEEDS MODEL [label=description ...]
 */
public final class LabelerCalibration {
    public static void main(String[] args) {
        Table t = CsvTables.read(Path.of(args[0]));
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            descriptions.put(kv[0], kv[1]);
        }
        OutputSchema schema = OutputSchema.singleLabel("predicted", List.of("spam", "ham"));
        List<String> subjects = t.stringColumn("subject").asList();
        List<String> labels = t.stringColumn("label").asList();
        List<LocalEmbedder> models = new ArrayList<>();
        for (String id : args[5].split("\\+")) {
            models.add(LocalEmbedder.load(LocalModel.byId(id), Path.of(args[1])));
        }
        int k = Integer.parseInt(args[3]);
        int seeds = Integer.parseInt(args[4]);
        double[] coverages = {0.5, 0.7, 0.9, 1.0};
        try (EmbeddingCache cache = EmbeddingCache.open(Path.of(args[2]))) {
            for (LocalEmbedder model : models) {
                cache.embed(model, subjects, Progress.NONE);
            }
            List<Double> rawAll = new ArrayList<>();
            List<Double> calAll = new ArrayList<>();
            List<Boolean> rightAll = new ArrayList<>();
            System.out.println("| seed | rows | accuracy | temperature | ECE before | ECE after | acc@50% | acc@70% | acc@90% |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            double[] sums = new double[8];
            for (long seed = 0; seed < seeds; seed++) {
                List<Example> examples = new ArrayList<>();
                boolean[] used = new boolean[subjects.size()];
                for (int r : Example.drawPerLabel(labels, schema.labels(), k, seed)) {
                    examples.add(new Example(subjects.get(r), List.of(labels.get(r))));
                    used[r] = true;
                }
                LocalLabeler labeler = LocalLabeler.fit(models, cache, schema, examples, descriptions);
                List<Integer> rows = new ArrayList<>();
                List<String> texts = new ArrayList<>();
                for (int r = 0; r < subjects.size(); r++) {
                    if (!used[r]) {
                        rows.add(r);
                        texts.add(subjects.get(r));
                    }
                }
                List<LocalLabeler.Scored> scored = labeler.score(texts);
                int n = scored.size();
                double[] raw = new double[n];
                double[] cal = new double[n];
                boolean[] right = new boolean[n];
                int correct = 0;
                for (int i = 0; i < n; i++) {
                    raw[i] = scored.get(i).uncalibrated();
                    cal[i] = scored.get(i).confidence();
                    right[i] = scored.get(i).labels().get(0).equals(labels.get(rows.get(i)));
                    correct += right[i] ? 1 : 0;
                    rawAll.add(raw[i]);
                    calAll.add(cal[i]);
                    rightAll.add(right[i]);
                }
                double[] m = {(double) correct / n, labeler.temperature(), Calibration.expectedCalibrationError(raw, right, 10),
                        Calibration.expectedCalibrationError(cal, right, 10), Calibration.accuracyAtCoverage(cal, right, coverages[0]),
                        Calibration.accuracyAtCoverage(cal, right, coverages[1]), Calibration.accuracyAtCoverage(cal, right, coverages[2]), 0};
                for (int i = 0; i < m.length; i++) {
                    sums[i] += m[i];
                }
                System.out.printf(Locale.ROOT, "| %d | %d | %.2f%% | %.3f | %.4f | %.4f | %.2f%% | %.2f%% | %.2f%% |%n", seed, n, 100 * m[0], m[1],
                        m[2], m[3], 100 * m[4], 100 * m[5], 100 * m[6]);
            }
            System.out.printf(Locale.ROOT, "| **mean** | | %.2f%% | %.3f | %.4f | %.4f | %.2f%% | %.2f%% | %.2f%% |%n", 100 * sums[0] / seeds,
                    sums[1] / seeds, sums[2] / seeds, sums[3] / seeds, 100 * sums[4] / seeds, 100 * sums[5] / seeds, 100 * sums[6] / seeds);
            double[] raw = rawAll.stream().mapToDouble(Double::doubleValue).toArray();
            double[] cal = calAll.stream().mapToDouble(Double::doubleValue).toArray();
            boolean[] right = new boolean[rightAll.size()];
            for (int i = 0; i < right.length; i++) {
                right[i] = rightAll.get(i);
            }
            Table before = Calibration.reliability(raw, right, 10);
            Table after = Calibration.reliability(cal, right, 10);
            System.out.println();
            System.out.println("Reliability, all seeds pooled (" + right.length + " answers):");
            System.out.println();
            System.out.println("| confidence | rows before | mean conf. before | accuracy before | rows after | mean conf. after | accuracy after |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (int b = 0; b < 10; b++) {
                System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %d | %s | %s |%n", before.stringColumn(0).get(b),
                        before.intColumn("rows").getInt(b), cell(before, "mean confidence", b), cell(before, "accuracy", b),
                        after.intColumn("rows").getInt(b), cell(after, "mean confidence", b), cell(after, "accuracy", b));
            }
        } finally {
            models.forEach(LocalEmbedder::close);
        }
    }

    private static String cell(Table t, String column, int row) {
        return t.doubleColumn(column).isMissing(row) ? "–" : String.format(Locale.ROOT, "%.3f", t.doubleColumn(column).getDouble(row));
    }
}
