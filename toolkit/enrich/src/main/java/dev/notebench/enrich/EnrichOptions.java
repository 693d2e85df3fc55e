package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.CommandOptions;
import dev.notebench.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code %%enrich} and {@code notebench enrich}, parsed in one place so that both
 * accept exactly the same words: {@code --name value}, {@code --name=value}, and switches.
 */
public final class EnrichOptions {
    private static final CommandOptions OPTIONS = CommandOptions.of(
            CommandOptions.option("instructions", "TEXT", "what the model should do (a magic's cell body gives it instead)"),
            CommandOptions.option("instructions-file", "FILE", "the instructions from a UTF-8 file"),
            CommandOptions.option("input", "FILE.csv", "the CSV file to enrich (UTF-8, header line); never written"),
            CommandOptions.option("out", "FILE.csv", "where the enriched table goes; its journal is FILE.csv.journal.jsonl"),
            CommandOptions.option("text", "COLUMN[,COLUMN]", "the text column(s) sent for each row"),
            CommandOptions.option("template", "TEXT", "instead of --text: a row template with {column} placeholders"),
            CommandOptions.option("labels", "A,B,C", "labels: a true/false column each (any number may apply)"),
            CommandOptions.flag("single", "exactly one label per row, in one column"),
            CommandOptions.option("column", "NAME", "the column of --single (default predicted)"),
            CommandOptions.option("schema", "FILE.json", "instead of --labels: a JSON schema of the output fields"),
            CommandOptions.option("batch", "N", "rows per call (default 10; 64 for the local labeler)"),
            CommandOptions.option("token-budget", "N", "at most N estimated tokens of rows per call (default: no budget)"),
            CommandOptions.option("workers", "N", "calls in flight (default 4); fewer while the server answers 429"),
            CommandOptions.option("attempts", "N", "times a row is asked before it is marked failed (default 3)"),
            CommandOptions.flag("resume", "continue the journal of an earlier run of the same job: labelled rows are not asked"
                    + " again, rows that failed are"),
            CommandOptions.flag("keep-failed", "with --resume: keep the rows that failed before as failed instead of asking them again"),
            CommandOptions.flag("fresh", "start over, replacing the journal"),
            CommandOptions.option("head", "N", "only the first N rows"),
            CommandOptions.option("examples", "FILE.csv", "labelled examples: columns text and label (';' between several)"),
            CommandOptions.option("examples-column", "COLUMN", "take examples from the input: rows whose COLUMN holds a label"),
            CommandOptions.option("examples-per-label", "K", "examples per label taken by --examples-column (default 20)"),
            CommandOptions.option("seed", "N", "which rows --examples-column takes (default 42)"),
            CommandOptions.option("provider", "NAME", "local (default: offline, no key) or openai (any OpenAI-compatible server)"),
            CommandOptions.option("base-url", "URL", "the server, ending in /v1 (implies --provider openai)"),
            CommandOptions.option("model", "NAME", "the server's model (implies --provider openai); with --provider local"
                    + " the embedding models: all-minilm-l6-v2, bge-small-en-v1.5, or both joined by + (the default)"),
            CommandOptions.option("key-env", "VAR", "the environment variable holding the key (default OPENAI_API_KEY for api.openai.com)"),
            CommandOptions.option("temperature", "T", "sampling temperature (default 0)"),
            CommandOptions.option("max-tokens", "N", "the most tokens of one answer"),
            CommandOptions.option("rpm", "N", "requests per minute allowed"),
            CommandOptions.option("tpm", "N", "prompt tokens per minute allowed"),
            CommandOptions.option("timeout", "SECONDS", "time limit of one answer (default 120)"),
            CommandOptions.option("retries", "N", "retries of one call after a 429, a 5xx answer or a timeout (default 6)"),
            CommandOptions.repeatable("header", "NAME=VALUE", "an extra header on every request"),
            CommandOptions.option("price-in", "X", "price per million prompt tokens, for the cost estimate"),
            CommandOptions.option("price-out", "X", "price per million completion tokens"),
            CommandOptions.flag("no-cache", "do not look up or store answers in the response cache"),
            CommandOptions.option("cache", "FILE", "the response cache (default $NOTEBENCH_LLM_CACHE or ~/.cache/notebench/llm-responses.sqlite)"),
            CommandOptions.option("embedding-cache", "FILE", "the local labeler's embedding cache (default the shared one; none for no cache)"),
            CommandOptions.option("save-every", "SECONDS", "how often the partial output is written (default 30)"));

    /** The variable of the training notifier's webhook URL: a secret the process may know, scrubbed from answers too. */
    static final String WEBHOOK_URL_ENV = "NOTEBENCH_WEBHOOK_URL";

    private EnrichOptions() {
    }

    /** The options, one per line, for help texts. */
    public static String help() {
        return OPTIONS.help();
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
        return parse(args, instructions, environment, home, null);
    }

    /**
     * Parses options into a job over a table the caller has (a notebook's variable) instead of {@code --input}.
     *
     * @param args the words after the magic's name
     * @param instructions the instructions; may be empty
     * @param environment the environment
     * @param home the user's home directory
     * @param table the table to enrich; null to read {@code --input}
     * @throws NotebenchException (CONFIG_INVALID) naming the option to fix
     */
    public static EnrichJob parse(List<String> args, String instructions, Map<String, String> environment, Path home,
                                  tech.tablesaw.api.Table table) {
        return build(OPTIONS.parse(args), instructions == null ? "" : instructions, environment, home, table);
    }

    private static EnrichJob build(CommandOptions.Parsed o, String body, Map<String, String> env, Path home,
                                   tech.tablesaw.api.Table table) {
        String instructions = instructions(o, body);
        if ((!o.has("input") && table == null) || !o.has("out")) {
            throw bad("give the input CSV and the output file: --input FILE.csv --out FILE.csv");
        }
        if (o.has("input") && table != null) {
            throw bad("give --input FILE.csv or a table, not both");
        }
        if (o.has("text") == o.has("template")) {
            throw bad("give the text column (--text COLUMN) or a --template, one of them");
        }
        if (o.has("labels") == o.has("schema")) {
            throw bad("say what to add: --labels a,b,c or --schema FILE.json, one of them");
        }
        boolean server = o.has("base-url") || (o.has("model") && !o.has("provider"));
        String provider = o.get("provider", server ? "openai" : "local");
        AnnotatorOptions.Builder a = AnnotatorOptions.builder(provider).environment(env);
        if (o.has("model")) {
            a.model(o.get("model", null));
        }
        String base = o.get("base-url", provider.equals("openai") ? "https://api.openai.com/v1" : null);
        a.baseUrl(base);
        String keyEnv = o.get("key-env", base != null && base.contains("api.openai.com") ? "OPENAI_API_KEY" : null);
        a.apiKeyEnv(keyEnv);
        Secrets.Builder secrets = Secrets.builder().fromEnvironment(env, keyEnv, WEBHOOK_URL_ENV);
        a.temperature(o.number("temperature", 0, 0, 2));
        a.maxTokens((int) o.number("max-tokens", 0, 0, 1_000_000));
        a.rateLimits((long) o.number("rpm", 0, 0, 1e9), (long) o.number("tpm", 0, 0, 1e12));
        a.timeout(Duration.ofMillis((long) (o.number("timeout", 120, 0.1, 3600) * 1000)));
        a.retries((int) o.number("retries", 6, 0, 100));
        for (String h : o.all("header")) {
            int eq = h.indexOf('=');
            if (eq <= 0) {
                throw bad("--header " + h + ": write NAME=VALUE");
            }
            a.header(h.substring(0, eq).strip(), h.substring(eq + 1).strip());
            secrets.header(h.substring(0, eq).strip(), h.substring(eq + 1).strip());
        }
        a.secrets(secrets.build());
        if (!o.has("no-cache")) {
            a.responseCache(o.has("cache") ? Path.of(o.get("cache", null)) : EnrichJob.defaultResponseCache(env, home));
        }
        if (o.has("embedding-cache")) {
            a.setting("embeddingCache", o.get("embedding-cache", null));
        }
        int workers = (int) o.number("workers", 4, 1, 1024);
        EnrichJob.Builder b = EnrichJob.builder().input(o.has("input") ? Path.of(o.get("input", null)) : null).table(table)
                .output(Path.of(o.get("out", null)))
                .instructions(instructions).workers(workers).annotator(a)
                .maxAttempts((int) o.number("attempts", 3, 1, 20))
                .packing((int) o.number("batch", provider.equals("local") ? 64 : 10, 1, 10_000),
                        (int) o.number("token-budget", 0, 0, 10_000_000))
                .journal(o.has("resume"), o.has("fresh")).keepFailed(o.has("keep-failed"))
                .head((int) o.number("head", 0, 0, Integer.MAX_VALUE))
                .saveEvery(Duration.ofMillis((long) (o.number("save-every", 30, 0.1, 86_400) * 1000)));
        if (o.has("text")) {
            b.text(Arrays.stream(o.get("text", null).split(",")).map(String::strip).toList());
        } else {
            b.template(o.get("template", null));
        }
        if (o.has("labels")) {
            List<String> labels = Arrays.stream(o.get("labels", null).split(",")).map(String::strip).toList();
            b.labels(labels, o.has("single"), o.get("column", "predicted"));
        } else {
            if (o.has("single") || o.has("column")) {
                throw bad("--single and --column go with --labels");
            }
            b.schemaFile(Path.of(o.get("schema", null)));
        }
        if (o.has("examples")) {
            b.examplesFile(Path.of(o.get("examples", null)));
        }
        if (o.has("examples-column")) {
            b.examplesFromColumn(o.get("examples-column", null), (int) o.number("examples-per-label", 20, 1, 10_000),
                    (long) o.number("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE));
        } else if (o.has("examples-per-label") || o.has("seed")) {
            throw bad("--examples-per-label and --seed go with --examples-column");
        }
        if (o.has("price-in") || o.has("price-out")) {
            b.prices(new Prices(o.number("price-in", 0, 0, 1e9), o.number("price-out", 0, 0, 1e9)));
        }
        return b.build();
    }

    /** The instructions: a cell body, --instructions or --instructions-file, at most one of them. */
    private static String instructions(CommandOptions.Parsed o, String body) {
        int given = (body.isBlank() ? 0 : 1) + (o.has("instructions") ? 1 : 0) + (o.has("instructions-file") ? 1 : 0);
        if (given > 1) {
            throw bad("give the instructions once: a cell body, --instructions or --instructions-file");
        }
        if (o.has("instructions")) {
            return o.get("instructions", "");
        }
        if (o.has("instructions-file")) {
            Path f = Path.of(o.get("instructions-file", ""));
            try {
                return java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "cannot read --instructions-file " + f + ": " + e.getMessage());
            }
        }
        return body;
    }

    private static NotebenchException bad(String message) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, message);
    }
}
