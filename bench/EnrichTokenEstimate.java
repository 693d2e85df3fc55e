import com.google.gson.JsonObject;
import dev.notebench.enrich.CostEstimate;
import dev.notebench.enrich.EnrichJob;
import dev.notebench.enrich.EnrichOptions;
import dev.notebench.enrich.EnrichSummary;
import dev.notebench.enrich.FakeChatServer;
import dev.notebench.enrich.Item;
import dev.notebench.progress.Progress;
import dev.notebench.tokenize.BpeEncoder;
import dev.notebench.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dry run's token estimate against what a run reports on the same table, from a fake server
 * that counts usage with a real tokenizer (a tokenizer.json, through Hugging Face tokenizers):
 * prompt tokens are each message's tokens plus 3 per message and 3 per reply, completion tokens the
 * answer's tokens. The fake labels a subject spam when it has a '$', '!' or 'free'.
 *   java -cp ... bench/EnrichTokenEstimate.java TOKENIZER.json SUBJECTS.csv
 */
public final class EnrichTokenEstimate {
    static JsonObject label(Item row, boolean single) {
        String t = row.text().toLowerCase(Locale.ROOT);
        boolean spam = t.contains("$") || t.contains("!") || t.contains("free");
        JsonObject o = new JsonObject();
        if (single) {
            o.addProperty("predicted", spam ? "spam" : "ham");
        } else {
            o.addProperty("spam", spam);
            o.addProperty("ham", !spam);
        }
        return o;
    }

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("token-estimate");
        try (Tokenizer tokenizer = BpeEncoder.load(Path.of(args[0]), false)) {
            System.out.println("| counted by | schema | batch | rows | calls (dry run / run) | prompt tokens: estimate | reported | error |"
                    + " completion tokens: estimate | reported | error |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            for (boolean single : new boolean[] {true, false}) {
                for (int batch : new int[] {10, 50}) {
                    try (FakeChatServer server = FakeChatServer.builder(row -> label(row, single))
                            .usage(text -> tokenizer.encode(text).length).start()) {
                        List<String> a = new ArrayList<>(List.of("--input", args[1], "--text", "subject", "--labels", "spam,ham",
                                "--base-url", server.baseUrl(), "--model", "fake", "--batch", Integer.toString(batch), "--no-cache",
                                "--out", tmp.resolve("out-" + single + batch + ".csv").toString(),
                                "--instructions", "Is this e-mail subject spam or ham (an ordinary e-mail)?"));
                        if (single) {
                            a.add("--single");
                        }
                        EnrichSummary s = EnrichOptions.parse(a, "", Map.of(), tmp).run(Progress.NONE,
                                EnrichTokenEstimate.class.getClassLoader()).result().summary();
                        for (boolean withTokenizer : new boolean[] {false, true}) {
                            List<String> dry = new ArrayList<>(a);
                            dry.add("--dry-run");
                            if (withTokenizer) {
                                dry.addAll(List.of("--tokenizer", args[0]));
                            }
                            CostEstimate e = EnrichOptions.parse(dry, "", Map.of(), tmp).estimate();
                            System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d / %d | %d | %d | %+.1f%% | %d | %d | %+.1f%% |%n",
                                    withTokenizer ? "`--tokenizer` (the server's)" : "estimate (no tokenizer)",
                                    single ? "--single spam,ham" : "--labels spam,ham", batch, s.rows(), e.calls(), s.calls(),
                                    e.promptTokens(), s.tokensIn(), 100.0 * (e.promptTokens() - s.tokensIn()) / s.tokensIn(),
                                    e.completionTokens(), s.tokensOut(), 100.0 * (e.completionTokens() - s.tokensOut()) / s.tokensOut());
                        }
                    }
                }
            }
        }
    }
}
