package dev.notebench.train.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.FileErrors;
import dev.notebench.files.OutputGuard;
import dev.notebench.display.Html;
import dev.notebench.plots.FigureHtml;
import dev.notebench.plots.PlotlyJs;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.metrics.MetricsPlots;
import dev.notebench.train.metrics.MetricsTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tech.tablesaw.api.Table;

/**
 * One self-contained HTML file about a run, or about several compared: summary, curves, eval
 * metrics, sample generations, configuration, data and tokenizer facts, library versions. It
 * inlines plotly.js, so it opens from {@code file://} with no network.
 *
 * <p>Secrets never reach it: values under keys that name one (key, token, secret, password,
 * credential, auth, webhook) are replaced by {@code [redacted]}, and so is, anywhere in the page,
 * the value of every variable of the application's environment ({@link #environment}) whose name
 * does.
 *
 * <pre>{@code
 * Path html = RunReport.of(Path.of("runs/gpt-sotu")).environment(System.getenv()).write(Path.of("gpt-sotu.html"));
 * Path both = RunReport.of(Path.of("runs/a"), Path.of("runs/b")).write(Path.of("a-vs-b.html"));
 * }</pre>
 */
public final class RunReport {
    /** What replaces a secret. */
    public static final String REDACTED = "[redacted]";

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(key|token|secret|passw|credential|auth|webhook|cookie|bearer).*");
    private static final Pattern SAFE_NAME = Pattern.compile("(?i)(tokenizer.*|.*tokens.*|max_tokens|special_tokens)");

    /** The moving-average weight of training-loss curves unless told otherwise. */
    public static final double DEFAULT_SMOOTHING = 0.9;

    private final List<Path> runs;
    private final double smoothing;
    private final Map<String, String> environment;

    private RunReport(List<Path> runs, double smoothing, Map<String, String> environment) {
        this.runs = List.copyOf(runs);
        this.smoothing = smoothing;
        this.environment = Map.copyOf(environment);
    }

    /**
     * A report on one run, or a comparison of several.
     *
     * @param runDirs run directories (each with {@code manifest.json} and {@code metrics.jsonl})
     * @throws NotebenchException if one is not a run directory
     */
    public static RunReport of(Path... runDirs) {
        if (runDirs.length == 0) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a report needs at least one run directory");
        }
        for (Path dir : runDirs) {
            if (!RunDirectory.isRun(dir)) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, dir + " is not a run directory (no "
                        + RunDirectory.MANIFEST + "); see " + FrontEnd.command("runs") + " for the runs there are");
            }
        }
        return new RunReport(List.of(runDirs), DEFAULT_SMOOTHING, Map.of());
    }

    /**
     * Finds a run by id in a runs directory, or takes the name as a run directory.
     *
     * @param runsDir where runs are, e.g. {@code runs}
     * @param run a run id or a run directory
     * @return the run directory, absolute
     * @throws NotebenchException if it is neither
     */
    public static Path locate(Path runsDir, String run) {
        Path byId = runsDir.resolve(run);
        Path dir = RunDirectory.isRun(byId) ? byId : Path.of(run);
        if (!RunDirectory.isRun(dir)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, run + " is neither a run in " + runsDir
                    + " nor a run directory; " + FrontEnd.command("runs") + " lists the runs");
        }
        return dir.toAbsolutePath().normalize();
    }

    /** Where the report goes unless told: RUN_DIR/report.html, or compare-A-vs-B.html beside the first run. */
    public Path defaultFile() {
        Path first = runs.get(0).toAbsolutePath().normalize();
        if (runs.size() == 1) {
            return first.resolve("report.html");
        }
        return first.getParent().resolve("compare-" + String.join("-vs-",
                runs.stream().map(d -> d.toAbsolutePath().normalize().getFileName().toString()).toList()) + ".html");
    }

    /**
     * Returns a report whose training-loss curves use another moving-average weight.
     *
     * @param weight in [0, 1); 0 for raw values
     */
    public RunReport smoothing(double weight) {
        new dev.notebench.train.metrics.Smoothing(weight); // validates
        return new RunReport(runs, weight, environment);
    }

    /**
     * Returns a report that redacts the secret-looking variables of an environment wherever their
     * values appear; the application reads its environment (the CLI, the kernel) and passes it here.
     *
     * @param env the environment, e.g. {@code System.getenv()}
     * @return the report
     */
    public RunReport environment(Map<String, String> env) {
        return new RunReport(runs, smoothing, env);
    }

    /**
     * Writes the report.
     *
     * @param file the HTML file to write; its directory is created
     * @return the file
     */
    public Path write(Path file) {
        OutputGuard.Builder guard = OutputGuard.builder().output("--out", file);
        for (Path run : runs) {
            // every file of the run is the run's (metrics, manifest, status, checkpoints, evaluations); only reports may be replaced
            try (java.util.stream.Stream<Path> files = Files.walk(run)) {
                guard.inputs("the run " + run.getFileName() + "'s", files.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().endsWith(".html")).toList());
            } catch (IOException e) {
                throw FileErrors.of("read the run " + run, run, e);
            }
        }
        guard.build().check();
        AtomicFiles.writeString(file, html());
        return file;
    }

    /** Returns the report as one HTML document. */
    public String html() {
        List<JsonObject> manifests = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Path dir : runs) {
            JsonObject m = redact(RunDirectory.open(dir).manifest());
            manifests.add(m);
            ids.add(m.has("run_id") ? m.get("run_id").getAsString() : dir.getFileName().toString());
        }
        String title = runs.size() == 1 ? "Run " + ids.get(0) : "Runs " + String.join(" vs ", ids);
        FigureHtml figures = new FigureHtml("nbreport");
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(Html.escape(title)).append("</h1>\n");

        body.append("<h2>Summary</h2>\n");
        Map<String, List<String>> summary = new LinkedHashMap<>();
        for (JsonObject m : manifests) {
            JsonObject s = m.has("summary") ? m.getAsJsonObject("summary") : new JsonObject();
            row(summary, "status", s, "status");
            row(summary, "steps done", s.has("last_step") ? String.valueOf(s.get("last_step").getAsLong() + 1) : "");
            row(summary, "last train loss", s, "train_loss");
            row(summary, "best val loss", s, "best_val_loss");
            row(summary, "seconds", s, "seconds");
            row(summary, "parameters", m, "parameters");
            row(summary, "family", m.has("config") ? m.getAsJsonObject("config") : new JsonObject(), "family");
            row(summary, "device", m, "device");
            row(summary, "created", m, "created");
            row(summary, "git commit", m, "git_commit");
        }
        body.append(table(ids, summary));

        List<Path> withMetrics = runs.stream().filter(d -> Files.isRegularFile(d.resolve("metrics.jsonl"))).toList();
        Table metrics = withMetrics.isEmpty() ? null : MetricsTable.read(withMetrics);
        if (metrics != null && metrics.rowCount() > 0) {
            body.append("<h2>Curves</h2>\n");
            body.append(figures.fragment(MetricsPlots.loss(metrics, smoothing), figures.newDivId()));
            for (String metric : List.of("lr", "grad_norm", "tokens_per_s")) {
                body.append(figures.fragment(MetricsPlots.train(metrics, metric), figures.newDivId()));
            }
        }

        for (int i = 0; i < runs.size(); i++) {
            Path eval = runs.get(i).resolve("eval");
            String prefix = runs.size() > 1 ? ids.get(i) + ": " : "";
            if (Files.isRegularFile(eval.resolve("metrics.json"))) {
                body.append("<h2>").append(Html.escape(prefix)).append("Evaluation</h2>\n");
                body.append(keyValues(flatten(redact(read(eval.resolve("metrics.json"))))));
            }
            if (Files.isRegularFile(eval.resolve("samples.jsonl"))) {
                body.append("<h2>").append(Html.escape(prefix)).append("Samples</h2>\n");
                body.append(samples(eval.resolve("samples.jsonl")));
            }
        }

        body.append("<h2>Configuration</h2>\n");
        Map<String, List<String>> config = new LinkedHashMap<>();
        for (int i = 0; i < manifests.size(); i++) {
            JsonObject m = manifests.get(i);
            for (Map.Entry<String, String> e : flatten(m.has("config") ? m.getAsJsonObject("config") : new JsonObject()).entrySet()) {
                config.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                List<String> values = config.get(e.getKey());
                while (values.size() < i) {
                    values.add("");
                }
                values.add(e.getValue());
            }
        }
        body.append(table(ids, config));

        body.append("<h2>Data and tokenizer</h2>\n");
        Map<String, List<String>> data = new LinkedHashMap<>();
        for (JsonObject m : manifests) {
            JsonObject d = m.has("data") ? m.getAsJsonObject("data") : new JsonObject();
            for (String k : List.of("corpus", "tokens", "train_tokens", "val_tokens", "vocab_size", "dtype")) {
                row(data, k, d, k);
            }
            row(data, "tokenizer sha256", m, "tokenizer_sha256");
            JsonObject tok = tokenizerManifest(m);
            row(data, "tokenizer kind", tok, "kind");
            JsonObject tokenizer = tok.has("tokenizer") && tok.get("tokenizer").isJsonObject() ? tok.getAsJsonObject("tokenizer")
                    : new JsonObject();
            row(data, "tokenizer merges", tokenizer, "merges");
            JsonObject corpus = tok.has("corpus") && tok.get("corpus").isJsonObject() ? tok.getAsJsonObject("corpus") : new JsonObject();
            row(data, "tokenizer corpus bytes", corpus, "bytes");
            row(data, "tokenizer corpus distinct words", corpus, "distinct_words");
        }
        body.append(table(ids, data));

        body.append("<h2>Versions</h2>\n");
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (JsonObject m : manifests) {
            JsonObject v = m.has("versions") ? m.getAsJsonObject("versions") : new JsonObject();
            for (String k : v.keySet()) {
                row(versions, k, v, k);
            }
        }
        body.append(table(ids, versions));

        String page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n<title>" + Html.escape(title)
                + "</title>\n<style>\nbody { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; }\n"
                + "table { border-collapse: collapse; margin-bottom: 1em; }\n"
                + "td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }\n"
                + "th { background: #f4f4f4; } pre { white-space: pre-wrap; margin: 0; }\n</style>\n"
                + PlotlyJs.loaderScript() + "</head>\n<body>\n" + body + "<p><small>Written by Notebench "
                + Html.escape(manifests.get(0).has("versions") && manifests.get(0).getAsJsonObject("versions").has("notebench")
                        ? manifests.get(0).getAsJsonObject("versions").get("notebench").getAsString() : "")
                + ".</small></p>\n</body>\n</html>\n";
        return scrubEnvironment(page);
    }

    /** Replaces the value of every secret-looking environment variable wherever it appears. */
    private String scrubEnvironment(String page) {
        String out = page;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String v = e.getValue();
            if (v != null && v.length() >= 6 && SECRET_NAME.matcher(e.getKey()).matches()
                    && !SAFE_NAME.matcher(e.getKey()).matches()) {
                out = out.replace(v, REDACTED).replace(Html.escape(v), REDACTED);
            }
        }
        return out;
    }

    /** A copy with every value under a secret-looking key replaced, at any depth. */
    static JsonObject redact(JsonObject o) {
        JsonObject out = new JsonObject();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String k = e.getKey();
            JsonElement v = e.getValue();
            if (SECRET_NAME.matcher(k).matches() && !SAFE_NAME.matcher(k).matches() && !v.isJsonNull()) {
                out.addProperty(k, REDACTED);
            } else if (v.isJsonObject()) {
                out.add(k, redact(v.getAsJsonObject()));
            } else {
                out.add(k, v.deepCopy());
            }
        }
        return out;
    }

    private JsonObject tokenizerManifest(JsonObject runManifest) {
        JsonObject config = runManifest.has("config") ? runManifest.getAsJsonObject("config") : new JsonObject();
        if (!config.has("tokenizer") || !config.get("tokenizer").isJsonPrimitive()) {
            return new JsonObject();
        }
        Path file = Path.of(config.get("tokenizer").getAsString()).resolve("manifest.json");
        return Files.isRegularFile(file) ? redact(read(file)) : new JsonObject();
    }

    private static JsonObject read(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "cannot read " + file + " for the report: " + e.getMessage()
                    + "; is the run directory complete?", e);
        }
    }

    /** Nested objects as dotted keys; arrays as JSON. */
    private static Map<String, String> flatten(JsonObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", o, out);
        return out;
    }

    private static void flatten(String prefix, JsonObject o, Map<String, String> out) {
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String k = prefix + e.getKey();
            JsonElement v = e.getValue();
            if (v.isJsonObject()) {
                flatten(k + ".", v.getAsJsonObject(), out);
            } else {
                out.put(k, v.isJsonPrimitive() ? v.getAsString() : v.toString());
            }
        }
    }

    private static void row(Map<String, List<String>> rows, String name, JsonObject o, String key) {
        row(rows, name, o.has(key) && !o.get(key).isJsonNull()
                ? (o.get(key).isJsonPrimitive() ? format(o.get(key).getAsString()) : o.get(key).toString()) : "");
    }

    private static void row(Map<String, List<String>> rows, String name, String value) {
        rows.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private static String format(String value) {
        try {
            double d = Double.parseDouble(value);
            if (value.contains(".") || value.contains("E")) {
                return String.format(Locale.ROOT, "%.4f", d);
            }
        } catch (NumberFormatException e) {
            // not a number
        }
        return value;
    }

    private static String table(List<String> ids, Map<String, List<String>> rows) {
        StringBuilder b = new StringBuilder("<table>\n");
        if (ids.size() > 1) {
            b.append("<tr><th></th>");
            ids.forEach(id -> b.append("<th>").append(Html.escape(id)).append("</th>"));
            b.append("</tr>\n");
        }
        for (Map.Entry<String, List<String>> r : rows.entrySet()) {
            b.append("<tr><th>").append(Html.escape(r.getKey())).append("</th>");
            for (int i = 0; i < ids.size(); i++) {
                b.append("<td>").append(Html.escape(i < r.getValue().size() ? r.getValue().get(i) : "")).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String keyValues(Map<String, String> values) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        values.forEach((k, v) -> rows.put(k, List.of(format(v))));
        return table(List.of(""), rows);
    }

    private static String samples(Path file) {
        StringBuilder b = new StringBuilder("<table>\n<tr><th>prompt</th><th>sample</th></tr>\n");
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o = redact(JsonParser.parseString(line).getAsJsonObject());
                b.append("<tr><td><pre>").append(Html.escape(string(o, "prompt"))).append("</pre></td><td><pre>")
                        .append(Html.escape(string(o, "sample"))).append("</pre></td></tr>\n");
            }
        } catch (IOException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "cannot read " + file + " for the report: " + e.getMessage(), e);
        }
        return b.append("</table>\n").toString();
    }

    private static String string(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : "";
    }

    @Override
    public String toString() {
        return "RunReport" + runs;
    }
}
