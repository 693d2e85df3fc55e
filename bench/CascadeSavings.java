import dev.notebench.enrich.CascadeReport;
import dev.notebench.enrich.EnrichJob;
import dev.notebench.enrich.EnrichOptions;
import dev.notebench.enrich.FakeChatServer;
import dev.notebench.enrich.cascade.Target;
import dev.notebench.progress.Progress;
import dev.notebench.tables.CsvTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * What a cascade saves on the SpamAssassin subjects: the cheap stage is the embedded labeler (k
 * examples per label from the label column, generic label descriptions, as in
 * enrich-labeler-accuracy.sh), the expensive stage a SIMULATION OF AN ACCURATE MODEL: a loopback
 * fake OpenAI-compatible server that answers each row's gold label (looked up by its subject) after
 * a fixed latency, reporting a fixed usage per call so that each call has a fixed price.
 *   java -cp ... bench/CascadeSavings.java CSV LATENCY_MS TARGET[,TARGET] SAMPLE[,SAMPLE] K SEED
 * where a TARGET is an accuracy (0.95) or targets joined by +: 0.95+recall:spam=0.95, recall:spam=0.95+precision:ham=0.9
 */
public final class CascadeSavings {
    /** A TARGET: an accuracy ({@code 0.95}), or targets joined by {@code +}: {@code 0.95+recall:spam=0.95+precision:ham=0.9}. */
    static List<String> targetOptions(String target) {
        List<String> options = new ArrayList<>();
        for (String t : target.split("\\+")) {
            if (t.startsWith("recall:") || t.startsWith("precision:")) {
                int colon = t.indexOf(':');
                options.addAll(List.of("--target-" + t.substring(0, colon), t.substring(colon + 1)));
            } else {
                options.addAll(List.of("--target-accuracy", t));
            }
        }
        return options;
    }

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        long latency = Long.parseLong(args[1]);
        Table t = CsvTables.read(csv);
        Map<String, String> gold = new HashMap<>();
        Map<String, Integer> conflicts = new HashMap<>();
        for (int r = 0; r < t.rowCount(); r++) {
            String subject = t.getString(r, "subject");
            String label = t.getString(r, "label");
            String before = gold.putIfAbsent(subject, label);
            if (before != null && !before.equals(label)) {
                conflicts.merge(subject, 1, Integer::sum);
            }
        }
        int conflicting = 0;
        for (int r = 0; r < t.rowCount(); r++) {
            if (conflicts.containsKey(t.getString(r, "subject")) && !gold.get(t.getString(r, "subject")).equals(t.getString(r, "label"))) {
                conflicting++;
            }
        }
        System.out.printf(Locale.ROOT, "%d rows, %d distinct subjects; %d rows share their subject with a row of the other label"
                + " (the simulated model answers the first row's label for them)%n", t.rowCount(), gold.size(), conflicting);
        Path dir = Files.createTempDirectory("cascade-bench");
        try (FakeChatServer server = FakeChatServer.builder(FakeChatServer.goldAnswers(gold, "predicted"))
                .script(c -> new FakeChatServer.Reply().delay(latency)).usagePerCall(1000, 0).start()) {
            System.out.println("| targets | sample | threshold | rows kept cheap | rows to the expensive model | expensive calls"
                    + " | calls for every row | calls saved | cost | cost for every row | accuracy on the sample | accuracy on all rows"
                    + " | guaranteed | per target: on the sample, on all rows | wall |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (String sample : args[3].split(",")) {
                for (String target : args[2].split(",")) {
                    List<String> a = new ArrayList<>(List.of("--input", csv.toString(), "--out", dir.resolve("out.csv").toString(),
                            "--text", "subject", "--labels", "spam,ham", "--single", "--gold", "label", "--examples-column", "label",
                            "--examples-per-label", args[4], "--seed", args[5], "--cascade", "local",
                            "--cascade-sample", sample, "--base-url", server.baseUrl(), "--model", "accurate-model-simulation",
                            "--batch", "1", "--workers", "16", "--price-in", "10", "--no-cache", "--fresh"));
                    a.addAll(targetOptions(target));
                    String instructions = "spam: unsolicited bulk email: advertising, offers, money, scams\n"
                            + "ham: an ordinary email: a reply, a discussion, a mailing list post, a question";
                    EnrichJob job = EnrichOptions.parse(a, instructions, System.getenv(), Path.of(System.getProperty("user.home")));
                    long t0 = System.nanoTime();
                    EnrichJob.Outcome o = job.run(Progress.NONE, CascadeSavings.class.getClassLoader());
                    double wall = (System.nanoTime() - t0) / 1e9;
                    CascadeReport c = o.cascade().orElseThrow();
                    double cost = c.expensiveCost().orElse(0);
                    StringBuilder reached = new StringBuilder();
                    for (int i = 0; i < c.onGoldRows().size(); i++) {
                        Target.Check s = c.selection().checks().get(i);
                        Target.Check all = c.onGoldRows().get(i);
                        reached.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s: %.4f on %d sample rows (p = %.3g),"
                                + " %.4f on %d rows", s.target().measure(), s.achieved(), s.rows(), s.pValue(), all.achieved(), all.rows()));
                    }
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %d (%.1f%%) | %d | %.0f | %.1f%% | $%.2f | $%.2f | %.4f | %.4f | %s |"
                                    + " %s | %.1f s |%n", target, sample,
                            c.selection().guaranteed() ? String.format(Locale.ROOT, "%.3f", c.selection().threshold()) : "+inf",
                            c.cheapRows(), c.expensiveRowsAsked(), 100.0 * c.expensiveRowsAsked() / t.rowCount(), c.expensiveCalls(),
                            c.expensiveCallsForEveryRow(), 100 * c.expensiveCallsSaved(), cost,
                            cost * t.rowCount() / c.expensiveRowsAsked(), c.selection().sampleAccuracy(), c.accuracyOnGoldRows(),
                            c.selection().guaranteed() ? "yes" : "no: " + c.selection().reason(), reached, wall);
                }
            }
        }
    }
}
