package dev.notebench.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.NotebenchException;
import dev.notebench.plots.PlotlyJs;
import dev.notebench.train.TinyRuns;
import dev.notebench.train.TrainRun;
import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.GenerateOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
    @TempDir
    static Path tmp;
    static Path a;
    static Path b;

    @BeforeAll
    static void trainTwoRuns() throws Exception {
        a = TrainRun.create(TinyRuns.gpt(tmp, "run-a").steps(20).eval(10, 1).build()).run() != null
                ? tmp.resolve("runs/run-a") : null;
        b = TrainRun.create(TinyRuns.gpt(tmp, "run-b").steps(20).eval(10, 1).learningRate(1e-3).build()).run() != null
                ? tmp.resolve("runs/run-b") : null;
        Evaluator.evaluate(a, null, List.of("The", "We will"), GenerateOptions.defaults().withMaxNewTokens(10));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    @Test
    void aReportIsOnePageWithPlotlyInlinedTheCurvesTheSummaryAndTheSamples() throws Exception {
        Path file = RunReport.of(a).write(tmp.resolve("out/a.html"));
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>Run run-a</title>"));
        assertTrue(html.contains(PlotlyJs.source().substring(0, 200)), "plotly.js is inlined, so the page draws offline");
        assertFalse(java.util.regex.Pattern.compile("<(script|link)[^>]*(src|href)=").matcher(html).find(),
                "nothing is loaded from elsewhere");
        assertEquals(4, count(html, "class=\"notebench-figure\""), "loss, lr, grad_norm, tokens/s");
        JsonObject summary = JsonParser.parseString(Files.readString(a.resolve("manifest.json"))).getAsJsonObject()
                .getAsJsonObject("summary");
        assertTrue(html.contains("<tr><th>best val loss</th><td>"
                + String.format(Locale.ROOT, "%.4f", summary.get("best_val_loss").getAsDouble()) + "</td></tr>"), "best val loss");
        assertTrue(html.contains("<tr><th>steps done</th><td>20</td></tr>"));
        assertEquals(2, count(html, "<tr><td><pre>"), "one row per sample");
        assertTrue(html.contains("<h2>Evaluation</h2>"));
        assertTrue(html.contains("<tr><th>tokenizer kind</th><td>bpe</td></tr>"), "the tokenizer's manifest is summarized");
        assertEquals(a.resolve("report.html"), RunReport.of(a).defaultFile());
    }

    @Test
    void aComparisonHasAColumnPerRunAndOverlaidCurves() {
        RunReport both = RunReport.of(a, b);
        String html = both.html();
        assertTrue(html.contains("<title>Runs run-a vs run-b</title>"));
        assertTrue(html.contains("<tr><th></th><th>run-a</th><th>run-b</th></tr>"));
        String config = html.substring(html.indexOf("<h2>Configuration</h2>"), html.indexOf("<h2>Data and tokenizer</h2>"));
        assertTrue(config.contains("<tr><th>learning_rate</th><td>0.003</td><td>0.001</td></tr>"), config);
        assertTrue(html.contains("run-a: train loss (smoothed)") && html.contains("run-b: val loss"));
        assertEquals(tmp.resolve("runs/compare-run-a-vs-run-b.html").toAbsolutePath().normalize(), both.defaultFile());
    }

    @Test
    void noSecretReachesTheReport() throws Exception {
        Path run = tmp.resolve("runs/secret");
        Files.createDirectories(run);
        JsonObject m = JsonParser.parseString(Files.readString(a.resolve("manifest.json"))).getAsJsonObject();
        JsonObject config = m.getAsJsonObject("config");
        config.addProperty("api_key", "sk-live-0123456789abcdef");
        JsonObject notify = new JsonObject();
        notify.addProperty("webhook_url", "https://hooks.example.com/services/T000/B000/XXXXSECRETXXXX");
        notify.addProperty("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.secret");
        config.add("notify", notify);
        Files.writeString(run.resolve("manifest.json"), new GsonBuilder().setPrettyPrinting().create().toJson(m));
        Files.copy(a.resolve("metrics.jsonl"), run.resolve("metrics.jsonl"));
        Files.createDirectories(run.resolve("eval"));
        Files.writeString(run.resolve("eval/samples.jsonl"),
                "{\"prompt\":\"my token is hf_envSECRET42\",\"sample\":\"and hf_envSECRET42 again\"}\n");
        String html = RunReport.of(run).environment(Map.of("HF_TOKEN", "hf_envSECRET42", "HOME", "/root")).html();
        for (String secret : List.of("sk-live-0123456789abcdef", "XXXXSECRETXXXX", "eyJhbGciOiJIUzI1NiJ9", "hf_envSECRET42")) {
            assertFalse(html.contains(secret), secret + " leaked");
        }
        assertEquals(5, count(html, RunReport.REDACTED), "redactions");
        assertTrue(html.contains("<tr><th>tokenizer</th><td>"), "tokenizer settings are not secrets");
        assertTrue(html.contains("/root") || !html.contains("HOME"), "harmless variables are left alone");
    }

    @Test
    void somethingThatIsNotARunIsOneClearError() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> RunReport.of(tmp.resolve("nowhere")));
        assertTrue(e.getMessage().endsWith("is not a run directory (no manifest.json); see runs for the runs there are"), e.getMessage());
        NotebenchException l = assertThrows(NotebenchException.class, () -> RunReport.locate(tmp.resolve("runs"), "nope"));
        assertEquals("nope is neither a run in " + tmp.resolve("runs") + " nor a run directory; runs lists the runs", l.getMessage());
        assertEquals(a.toAbsolutePath().normalize(), RunReport.locate(tmp.resolve("runs"), "run-a"));
    }
}
