import com.google.gson.JsonObject;
import dev.notebench.enrich.EnrichResult;
import dev.notebench.enrich.Enricher;
import dev.notebench.enrich.FakeChatServer;
import dev.notebench.enrich.Item;
import dev.notebench.enrich.OpenAiChatAnnotator;
import dev.notebench.enrich.OutputSchema;
import dev.notebench.enrich.RowText;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Enrichment throughput against a loopback OpenAI-compatible fake with a fixed latency per call and
 * a concurrency limit (429 + Retry-After beyond it): rows/s of each scheme against the server's
 * limit, rows per call x allowed concurrency / latency.
 *   java -cp ... bench/EnrichThroughput.java LATENCY_MS LIMIT RETRY_AFTER_S
 */
public final class EnrichThroughput {
    static Table rows(int n) {
        StringColumn subject = StringColumn.create("subject");
        for (int i = 0; i < n; i++) {
            subject.append((i % 3 == 0 ? "Win $" + i + " now" : "Re: patch " + i) + (i % 5 == 0 ? "?" : ""));
        }
        return Table.create("rows", subject);
    }

    static JsonObject truth(Item row) {
        JsonObject o = new JsonObject();
        o.addProperty("spam", row.text().contains("$"));
        return o;
    }

    public static void main(String[] args) throws Exception {
        long latency = Long.parseLong(args[0]);
        int limit = Integer.parseInt(args[1]);
        String retryAfter = args[2];
        OutputSchema schema = OutputSchema.multiLabel(List.of("spam"));
        System.out.println("| scheme | rows/call | workers | rows | calls | 429s | seconds | rows/s | server limit rows/s | share of limit |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        Object[][] schemes = {
                {"one row per call", 1, limit, 200},
                {"seed 004: batch 10, 3 workers", 10, 3, 2000},
                {"Notebench: batch 10, workers = server limit", 10, limit, 2000},
                {"Notebench: batch 10, 2x workers (429 + AIMD)", 10, 2 * limit, 2000},
                {"Notebench: batch 10, 4x workers (429 + AIMD)", 10, 4 * limit, 2000}};
        for (Object[] s : schemes) {
            int batch = (Integer) s[1];
            int workers = (Integer) s[2];
            int n = (Integer) s[3];
            try (FakeChatServer server = FakeChatServer.builder(EnrichThroughput::truth).concurrencyLimit(limit, retryAfter)
                    .script(c -> new FakeChatServer.Reply().delay(latency)).start();
                 OpenAiChatAnnotator llm = OpenAiChatAnnotator.builder("fake").baseUrl(server.baseUrl()).apiKeyEnv(null)
                         .workers(workers).retries(100, Duration.ofMillis(50)).build()) {
                long t0 = System.nanoTime();
                EnrichResult r = Enricher.builder(llm, schema).batchSize(batch).workers(workers).build()
                        .run(rows(n), RowText.columns("subject"));
                double secs = (System.nanoTime() - t0) / 1e9;
                if (r.summary().labelled() != n) {
                    throw new AssertionError("only " + r.summary().labelled() + " of " + n + " labelled");
                }
                double rate = n / secs;
                double cap = batch * Math.min(workers, limit) / (latency / 1000.0);
                double serverCap = batch * limit / (latency / 1000.0);
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.2f | %.1f | %.1f | %.3f |%n", s[0], batch, workers, n,
                        server.answered(), server.throttled(), secs, rate, serverCap, rate / serverCap);
            }
        }
    }
}
