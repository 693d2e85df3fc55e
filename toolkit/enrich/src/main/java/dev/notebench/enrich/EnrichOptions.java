package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.cascade.Target;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code %%enrich} and {@code notebench enrich}, parsed in one place so that both
 * accept exactly the same words: {@code --name value}, {@code --name=value}, and switches.
 */
public final class EnrichOptions {
    private static final int MAX = Integer.MAX_VALUE;
    private static final Option<String> INSTRUCTIONS = Option.string("instructions")
            .help("what the model should do (a magic's cell body gives it instead)");
    private static final Option<Path> INSTRUCTIONS_FILE = Option.path("instructions-file").label("FILE").input()
            .help("the instructions from a UTF-8 file");
    private static final Option<Path> INPUT = Option.path("input").label("FILE.csv").input()
            .help("the CSV file to enrich (UTF-8, header line); never written");
    private static final Option<Path> OUT = Option.path("out").label("FILE.csv").output()
            .help("where the enriched table goes; its journal is FILE.csv.journal.jsonl");
    private static final Option<String> TEXT = Option.string("text").label("COLUMN[,COLUMN]").help("the text column(s) sent for each row");
    private static final Option<String> TEMPLATE = Option.string("template")
            .help("instead of --text: a row template with {column} placeholders");
    private static final Option<String> LABELS = Option.string("labels").label("A,B,C")
            .help("labels: a true/false column each (any number may apply)");
    private static final Option<Boolean> SINGLE = Option.flag("single").help("exactly one label per row, in one column");
    private static final Option<String> COLUMN = Option.string("column").label("NAME").defaultValue("predicted")
            .help("the column of --single");
    private static final Option<Path> SCHEMA = Option.path("schema").label("FILE.json").input()
            .help("instead of --labels: a JSON schema of the output fields");
    private static final Option<Integer> BATCH = Option.integer("batch", 1, 10_000).defaultText("10; 64 for the local labeler")
            .help("rows per call");
    private static final Option<Integer> TOKEN_BUDGET = Option.integer("token-budget", 0, 10_000_000).defaultValue(0)
            .help("at most N estimated tokens of rows per call, 0 = no budget");
    private static final Option<Integer> WORKERS = Option.integer("workers", 1, 1024).defaultValue(4)
            .help("calls in flight; fewer while the server answers 429");
    private static final Option<Integer> ATTEMPTS = Option.integer("attempts", 1, 20).defaultValue(3)
            .help("times a row is asked before it is marked failed");
    private static final Option<Boolean> RESUME = Option.flag("resume").help("continue the journal of an earlier run of the same"
            + " job: labelled rows are not asked again, rows that failed are");
    private static final Option<Boolean> KEEP_FAILED = Option.flag("keep-failed")
            .help("with --resume: keep the rows that failed before as failed instead of asking them again");
    private static final Option<Boolean> FRESH = Option.flag("fresh").help("start over, replacing the journal");
    private static final Option<Integer> HEAD = Option.integer("head", 0, MAX).defaultValue(0).help("only the first N rows, 0 = all");
    private static final Option<Path> EXAMPLES = Option.path("examples").label("FILE.csv").input()
            .help("labelled examples: columns text and label (';' between several)");
    private static final Option<String> EXAMPLES_COLUMN = Option.string("examples-column").label("COLUMN")
            .help("take examples from the input: rows whose COLUMN holds a label");
    private static final Option<Integer> EXAMPLES_PER_LABEL = Option.integer("examples-per-label", 1, 10_000).label("K")
            .defaultValue(20).help("examples per label taken by --examples-column");
    private static final Option<Long> SEED = Option.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE).defaultValue(42L)
            .help("which rows --examples-column, --sample and --cascade-sample take");
    private static final Option<String> PROVIDER = Option.string("provider").label("NAME")
            .defaultText("local: offline, no key; openai with --base-url or --model").help("local or openai (any OpenAI-compatible server)");
    private static final Option<String> BASE_URL = Option.string("base-url").label("URL")
            .help("the server, ending in /v1 (implies --provider openai)");
    private static final Option<String> MODEL = Option.string("model").label("NAME").help("the server's model (implies --provider"
            + " openai); with --provider local the embedding models: all-minilm-l6-v2, bge-small-en-v1.5, or both joined by + (the"
            + " default)");
    private static final Option<String> KEY_ENV = Option.string("key-env").label("VAR").defaultText("OPENAI_API_KEY for api.openai.com")
            .help("the environment variable holding the key");
    private static final Option<Double> TEMPERATURE = Option.number("temperature", 0, 2).label("T").defaultValue(0.0)
            .help("sampling temperature");
    private static final Option<Integer> MAX_TOKENS = Option.integer("max-tokens", 0, 1_000_000).defaultValue(0)
            .help("the most tokens of one answer, 0 = the server's");
    private static final Option<Long> RPM = Option.longInteger("rpm", 0, 1_000_000_000L).defaultValue(0L)
            .help("requests per minute allowed, 0 = no limit");
    private static final Option<Long> TPM = Option.longInteger("tpm", 0, 1_000_000_000_000L).defaultValue(0L)
            .help("prompt tokens per minute allowed, 0 = no limit");
    private static final Option<Double> TIMEOUT = Option.number("timeout", 0.1, 3600).label("SECONDS").defaultValue(120.0)
            .help("time limit of one answer");
    private static final Option<Integer> RETRIES = Option.integer("retries", 0, 100).defaultValue(6)
            .help("retries of one call after a 429, a 5xx answer or a timeout");
    private static final Option<Map.Entry<String, String>> HEADER = Option.keyValue("header").label("NAME=VALUE").repeatable()
            .help("an extra header on every request");
    private static final Option<Double> PRICE_IN = Option.number("price-in", 0, 1e9).defaultValue(0.0)
            .help("price per million prompt tokens, for the cost estimate");
    private static final Option<Double> PRICE_OUT = Option.number("price-out", 0, 1e9).defaultValue(0.0)
            .help("price per million completion tokens");
    private static final Option<Boolean> NO_CACHE = Option.flag("no-cache").help("do not look up or store answers in the response cache");
    private static final Option<Path> CACHE = Option.path("cache").label("FILE")
            .defaultText("$NOTEBENCH_LLM_CACHE or ~/.cache/notebench/llm-responses.sqlite").help("the response cache");
    private static final Option<String> EMBEDDING_CACHE = Option.string("embedding-cache").label("FILE")
            .defaultText("the shared one; none for no cache").help("the local labeler's embedding cache");
    private static final Option<Double> SAVE_EVERY = Option.number("save-every", 0.1, 86_400).label("SECONDS").defaultValue(30.0)
            .help("how often the partial output is written");
    private static final Option<Boolean> DRY_RUN = Option.flag("dry-run").help("send nothing: print the first call's request,"
            + " the calls, the estimated tokens and cost (--price-in/--price-out) of the whole table, and stop");
    private static final Option<Path> TOKENIZER = Option.path("tokenizer").label("PATH").help("with --dry-run or --sample:"
            + " count the tokens with the served model's tokenizer (a tokenizer.json, SentencePiece .model or tokenizer"
            + " directory, e.g. the model's snapshot in the Hugging Face cache) instead of estimating them without one");
    private static final Option<Integer> SAMPLE = Option.integer("sample", 1, MAX).label("N").help("label N rows spread over"
            + " the table (drawn by --seed), show them and the estimate for the rest, and stop; they are journalled beside --out,"
            + " so the same command with --resume instead of --sample labels only the other rows");
    private static final Option<String> GOLD = Option.string("gold").label("COLUMN | FIELD=COLUMN,...")
            .help("score the answers against the right ones in COLUMN of the input (labels; several per row separated by"
                    + " '" + GoldColumns.SEPARATOR + "', '" + GoldColumns.SEPARATOR + "' alone for none, empty cells not scored);"
                    + " with --schema, FIELD=COLUMN pairs: exact match per field. Never a column sent to the model");
    private static final Option<Boolean> CONFIDENCE = Option.flag("confidence").help("add the column " + Enricher.CONFIDENCE_COLUMN
            + ": the probability that the row's answer is right, where the annotator gives one (the local labeler with examples:"
            + " calibrated on them; a server: asked for logprobs, from its answer tokens' probabilities); empty elsewhere");
    private static final Option<Boolean> BATCH_API = Option.flag("batch-api").help("send the rows as one OpenAI-style batch job"
            + " (/v1/files + /v1/batches: usually half the price, answered within 24 h) instead of live calls, the same requests;"
            + " its id is journalled beside --out, so that the same command with --resume collects a job a stopped run left"
            + " instead of submitting another. Rows whose request fails or whose answer fails the checks are failed rows with the"
            + " reason (not asked again in the job): --resume asks them in a follow-up job. Give batch prices to --price-in/"
            + "--price-out");
    private static final Option<Double> POLL_EVERY = Option.number("poll-every", 0.001, 86_400).label("SECONDS").defaultValue(30.0)
            .help("with --batch-api: the longest wait between questions about the job (the first wait 5 s, then doubling)");
    private static final Option<Boolean> CANCEL_BATCH = Option.flag("cancel-batch").help("with --batch-api: a stop (the magic's"
            + " Stop button) cancels the job at the provider, keeping the requests it answered (the others fail), instead of"
            + " leaving it running to collect with --resume");
    private static final Option<String> CASCADE = Option.string("cascade").label("local[:MODELS] | MODEL")
            .help("a cascade: this cheap stage labels every row with a confidence (local: the embedded labeler with the job's"
                    + " examples, local:all-minilm-l6-v2 with those embedding models; MODEL: a model of the same server, key and limits, asked for logprobs) and only rows whose"
                    + " confidence is below a threshold go to the main provider/model, the expensive stage. The threshold is chosen"
                    + " on a random sample of gold rows (--gold, --cascade-sample, --seed) answered by both stages: from +inf (every"
                    + " row to the expensive stage) down in steps of 0.001, each tested for every target (--target-accuracy,"
                    + " --target-precision, --target-recall; at least one): \"accuracy below A\" with the exact hypergeometric"
                    + " p-value of its errors on the sample, \"precision (recall) of LABEL below P\" with the exact binomial p-value"
                    + " of its errors among the m sample rows it labels LABEL (whose gold is LABEL), conditional on m (m = 0: p = 1);"
                    + " a threshold passes when every target is rejected at --delta (intersection-union test), the descent stops at"
                    + " the first failure; at the chosen threshold every target holds on the gold rows with probability at least"
                    + " 1 - delta");
    private static final Option<Double> TARGET_ACCURACY = Option.number("target-accuracy", 0, 1).label("A")
            .help("with --cascade: the accuracy the cascade's answers must reach, strictly between 0 and 1");
    private static final Option<String> TARGET_PRECISION = Option.string("target-precision").label("LABEL=P").repeatable()
            .help("with --cascade: the precision label LABEL must reach (of the rows labelled LABEL, the share whose gold is"
                    + " LABEL), strictly between 0 and 1");
    private static final Option<String> TARGET_RECALL = Option.string("target-recall").label("LABEL=R").repeatable()
            .help("with --cascade: the recall label LABEL must reach (of the rows whose gold is LABEL, the share labelled"
                    + " LABEL), strictly between 0 and 1");
    private static final Option<Integer> CASCADE_SAMPLE = Option.integer("cascade-sample", 1, 10_000_000).label("N").defaultValue(200)
            .help("with --cascade: gold rows drawn at random (--seed) and answered by both stages to choose the threshold");
    private static final Option<Double> DELTA = Option.number("delta", 0, 1).defaultValue(0.1)
            .help("with --cascade: the allowed chance that the chosen threshold misses the target, strictly between 0 and 1");

    /** The options of {@code %%enrich}, {@code notebench enrich} and batch tasks' args. */
    public static final OptionSet OPTIONS = OptionSet.of(INSTRUCTIONS, INSTRUCTIONS_FILE, INPUT, OUT, TEXT, TEMPLATE, LABELS,
            SINGLE, COLUMN, SCHEMA, BATCH, TOKEN_BUDGET, WORKERS, ATTEMPTS, RESUME, KEEP_FAILED, FRESH, HEAD, EXAMPLES,
            EXAMPLES_COLUMN, EXAMPLES_PER_LABEL, SEED, PROVIDER, BASE_URL, MODEL, KEY_ENV, TEMPERATURE, MAX_TOKENS, RPM, TPM,
            TIMEOUT, RETRIES, HEADER, PRICE_IN, PRICE_OUT, NO_CACHE, CACHE, EMBEDDING_CACHE, SAVE_EVERY, DRY_RUN, TOKENIZER, SAMPLE,
            GOLD, CONFIDENCE, BATCH_API, POLL_EVERY, CANCEL_BATCH, CASCADE, TARGET_ACCURACY, TARGET_PRECISION, TARGET_RECALL, CASCADE_SAMPLE,
            DELTA);

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

    /**
     * Builds a job from values already parsed with {@link #OPTIONS} (by a command line derived
     * from them, say).
     *
     * @param values the values of {@link #OPTIONS}
     * @param instructions the instructions (a cell body); may be empty
     * @param environment the environment (for the key's default variable and the cache path)
     * @param home the user's home directory
     * @throws NotebenchException (CONFIG_INVALID) naming the option to fix
     */
    public static EnrichJob job(OptionValues values, String instructions, Map<String, String> environment, Path home) {
        return build(values, instructions == null ? "" : instructions, environment, home, null);
    }

    private static EnrichJob build(OptionValues o, String body, Map<String, String> env, Path home,
                                   tech.tablesaw.api.Table table) {
        String instructions = instructions(o, body);
        if ((!o.has(INPUT) && table == null) || !o.has(OUT)) {
            throw bad("give the input CSV and the output file: --input FILE.csv --out FILE.csv");
        }
        if (o.has(INPUT) && table != null) {
            throw bad("give --input FILE.csv or a table, not both");
        }
        if (o.has(TEXT) == o.has(TEMPLATE)) {
            throw bad("give the text column (--text COLUMN) or a --template, one of them");
        }
        if (o.has(LABELS) == o.has(SCHEMA)) {
            throw bad("say what to add: --labels a,b,c or --schema FILE.json, one of them");
        }
        boolean server = o.has(BASE_URL) || (o.has(MODEL) && !o.has(PROVIDER));
        String provider = o.has(PROVIDER) ? o.get(PROVIDER) : server ? "openai" : "local";
        AnnotatorOptions.Builder a = annotator(o, env, home, provider, o.has(MODEL) ? o.get(MODEL) : null, o.get(CONFIDENCE));
        EnrichJob.Builder b = EnrichJob.builder().input(o.get(INPUT)).table(table).output(o.get(OUT))
                .instructions(instructions).workers(o.get(WORKERS)).annotator(a)
                .maxAttempts(o.get(ATTEMPTS))
                .packing(o.has(BATCH) ? o.get(BATCH) : provider.equals("local") ? 64 : 10, o.get(TOKEN_BUDGET))
                .journal(o.get(RESUME), o.get(FRESH)).keepFailed(o.get(KEEP_FAILED))
                .head(o.get(HEAD))
                .saveEvery(Duration.ofMillis((long) (o.get(SAVE_EVERY) * 1000)));
        if (o.has(TEXT)) {
            b.text(Arrays.stream(o.get(TEXT).split(",")).map(String::strip).toList());
        } else {
            b.template(o.get(TEMPLATE));
        }
        if (o.has(LABELS)) {
            List<String> labels = Arrays.stream(o.get(LABELS).split(",")).map(String::strip).toList();
            b.labels(labels, o.get(SINGLE), o.get(COLUMN));
        } else {
            if (o.get(SINGLE) || o.has(COLUMN)) {
                throw bad("--single and --column go with --labels");
            }
            b.schemaFile(o.get(SCHEMA));
        }
        if (o.has(EXAMPLES)) {
            b.examplesFile(o.get(EXAMPLES));
        }
        if (o.has(EXAMPLES_COLUMN)) {
            b.examplesFromColumn(o.get(EXAMPLES_COLUMN), o.get(EXAMPLES_PER_LABEL), o.get(SEED));
        } else if (o.has(EXAMPLES_PER_LABEL) || (o.has(SEED) && !o.has(SAMPLE) && !o.has(CASCADE))) {
            throw bad("--examples-per-label and --seed go with --examples-column (--seed also with --sample and --cascade)");
        }
        b.dryRun(o.get(DRY_RUN));
        if (o.has(TOKENIZER)) {
            if (!o.get(DRY_RUN) && !o.has(SAMPLE)) {
                throw bad("--tokenizer counts the tokens of a --dry-run or --sample estimate; add one of them, or drop --tokenizer");
            }
            b.tokenizer(o.get(TOKENIZER));
        }
        if (o.has(SAMPLE)) {
            b.sample(o.get(SAMPLE), o.get(SEED));
        }
        cascade(o, env, home, provider, b);
        b.confidence(o.get(CONFIDENCE));
        if (o.get(BATCH_API)) {
            b.batchApi(Duration.ofNanos((long) (o.get(POLL_EVERY) * 1e9)), o.get(CANCEL_BATCH));
        } else if (o.has(POLL_EVERY) || o.get(CANCEL_BATCH)) {
            throw bad("--poll-every and --cancel-batch go with --batch-api");
        }
        if (o.has(GOLD)) {
            b.gold(GoldColumns.parse(o.get(GOLD)));
        }
        if (o.has(PRICE_IN) || o.has(PRICE_OUT)) {
            b.prices(new Prices(o.get(PRICE_IN), o.get(PRICE_OUT)));
        }
        return b.build();
    }

    /** The annotator of one provider and model, with the server, key, limits, headers and caches the options give. */
    private static AnnotatorOptions.Builder annotator(OptionValues o, Map<String, String> env, Path home, String provider,
                                                      String model, boolean logprobs) {
        AnnotatorOptions.Builder a = AnnotatorOptions.builder(provider).environment(env);
        if (model != null) {
            a.model(model);
        }
        String base = o.has(BASE_URL) ? o.get(BASE_URL) : provider.equals("openai") ? "https://api.openai.com/v1" : null;
        a.baseUrl(base);
        String keyEnv = o.has(KEY_ENV) ? o.get(KEY_ENV) : base != null && base.contains("api.openai.com") ? "OPENAI_API_KEY" : null;
        a.apiKeyEnv(keyEnv);
        Secrets.Builder secrets = Secrets.builder().fromEnvironment(env, keyEnv, WEBHOOK_URL_ENV);
        a.temperature(o.get(TEMPERATURE));
        a.maxTokens(o.get(MAX_TOKENS));
        a.rateLimits(o.get(RPM), o.get(TPM));
        a.timeout(Duration.ofMillis((long) (o.get(TIMEOUT) * 1000)));
        a.retries(o.get(RETRIES));
        a.logprobs(logprobs);
        for (Map.Entry<String, String> h : o.all(HEADER)) {
            a.header(h.getKey(), h.getValue().strip());
            secrets.header(h.getKey(), h.getValue().strip());
        }
        a.secrets(secrets.build());
        if (!o.get(NO_CACHE)) {
            a.responseCache(o.has(CACHE) ? o.get(CACHE) : EnrichJob.defaultResponseCache(env, home));
        }
        if (o.has(EMBEDDING_CACHE)) {
            a.setting("embeddingCache", o.get(EMBEDDING_CACHE));
        }
        return a;
    }

    /** The cascade options: checked together, before any call. */
    private static void cascade(OptionValues o, Map<String, String> env, Path home, String provider, EnrichJob.Builder b) {
        if (!o.has(CASCADE)) {
            if (o.has(TARGET_ACCURACY) || o.has(TARGET_PRECISION) || o.has(TARGET_RECALL) || o.has(CASCADE_SAMPLE) || o.has(DELTA)) {
                throw bad("--target-accuracy, --target-precision, --target-recall, --cascade-sample and --delta go with --cascade");
            }
            return;
        }
        if (o.get(BATCH_API) || o.get(DRY_RUN) || o.has(SAMPLE)) {
            throw bad("--cascade runs live and whole: leave out --batch-api, --dry-run and --sample (a cascade's sample is"
                    + " --cascade-sample)");
        }
        if (!o.has(GOLD)) {
            throw bad("--cascade needs --gold COLUMN: the threshold is chosen on a random sample of rows with a gold label");
        }
        if (!o.has(LABELS)) {
            throw bad("--cascade needs --labels: it compares each stage's labels with the gold ones");
        }
        if (!o.has(TARGET_ACCURACY) && !o.has(TARGET_PRECISION) && !o.has(TARGET_RECALL)) {
            throw bad("--cascade needs a target: --target-accuracy A, --target-precision LABEL=P or --target-recall LABEL=R (each"
                    + " strictly between 0 and 1), e.g. --target-accuracy 0.95");
        }
        List<Target> targets = new ArrayList<>();
        if (o.has(TARGET_ACCURACY)) {
            double target = o.get(TARGET_ACCURACY);
            if (!(target > 0 && target < 1)) {
                throw bad("--target-accuracy must lie strictly between 0 and 1, not " + target);
            }
            targets.add(new Target.Accuracy(target));
        }
        for (String v : o.all(TARGET_PRECISION)) {
            Map.Entry<String, Double> t = labelTarget("--target-precision", "P", v, targets);
            targets.add(new Target.Precision(t.getKey(), t.getValue()));
        }
        for (String v : o.all(TARGET_RECALL)) {
            Map.Entry<String, Double> t = labelTarget("--target-recall", "R", v, targets);
            targets.add(new Target.Recall(t.getKey(), t.getValue()));
        }
        double delta = o.get(DELTA);
        if (!(delta > 0 && delta < 1)) {
            throw bad("--delta must lie strictly between 0 and 1, not " + delta);
        }
        String stage = o.get(CASCADE).strip();
        boolean local = stage.equals("local") || stage.startsWith("local:");
        AnnotatorOptions.Builder cheap = local ? annotator(o, env, home, "local", stage.equals("local") ? null : stage.substring(6), true)
                : annotator(o, env, home, provider, stage, true);
        if (!local && provider.equals("local")) {
            throw bad("--cascade " + stage + ": a model as the cheap stage needs a server (--base-url or --model); use"
                    + " --cascade local for the embedded labeler");
        }
        b.cascade(new EnrichJob.Cascading(cheap, stage,
                local ? 64 : o.has(BATCH) ? o.get(BATCH) : 10, targets, delta, o.get(CASCADE_SAMPLE), o.get(SEED)));
    }

    /**
     * One {@code LABEL=P} of --target-precision or --target-recall: the label and its level, refused when malformed, outside
     * (0, 1) or given twice for the same label.
     */
    private static Map.Entry<String, Double> labelTarget(String option, String letter, String value, List<Target> before) {
        int eq = value.lastIndexOf('=');
        String label = eq < 0 ? "" : value.substring(0, eq).strip();
        if (label.isEmpty()) {
            throw bad(option + " " + value + " is not LABEL=" + letter + ": give a label and a value, e.g. " + option + " spam=0.95");
        }
        double level;
        try {
            level = Double.parseDouble(value.substring(eq + 1).strip());
        } catch (NumberFormatException e) {
            throw bad(option + " " + value + ": " + letter + " must be a number strictly between 0 and 1, e.g. " + option + " "
                    + label + "=0.95");
        }
        if (!(level > 0 && level < 1)) {
            throw bad(option + " " + value + ": " + letter + " must lie strictly between 0 and 1, not " + level);
        }
        boolean precision = option.equals("--target-precision");
        if (before.stream().anyMatch(t -> precision ? t instanceof Target.Precision p && p.label().equals(label)
                : t instanceof Target.Recall r && r.label().equals(label))) {
            throw bad(option + " " + label + " is given twice: give one " + option + " per label");
        }
        return Map.entry(label, level);
    }

    /** The instructions: a cell body, --instructions or --instructions-file, at most one of them. */
    private static String instructions(OptionValues o, String body) {
        int given = (body.isBlank() ? 0 : 1) + (o.has(INSTRUCTIONS) ? 1 : 0) + (o.has(INSTRUCTIONS_FILE) ? 1 : 0);
        if (given > 1) {
            throw bad("give the instructions once: a cell body, --instructions or --instructions-file");
        }
        if (o.has(INSTRUCTIONS)) {
            return o.get(INSTRUCTIONS);
        }
        if (o.has(INSTRUCTIONS_FILE)) {
            Path f = o.get(INSTRUCTIONS_FILE);
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
