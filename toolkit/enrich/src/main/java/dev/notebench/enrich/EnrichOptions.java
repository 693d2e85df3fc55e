package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@code %%enrich} and {@code notebench enrich}, parsed in one place so that both
 * accept exactly the same words: {@code --name value}, {@code --name=value}, and switches.
 */
public final class EnrichOptions {
    private record Option(String name, String value, String help) {
        boolean isSwitch() {
            return value == null;
        }
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("input", "FILE.csv", "the CSV file to enrich (UTF-8, header line); never written"),
            new Option("out", "FILE.csv", "where the enriched table goes; its journal is FILE.csv.journal.jsonl"),
            new Option("text", "COLUMN[,COLUMN]", "the text column(s) sent for each row"),
            new Option("template", "TEXT", "instead of --text: a row template with {column} placeholders"),
            new Option("labels", "A,B,C", "labels: a true/false column each (any number may apply)"),
            new Option("single", null, "exactly one label per row, in one column"),
            new Option("column", "NAME", "the column of --single (default predicted)"),
            new Option("schema", "FILE.json", "instead of --labels: a JSON schema of the output fields"),
            new Option("batch", "N", "rows per call (default 10; 64 for the local labeler)"),
            new Option("token-budget", "N", "at most N estimated tokens of rows per call (default: no budget)"),
            new Option("workers", "N", "calls in flight (default 4); fewer while the server answers 429"),
            new Option("attempts", "N", "times a row is asked before it is marked failed (default 3)"),
            new Option("resume", null, "continue the journal of an earlier run of the same job"),
            new Option("fresh", null, "start over, replacing the journal"),
            new Option("head", "N", "only the first N rows"),
            new Option("examples", "FILE.csv", "labelled examples: columns text and label (';' between several)"),
            new Option("examples-column", "COLUMN", "take examples from the input: rows whose COLUMN holds a label"),
            new Option("examples-per-label", "K", "examples per label taken by --examples-column (default 20)"),
            new Option("seed", "N", "which rows --examples-column takes (default 42)"),
            new Option("provider", "NAME", "local (default: offline, no key) or openai (any OpenAI-compatible server)"),
            new Option("base-url", "URL", "the server, ending in /v1 (implies --provider openai)"),
            new Option("model", "NAME", "the server's model (implies --provider openai), or the local labeler's embedding model"),
            new Option("key-env", "VAR", "the environment variable holding the key (default OPENAI_API_KEY for api.openai.com)"),
            new Option("temperature", "T", "sampling temperature (default 0)"),
            new Option("max-tokens", "N", "the most tokens of one answer"),
            new Option("rpm", "N", "requests per minute allowed"),
            new Option("tpm", "N", "prompt tokens per minute allowed"),
            new Option("timeout", "SECONDS", "time limit of one answer (default 120)"),
            new Option("header", "NAME=VALUE", "an extra header on every request"),
            new Option("price-in", "X", "price per million prompt tokens, for the cost estimate"),
            new Option("price-out", "X", "price per million completion tokens"),
            new Option("no-cache", null, "do not look up or store answers in the response cache"),
            new Option("cache", "FILE", "the response cache (default $NOTEBENCH_LLM_CACHE or ~/.cache/notebench/llm-responses.sqlite)"),
            new Option("embedding-cache", "FILE", "the local labeler's embedding cache (default the shared one; none for no cache)"),
            new Option("save-every", "SECONDS", "how often the partial output is written (default 30)"));

    private EnrichOptions() {
    }

    /** The options, one per line, for help texts. */
    public static String help() {
        StringBuilder s = new StringBuilder();
        for (Option o : OPTIONS) {
            String left = "  --" + o.name() + (o.isSwitch() ? "" : " " + o.value());
            s.append(String.format(Locale.ROOT, "%-34s %s%n", left, o.help()));
        }
        return s.toString();
    }

    /**
     * Parses options into a job.
     *
     * @param args the words after the magic's or the command's name
     * @param instructions the instructions (a cell body); may be empty
     * @param environment the environment (for the key's default variable and the cache path)
     * @param home the user's home directory
     * @throws NotebenchException (CONFIG_INVALID) naming the option to fix
     */
    public static EnrichJob parse(List<String> args, String instructions, Map<String, String> environment, Path home) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw bad("'" + a + "' is not an option; options start with -- (--input FILE.csv)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String n = name;
            Option o = OPTIONS.stream().filter(x -> x.name().equals(n)).findFirst()
                    .orElseThrow(() -> bad("unknown option --" + n + "; the options are " + OPTIONS.stream().map(x -> "--" + x.name())
                            .toList()));
            if (o.isSwitch()) {
                if (value != null) {
                    throw bad("--" + n + " takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.size()) {
                    throw bad("--" + n + " needs a value: --" + n + " " + o.value());
                }
                value = args.get(++i);
            }
            if (given.containsKey(n) && !n.equals("header")) {
                throw bad("--" + n + " is given twice");
            }
            given.computeIfAbsent(n, k -> new ArrayList<>()).add(value);
        }
        return build(given, instructions == null ? "" : instructions, environment, home);
    }

    private static EnrichJob build(Map<String, List<String>> o, String instructions, Map<String, String> env, Path home) {
        if (!o.containsKey("input") || !o.containsKey("out")) {
            throw bad("give the input CSV and the output file: --input FILE.csv --out FILE.csv");
        }
        if (o.containsKey("text") == o.containsKey("template")) {
            throw bad("give the text column (--text COLUMN) or a --template, one of them");
        }
        if (o.containsKey("labels") == o.containsKey("schema")) {
            throw bad("say what to add: --labels a,b,c or --schema FILE.json, one of them");
        }
        boolean server = o.containsKey("base-url") || (o.containsKey("model") && !o.containsKey("provider"));
        String provider = one(o, "provider", server ? "openai" : "local");
        AnnotatorOptions.Builder a = AnnotatorOptions.builder(provider).environment(env);
        if (o.containsKey("model")) {
            a.model(one(o, "model", null));
        }
        String base = one(o, "base-url", provider.equals("openai") ? "https://api.openai.com/v1" : null);
        a.baseUrl(base);
        String keyEnv = one(o, "key-env", base != null && base.contains("api.openai.com") ? "OPENAI_API_KEY" : null);
        a.apiKeyEnv(keyEnv);
        a.temperature(number(o, "temperature", 0, 0, 2));
        a.maxTokens((int) number(o, "max-tokens", 0, 0, 1_000_000));
        a.rateLimits((long) number(o, "rpm", 0, 0, 1e9), (long) number(o, "tpm", 0, 0, 1e12));
        a.timeout(Duration.ofMillis((long) (number(o, "timeout", 120, 0.1, 3600) * 1000)));
        for (String h : o.getOrDefault("header", List.of())) {
            int eq = h.indexOf('=');
            if (eq <= 0) {
                throw bad("--header " + h + ": write NAME=VALUE");
            }
            a.header(h.substring(0, eq).strip(), h.substring(eq + 1).strip());
        }
        if (!o.containsKey("no-cache")) {
            a.responseCache(o.containsKey("cache") ? Path.of(one(o, "cache", null)) : EnrichJob.defaultResponseCache(env, home));
        }
        if (o.containsKey("embedding-cache")) {
            a.setting("embeddingCache", one(o, "embedding-cache", null));
        }
        int workers = (int) number(o, "workers", 4, 1, 1024);
        EnrichJob.Builder b = EnrichJob.builder().input(Path.of(one(o, "input", null))).output(Path.of(one(o, "out", null)))
                .instructions(instructions).workers(workers).annotator(a)
                .maxAttempts((int) number(o, "attempts", 3, 1, 20))
                .packing((int) number(o, "batch", provider.equals("local") ? 64 : 10, 1, 10_000),
                        (int) number(o, "token-budget", 0, 0, 10_000_000))
                .journal(o.containsKey("resume"), o.containsKey("fresh"))
                .head((int) number(o, "head", 0, 0, Integer.MAX_VALUE))
                .saveEvery(Duration.ofMillis((long) (number(o, "save-every", 30, 0.1, 86_400) * 1000)));
        if (o.containsKey("text")) {
            b.text(Arrays.stream(one(o, "text", null).split(",")).map(String::strip).toList());
        } else {
            b.template(one(o, "template", null));
        }
        if (o.containsKey("labels")) {
            List<String> labels = Arrays.stream(one(o, "labels", null).split(",")).map(String::strip).toList();
            b.labels(labels, o.containsKey("single"), one(o, "column", "predicted"));
        } else {
            if (o.containsKey("single") || o.containsKey("column")) {
                throw bad("--single and --column go with --labels");
            }
            b.schemaFile(Path.of(one(o, "schema", null)));
        }
        if (o.containsKey("examples")) {
            b.examplesFile(Path.of(one(o, "examples", null)));
        }
        if (o.containsKey("examples-column")) {
            b.examplesFromColumn(one(o, "examples-column", null), (int) number(o, "examples-per-label", 20, 1, 10_000),
                    (long) number(o, "seed", 42, Long.MIN_VALUE, Long.MAX_VALUE));
        } else if (o.containsKey("examples-per-label") || o.containsKey("seed")) {
            throw bad("--examples-per-label and --seed go with --examples-column");
        }
        if (o.containsKey("price-in") || o.containsKey("price-out")) {
            b.prices(new Prices(number(o, "price-in", 0, 0, 1e9), number(o, "price-out", 0, 0, 1e9)));
        }
        return b.build();
    }

    private static String one(Map<String, List<String>> o, String name, String fallback) {
        List<String> v = o.get(name);
        return v == null ? fallback : v.get(0);
    }

    private static double number(Map<String, List<String>> o, String name, double fallback, double min, double max) {
        String v = one(o, name, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (d < min || d > max || Double.isNaN(d)) {
                throw bad("--" + name + " " + v + " is out of range; give a number from " + fmt(min) + " to " + fmt(max));
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad("--" + name + " " + v + " is not a number");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static NotebenchException bad(String message) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, message);
    }
}
