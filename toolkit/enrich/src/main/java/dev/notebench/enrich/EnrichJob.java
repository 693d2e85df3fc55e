package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.cascade.Target;
import dev.notebench.files.OutputGuard;
import dev.notebench.files.TextFiles;
import dev.notebench.progress.Progress;
import dev.notebench.tables.CsvTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import tech.tablesaw.api.Table;

/**
 * One enrichment of a CSV file as the {@code %%enrich} magic and {@code notebench enrich} describe
 * it: input, text columns, labels or a schema, instructions, output, packing, workers, provider.
 * Both front ends fill one of these, so they behave the same. The journal sits next to the output
 * ({@code OUT.journal.jsonl}); answers are cached in {@code $NOTEBENCH_LLM_CACHE} (default
 * {@code ~/.cache/notebench/llm-responses.sqlite}) unless turned off.
 */
public final class EnrichJob {
    /**
     * The result, with the rows used as examples (to leave out of an accuracy count).
     *
     * @param result the enriched table and the summary
     * @param exampleRows the rows taken as examples by --examples-column
     * @param output the enriched CSV
     * @param journal the journal beside it
     * @param gold the answers scored against the gold column(s) of {@code --gold}; empty without it
     * @param cascade what each stage of a cascade did and saved; empty without {@code --cascade}
     */
    public record Outcome(EnrichResult result, List<Integer> exampleRows, Path output, Path journal,
                          java.util.Optional<GoldEvaluation> gold, java.util.Optional<CascadeReport> cascade) {
        /** An outcome without a gold evaluation. */
        public Outcome(EnrichResult result, List<Integer> exampleRows, Path output, Path journal) {
            this(result, exampleRows, output, journal, java.util.Optional.empty(), java.util.Optional.empty());
        }

        /** An outcome of one stage, perhaps scored against gold. */
        public Outcome(EnrichResult result, List<Integer> exampleRows, Path output, Path journal,
                       java.util.Optional<GoldEvaluation> gold) {
            this(result, exampleRows, output, journal, gold, java.util.Optional.empty());
        }

        /**
         * One line on what happened: {@code 58 of 60 rows labelled, 2 failed[, 40 resumed from the journal][, through the
         * batch job ID]; written to OUT}.
         */
        public String headline() {
            EnrichSummary s = result.summary();
            return s.labelled() + " of " + s.rows() + " rows labelled, " + s.failed() + " failed"
                    + (s.resumed() > 0 ? ", " + s.resumed() + " resumed from the journal" : "")
                    + (s.failedBefore() > 0 ? ", " + s.failedBefore() + " that had failed before asked again" : "")
                    + (s.batchJobs().isEmpty() ? "" : ", through the batch job" + (s.batchJobs().size() == 1 ? " " : "s ")
                    + String.join(", ", s.batchJobs()))
                    + "; written to " + output;
        }

        /**
         * What to do about failed rows, on one line, or empty when every row was labelled: how many
         * failed, the most common reason, where the reasons are, and that {@code --resume} asks
         * them again.
         */
        public java.util.Optional<String> failureAdvice() {
            EnrichSummary s = result.summary();
            if (s.failed() == 0) {
                return java.util.Optional.empty();
            }
            Map<String, Integer> reasons = new LinkedHashMap<>();
            s.failures().stringColumn("reason").forEach(r -> reasons.merge(r, 1, Integer::sum));
            Map.Entry<String, Integer> top = reasons.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            String reason = top.getKey().length() > 240 ? top.getKey().substring(0, 240) + "…" : top.getKey();
            return java.util.Optional.of((s.failed() == s.rows() ? "every one of the " + s.rows() + " rows failed"
                    : s.failed() + " of " + s.rows() + " rows failed") + " (" + (reasons.size() == 1 ? "" : top.getValue() + " of them: ")
                    + reason + "); the reasons are in the " + Enricher.ERROR_COLUMN + " column of " + output + ". Fix the cause and"
                    + " run again with --resume to ask the failed rows again (--keep-failed keeps them)");
        }
    }

    /**
     * A cascade's settings ({@code --cascade}): the cheap stage labels every row with a confidence,
     * the job's own annotator is the expensive stage.
     *
     * @param cheap the cheap stage's annotator (asked for confidences)
     * @param name how the cheap stage was named ({@code local} or a model)
     * @param cheapBatch rows per call of the cheap stage (64 for the local labeler, whose answers do not depend on it;
     *     else --batch)
     * @param targets what the cascade must reach (its accuracy, the precision or recall of some labels), at least one; all of
     *     them hold together with probability at least {@code 1 - delta}
     * @param delta the allowed chance of missing any of them, in (0, 1)
     * @param sampleSize gold rows answered by both stages to choose the threshold
     * @param seed which rows the sample takes
     */
    public record Cascading(AnnotatorOptions.Builder cheap, String name, int cheapBatch, List<Target> targets, double delta, int sampleSize,
                            long seed) {
        /** Checks the targets, delta and sample size. */
        public Cascading {
            Objects.requireNonNull(cheap, "cheap");
            targets = List.copyOf(targets);
            if (targets.isEmpty() || !(delta > 0 && delta < 1) || sampleSize < 1) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a cascade needs at least one target, a delta strictly"
                        + " between 0 and 1 and a sample of at least one row, not " + targets + ", " + delta + ", " + sampleSize);
            }
        }
    }

    private final Path input;
    private final Table table;
    private final Path output;
    private final List<String> textColumns;
    private final String template;
    private final List<String> labels;
    private final boolean single;
    private final String column;
    private final Path schemaFile;
    private final String instructions;
    private final int batchSize;
    private final int tokenBudget;
    private final int workers;
    private final int maxAttempts;
    private final boolean resume;
    private final boolean fresh;
    private final boolean keepFailed;
    private final int head;
    private final Path examplesFile;
    private final String examplesColumn;
    private final int examplesPerLabel;
    private final long seed;
    private final Prices prices;
    private final Duration saveEvery;
    private final AnnotatorOptions annotator;
    private final boolean dryRun;
    private final Path tokenizer;
    private final int sample;
    private final GoldColumns gold;
    private final boolean confidence;
    private final Duration batchPollEvery;
    private final boolean cancelBatch;
    private final BatchJobs.Sleeper sleeper;
    private final Cascading cascade;
    private final AnnotatorOptions cheap;

    private EnrichJob(Builder b) {
        this.input = b.input;
        this.table = b.table;
        this.output = Objects.requireNonNull(b.output, "output");
        this.textColumns = List.copyOf(b.textColumns);
        this.template = b.template;
        this.labels = List.copyOf(b.labels);
        this.single = b.single;
        this.column = b.column;
        this.schemaFile = b.schemaFile;
        this.instructions = b.instructions;
        this.batchSize = b.batchSize;
        this.tokenBudget = b.tokenBudget;
        this.workers = b.workers;
        this.maxAttempts = b.maxAttempts;
        this.resume = b.resume;
        this.fresh = b.fresh;
        this.keepFailed = b.keepFailed;
        this.head = b.head;
        this.examplesFile = b.examplesFile;
        this.examplesColumn = b.examplesColumn;
        this.examplesPerLabel = b.examplesPerLabel;
        this.seed = b.seed;
        this.prices = b.prices;
        this.saveEvery = b.saveEvery;
        this.annotator = b.annotator.workers(b.workers).build();
        this.dryRun = b.dryRun;
        this.tokenizer = b.tokenizer;
        this.sample = b.sample;
        this.gold = b.gold;
        this.confidence = b.confidence;
        this.batchPollEvery = b.batchPollEvery;
        this.cancelBatch = b.cancelBatch;
        this.sleeper = b.sleeper;
        if (batchPollEvery != null && !annotator.provider().equals("openai")) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--batch-api sends the rows to a server's batch API (--provider"
                    + " openai with --base-url and --model); the " + annotator.provider() + " labeler runs here: nothing to batch,"
                    + " leave out --batch-api");
        }
        this.cascade = b.cascade;
        this.cheap = b.cascade == null ? null : b.cascade.cheap().workers(b.workers).build();
    }

    /** Starts describing a job. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The files this job reads and writes, for the check that no output destroys an input: the
     * input table, examples and schema; the output and its journal (and a cascade's stage journals).
     */
    public OutputGuard guard() {
        OutputGuard.Builder g = OutputGuard.builder().input("--input", input).input("--examples", examplesFile).input("--schema", schemaFile)
                .output("--out", output).output("the journal of --out", journalOf(output));
        if (cascade != null) {
            for (String stage : List.of("cheap", "sample", "escalated")) {
                g.output("the " + stage + " stage's journal of --cascade (named after --out)", CascadeRun.journal(output, stage));
            }
        }
        return g.build();
    }

    /** The journal of an output file: {@code OUT.journal.jsonl} beside it. */
    public static Path journalOf(Path output) {
        return output.resolveSibling(output.getFileName() + ".journal.jsonl");
    }

    /** The response cache file for an environment: {@code $NOTEBENCH_LLM_CACHE}, else under {@code ~/.cache/notebench}. */
    public static Path defaultResponseCache(Map<String, String> env, Path home) {
        String f = env.get("NOTEBENCH_LLM_CACHE");
        return f == null || f.isBlank() ? home.resolve(".cache").resolve("notebench").resolve("llm-responses.sqlite") : Path.of(f);
    }

    /** The output schema the options describe. */
    public OutputSchema schema() {
        if (schemaFile != null) {
            if (!labels.isEmpty()) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give --labels or --schema, not both");
            }
            return OutputSchema.fromJsonSchema(TextFiles.readUtf8(schemaFile, "the schema"));
        }
        if (labels.isEmpty()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "say what to add: --labels a,b,c (one true/false column each;"
                    + " --single for one column holding one of them) or --schema FILE.json");
        }
        try {
            return single ? OutputSchema.singleLabel(column, labels) : OutputSchema.multiLabel(labels);
        } catch (IllegalArgumentException e) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--labels: " + e.getMessage());
        }
    }

    /**
     * Runs the job.
     *
     * @param progress where progress is shown
     * @param loader where annotator providers are looked up
     */
    public Outcome run(Progress progress, ClassLoader loader) {
        return run(progress, loader, () -> false);
    }

    /**
     * Runs the job until it is done or {@code stop} says to stop (see {@link Enricher.Builder#stopWhen}).
     *
     * @param progress where progress is shown
     * @param loader where annotator providers are looked up
     * @param stop asked before each call to the model and while the job waits
     * @throws NotebenchException with {@link dev.notebench.ErrorCode#CANCELLED} when stopped before
     *     every row was settled; the settled rows are journalled and --resume finishes
     */
    public Outcome run(Progress progress, ClassLoader loader, java.util.function.BooleanSupplier stop) {
        return run(prepare(), null, progress, loader, stop);
    }

    private Outcome run(Prepared p, List<Integer> only, Progress progress, ClassLoader loader, java.util.function.BooleanSupplier stop) {
        if (cascade != null) {
            CascadeRun.Stages stages = (t, cheapStage, journal, stageConfidence) -> stage(t, p.schema(), p.text(), p.examples(),
                    cheapStage ? cheap : annotator, journal, stageConfidence, progress, loader, stop);
            CascadeRun run = new CascadeRun(cascade, cheap, annotator, p.schema(), p.text(), gold, output, prices,
                    tokenBudget == 0 ? batchSize : 0);
            return run.run(p.table(), List.copyOf(p.exampleRows()), stages);
        }
        AnnotatorProvider provider = AnnotatorProvider.named(annotator.provider(), loader);
        try (Annotator a = provider.open(annotator, p.schema(), instructions, p.examples())) {
            Enricher.Builder job = Enricher.builder(a, p.schema()).instructions(instructions).examples(p.examples()).batchSize(batchSize)
                    .tokenBudget(tokenBudget).workers(workers).maxAttempts(maxAttempts).output(output, saveEvery)
                    .progress(progress).prices(prices).keepFailed(keepFailed).stopWhen(stop).confidenceColumn(confidence);
            if (batchPollEvery != null) {
                job.batchApi(batchPollEvery, cancelBatch, sleeper);
            }
            if (only != null) {
                job.onlyRows(only);
            }
            Path journal = journalOf(output);
            if (fresh) {
                job.freshJournal(journal);
            } else {
                job.journal(journal, resume || only != null);
            }
            EnrichResult r = job.build().run(p.table(), p.text());
            java.util.Optional<GoldEvaluation> scored = gold == null ? java.util.Optional.empty()
                    : java.util.Optional.of(GoldEvaluation.of(r, p.schema(), gold, resultRows(p.exampleRows(), only)));
            return new Outcome(r, List.copyOf(p.exampleRows()), output, journal, scored);
        }
    }

    /**
     * The rows of a result's table that are the given rows of the input: the same for a whole run,
     * their places among the sampled rows (in table order) for a sample.
     */
    static List<Integer> resultRows(List<Integer> tableRows, List<Integer> only) {
        if (only == null) {
            return tableRows;
        }
        List<Integer> sampled = only.stream().sorted().toList();
        List<Integer> at = new ArrayList<>();
        for (int row : tableRows) {
            int i = java.util.Collections.binarySearch(sampled, row);
            if (i >= 0) {
                at.add(i);
            }
        }
        return at;
    }

    /** The input read and checked: the table (after --head), the schema, the row text and the examples. */
    private record Prepared(Table table, OutputSchema schema, RowText text, List<Example> examples, List<Integer> exampleRows) {
        List<Item> items() {
            List<Item> items = new ArrayList<>(table.rowCount());
            for (int r = 0; r < table.rowCount(); r++) {
                items.add(new Item(r, text.apply(table, r)));
            }
            return items;
        }
    }

    private Prepared prepare() {
        guard().check();
        Table table = this.table != null ? this.table : CsvTables.read(input);
        if (head > 0 && table.rowCount() > head) {
            table = table.first(head);
        }
        OutputSchema schema = schema();
        RowText text = template != null ? RowText.template(template) : textColumns.isEmpty() ? null
                : RowText.columns(textColumns.toArray(new String[0]));
        if (text == null) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "name the text column (--text COLUMN) or give a --template;"
                    + " the table's columns are " + table.columnNames());
        }
        text.check(table);
        if (gold != null) {
            gold.check(table, schema, text);
        }
        List<Integer> exampleRows = new ArrayList<>();
        List<Example> examples = examples(table, text, schema, exampleRows);
        return new Prepared(table, schema, text, examples, exampleRows);
    }

    /**
     * What every row of this job is asked, for a runner other than {@link #run} (the Spark module
     * labels a DataFrame with it): who answers, the output schema, the instructions, the examples of
     * {@code --examples}, the rows' text, packing and attempts.
     *
     * @param annotator the annotator's options (provider, model, key's variable, limits, caches)
     * @param schema what to fill in
     * @param instructions the instructions; may be empty
     * @param examples the labelled examples of {@code --examples} (none taken from the input)
     * @param textColumns the text columns, or empty with a template
     * @param template the row template, or null with text columns
     * @param batchSize the most rows per call
     * @param tokenBudget the most estimated tokens of rows per call, 0 = none
     * @param maxAttempts times a row is asked at most
     */
    public record Request(AnnotatorOptions annotator, OutputSchema schema, String instructions, List<Example> examples,
                          List<String> textColumns, String template, int batchSize, int tokenBudget, int maxAttempts) {
        /** Copies the lists. */
        public Request {
            examples = List.copyOf(examples);
            textColumns = List.copyOf(textColumns);
        }
    }

    /**
     * What every row is asked (see {@link Request}); reads {@code --schema} and {@code --examples}.
     *
     * @throws NotebenchException as {@link #run} would for a bad schema or examples file
     */
    public Request request() {
        return new Request(annotator, schema(), instructions, examplesOfFile(), textColumns, template, batchSize, tokenBudget,
                maxAttempts);
    }

    /** Whether the options ask for a dry run ({@code --dry-run}): {@link #estimate} instead of {@link #run}. */
    public boolean dryRun() {
        return dryRun;
    }

    /** The rows of {@code --sample} (0: none): {@link #runSample} instead of {@link #run}. */
    public int sample() {
        return sample;
    }

    /**
     * What the whole table would send and cost, without sending anything or touching the journal,
     * the output or the response cache: the calls of the run's packing, the first request, the
     * estimated tokens and cost ({@link CostEstimate}).
     *
     * @throws NotebenchException on bad input, as {@link #run} would
     */
    public CostEstimate estimate() {
        return estimate(prepare(), java.util.Set.of());
    }

    /** The estimate of the calls a run makes for the rows not {@code settled}: the whole table's batches, less those rows, as Enricher plans them. */
    private CostEstimate estimate(Prepared p, java.util.Set<Integer> settled) {
        List<List<Item>> batches = new ArrayList<>();
        for (List<Item> batch : new Packer(batchSize, tokenBudget).pack(p.items())) {
            List<Item> open = batch.stream().filter(i -> !settled.contains(i.id())).toList();
            if (!open.isEmpty()) {
                batches.add(open);
            }
        }
        if (!annotator.provider().equals("openai")) {
            return CostEstimate.ofLocal(annotator.provider(), batches);
        }
        String model = annotator.model().orElseThrow(() -> new NotebenchException(ErrorCode.CONFIG_INVALID,
                "name the server's model (--model), e.g. gpt-4o-mini or llama3.2"));
        java.util.function.Function<AnnotationRequest, String> body = r -> OpenAiChatAnnotator.requestBody(model,
                annotator.temperature(), annotator.maxTokens(), annotator.logprobs(), r, OpenAiChatAnnotator.Format.JSON_SCHEMA);
        CostEstimate live;
        if (tokenizer == null) {
            live = CostEstimate.ofChat("openai: " + model, batches, b -> new AnnotationRequest(b, p.schema(), instructions,
                    p.examples()), body, prices, CostEstimate.TokenCount.estimated());
        } else {
            if (!java.nio.file.Files.exists(tokenizer)) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "--tokenizer " + tokenizer + " does not exist; give the served"
                        + " model's tokenizer.json (or its directory, e.g. its snapshot in the Hugging Face cache), or leave"
                        + " --tokenizer out to estimate the tokens without one");
            }
            dev.notebench.tokenize.Tokenizer loaded;
            try {
                loaded = dev.notebench.tokenize.TokenizerArtifact.load(tokenizer);
            } catch (NotebenchException e) {
                throw new NotebenchException(e.code(), "--tokenizer " + tokenizer + " could not be loaded (" + e.getMessage()
                        + "); give the served model's tokenizer.json, or leave --tokenizer out to estimate without one", e);
            }
            try (dev.notebench.tokenize.Tokenizer t = loaded) {
                live = CostEstimate.ofChat("openai: " + model, batches, b -> new AnnotationRequest(b, p.schema(), instructions,
                        p.examples()), body, prices, CostEstimate.TokenCount.with(t, tokenizer));
            }
        }
        return batchPollEvery == null || batches.isEmpty() ? live : live.asBatchJob(BatchApiRun.line("rows-0",
                body.apply(new AnnotationRequest(batches.get(0), p.schema(), instructions, p.examples()))));
    }

    /**
     * A sample's outcome: the sampled rows labelled, and the estimate for the others.
     *
     * @param outcome the sampled rows' result (its table holds those rows only) and summary, as a run of them gives
     * @param rows the sampled row indices, in table order
     * @param remaining the estimate for the rows not sampled (none when the sample was the whole table)
     * @param next what to run to label the other rows, in words
     * @param shown the sampled rows with their text column(s) (every input column for a template) and the new columns
     */
    public record Sampled(Outcome outcome, List<Integer> rows, CostEstimate remaining, String next, Table shown) {
    }

    /**
     * Runs the job on {@link #sample} rows spread over the table (one drawn with {@code --seed}
     * from each of {@code sample} equal stretches of the table), then stops. The answers are
     * journalled in the whole job's journal, so that the same job run with {@code --resume} asks only
     * the other rows: the sampled ones are not paid twice. Nothing is written to the output.
     *
     * @param progress where progress is shown
     * @param loader where annotator providers are looked up
     * @param stop asked before each call
     * @throws NotebenchException (CONFIG_INVALID) when the sample is larger than the table
     */
    public Sampled runSample(Progress progress, ClassLoader loader, java.util.function.BooleanSupplier stop) {
        if (sample < 1) {
            throw new IllegalStateException("this job has no --sample");
        }
        Prepared p = prepare();
        int n = p.table().rowCount();
        if (sample > n) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--sample " + sample + " is more rows than the table's " + n
                    + "; give at most " + n + ", or leave --sample out to label the whole table");
        }
        List<Integer> rows = sampleRows(n, sample, seed);
        Outcome o = run(p, rows, progress, loader, stop);
        java.util.Set<Integer> sampled = java.util.Set.copyOf(rows);
        int rest = n - sampled.size();
        CostEstimate remaining = rest == 0 ? null : estimate(p, sampled);
        String next = rest == 0 ? "the sample was the whole table: every row is journalled in " + o.journal()
                : "the " + sample + " sampled rows are journalled in " + o.journal() + "; to label the other " + rest
                + " rows (they are not asked again), run the same command with --resume in place of --sample " + sample;
        List<String> columns = new ArrayList<>(textColumns.isEmpty() ? p.table().columnNames() : textColumns);
        p.schema().fields().forEach(f -> columns.add(f.name()));
        columns.add(Enricher.ERROR_COLUMN);
        Table shown = o.result().table().selectColumns(columns.toArray(new String[0]))
                .setName("sample: " + rows.size() + " of " + n + " rows (--seed " + seed + ")");
        return new Sampled(o, rows, remaining, next, shown);
    }

    /** One row drawn with {@code seed} from each of {@code k} equal stretches of {@code n} rows, in order. */
    static List<Integer> sampleRows(int n, int k, long seed) {
        Random random = new Random(seed);
        List<Integer> rows = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int from = (int) ((long) i * n / k);
            int to = (int) ((long) (i + 1) * n / k);
            rows.add(from + random.nextInt(to - from));
        }
        return List.copyOf(rows);
    }

    /** One stage of a cascade: the rows of {@code table} through {@code stageAnnotator}, journalled to {@code journal}. */
    private EnrichResult stage(Table table, OutputSchema schema, RowText text, List<Example> examples, AnnotatorOptions stageAnnotator,
                               Path journal, boolean stageConfidence, Progress progress, ClassLoader loader,
                               java.util.function.BooleanSupplier stop) {
        AnnotatorProvider provider = AnnotatorProvider.named(stageAnnotator.provider(), loader);
        try (Annotator a = provider.open(stageAnnotator, schema, instructions, examples)) {
            int rows = stageAnnotator == cheap ? cascade.cheapBatch() : batchSize;
            Enricher.Builder job = Enricher.builder(a, schema).instructions(instructions).examples(examples).batchSize(rows)
                    .tokenBudget(tokenBudget).workers(workers).maxAttempts(maxAttempts).progress(progress)
                    .prices(stageAnnotator == annotator ? prices : null).keepFailed(keepFailed).stopWhen(stop)
                    .confidenceColumn(stageConfidence);
            if (fresh) {
                job.freshJournal(journal);
            } else {
                job.journal(journal, resume);
            }
            return job.build().run(table, text);
        }
    }

    private List<Example> examples(Table table, RowText text, OutputSchema schema, List<Integer> exampleRows) {
        List<Example> examples = new ArrayList<>(examplesOfFile());
        if (examplesColumn != null) {
            if (!table.containsColumn(examplesColumn)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "--examples-column: the table has no column '" + examplesColumn
                        + "'; its columns are " + table.columnNames());
            }
            if (schema.kind() == OutputSchema.Kind.FIELDS) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--examples-column needs --labels");
            }
            List<String> labelOfRow = new ArrayList<>();
            for (int r = 0; r < table.rowCount(); r++) {
                labelOfRow.add(table.getString(r, examplesColumn).strip());
            }
            for (int r : Example.drawPerLabel(labelOfRow, schema.labels(), examplesPerLabel, seed)) {
                examples.add(new Example(text.apply(table, r), List.of(labelOfRow.get(r))));
                exampleRows.add(r);
            }
            Collections.sort(exampleRows);
        }
        return examples;
    }

    /** The examples of {@code --examples} (none without it). */
    private List<Example> examplesOfFile() {
        List<Example> examples = new ArrayList<>();
        if (examplesFile != null) {
            Table t = CsvTables.read(examplesFile);
            if (!t.containsColumn("text") || !t.containsColumn("label")) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "the examples file " + examplesFile + " needs the columns text"
                        + " and label (labels separated by ';' for several); it has " + t.columnNames());
            }
            for (int r = 0; r < t.rowCount(); r++) {
                List<String> l = Arrays.stream(t.getString(r, "label").split(";")).map(String::strip).filter(s -> !s.isEmpty())
                        .toList();
                examples.add(new Example(t.getString(r, "text"), l));
            }
        }
        return examples;
    }

    /** Describes a job. */
    public static final class Builder {
        private Path input;
        private Table table;
        private Path output;
        private List<String> textColumns = List.of();
        private String template;
        private List<String> labels = List.of();
        private boolean single;
        private String column = "predicted";
        private Path schemaFile;
        private String instructions = "";
        private int batchSize = 10;
        private int tokenBudget;
        private int workers = 4;
        private int maxAttempts = 3;
        private boolean resume;
        private boolean fresh;
        private boolean keepFailed;
        private int head;
        private Path examplesFile;
        private String examplesColumn;
        private int examplesPerLabel = 20;
        private long seed = 42;
        private Prices prices;
        private Duration saveEvery = Duration.ofSeconds(30);
        private AnnotatorOptions.Builder annotator = AnnotatorOptions.builder("local");
        private boolean dryRun;
        private Path tokenizer;
        private int sample;
        private GoldColumns gold;
        private boolean confidence;
        private Duration batchPollEvery;
        private boolean cancelBatch;
        private BatchJobs.Sleeper sleeper = BatchJobs.Sleeper.REAL;
        private Cascading cascade;

        private Builder() {
        }

        /**
         * Sends the rows as one provider batch job instead of live calls ({@code --batch-api}; see
         * {@link Enricher.Builder#batchApi}).
         *
         * @param pollEvery the longest wait between polls
         * @param cancelOnStop whether a stop cancels the job instead of leaving it running
         */
        public Builder batchApi(Duration pollEvery, boolean cancelOnStop) {
            this.batchPollEvery = Objects.requireNonNull(pollEvery, "pollEvery");
            this.cancelBatch = cancelOnStop;
            return this;
        }

        /** How a batch job's polls wait (default: the thread sleeps); tests give one that returns at once. */
        public Builder sleeper(BatchJobs.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Runs the job as a cascade: {@code cascade}'s cheap stage first, this job's annotator for the rows it is unsure of. */
        public Builder cascade(Cascading cascade) {
            this.cascade = cascade;
            return this;
        }

        /** Adds the column {@value Enricher#CONFIDENCE_COLUMN}: each row's confidence where the annotator gives one. */
        public Builder confidence(boolean confidence) {
            this.confidence = confidence;
            return this;
        }

        /** Scores the answers against these gold columns of the input after the run (null: not scored). */
        public Builder gold(GoldColumns gold) {
            this.gold = gold;
            return this;
        }

        /** A table to enrich instead of a CSV file (not modified). */
        public Builder table(Table table) {
            this.table = table;
            return this;
        }

        /** The CSV file to enrich (never written). */
        public Builder input(Path input) {
            this.input = input;
            return this;
        }

        /** Where the enriched CSV goes. */
        public Builder output(Path output) {
            this.output = output;
            return this;
        }

        /** The text column(s). */
        public Builder text(List<String> columns) {
            this.textColumns = List.copyOf(columns);
            return this;
        }

        /** A row template with {column} placeholders instead of text columns. */
        public Builder template(String template) {
            this.template = template;
            return this;
        }

        /** The labels; {@code single} for exactly one per row, held in {@code column}. */
        public Builder labels(List<String> labels, boolean single, String column) {
            this.labels = List.copyOf(labels);
            this.single = single;
            this.column = column == null ? "predicted" : column;
            return this;
        }

        /** A JSON schema file of the output fields instead of labels. */
        public Builder schemaFile(Path schemaFile) {
            this.schemaFile = schemaFile;
            return this;
        }

        /** Instructions for the model. */
        public Builder instructions(String instructions) {
            this.instructions = instructions == null ? "" : instructions;
            return this;
        }

        /** Rows per call and the token budget per call (0: none). */
        public Builder packing(int batchSize, int tokenBudget) {
            this.batchSize = batchSize;
            this.tokenBudget = tokenBudget;
            return this;
        }

        /** Calls in flight. */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Attempts per row before it is marked failed. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Continue the output's journal ({@code resume}) or replace it ({@code fresh}). */
        public Builder journal(boolean resume, boolean fresh) {
            if (resume && fresh) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give --resume or --fresh, not both");
            }
            this.resume = resume;
            this.fresh = fresh;
            return this;
        }

        /** With resume: keep the rows that failed in the earlier run as failed instead of asking them again. */
        public Builder keepFailed(boolean keepFailed) {
            this.keepFailed = keepFailed;
            return this;
        }

        /** Only the first {@code rows} rows (0: all). */
        public Builder head(int rows) {
            this.head = rows;
            return this;
        }

        /** Labelled examples from a CSV file with columns text and label. */
        public Builder examplesFile(Path file) {
            this.examplesFile = file;
            return this;
        }

        /** Labelled examples from the input itself: up to {@code perLabel} rows per label of {@code column}, chosen by {@code seed}. */
        public Builder examplesFromColumn(String column, int perLabel, long seed) {
            this.examplesColumn = column;
            this.examplesPerLabel = perLabel;
            this.seed = seed;
            return this;
        }

        /** Prices per million tokens for the cost estimate. */
        public Builder prices(Prices prices) {
            this.prices = prices;
            return this;
        }

        /** How often the partial output is saved (default 30 s). */
        public Builder saveEvery(Duration every) {
            this.saveEvery = every;
            return this;
        }

        /** The annotator: provider, server, model, key variable, limits, cache. */
        public Builder annotator(AnnotatorOptions.Builder annotator) {
            this.annotator = Objects.requireNonNull(annotator, "annotator");
            return this;
        }

        /** Estimate instead of running ({@link EnrichJob#estimate}). */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * Counts an estimate's tokens ({@link #estimate()}, the rest of a sample) with this
         * tokenizer, the served model's own, instead of estimating them without one.
         *
         * @param tokenizer a tokenizer.json, SentencePiece .model or tokenizer directory; null for none
         */
        public Builder tokenizer(Path tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * Label this many rows spread over the table, chosen by {@code seed}, then stop
         * ({@link EnrichJob#runSample}); 0 for none.
         */
        public Builder sample(int rows, long seed) {
            if (rows < 0) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--sample " + rows + ": give a number of rows, 1 or more");
            }
            this.sample = rows;
            this.seed = seed;
            return this;
        }

        /** Builds the job. */
        public EnrichJob build() {
            if ((input == null && table == null) || output == null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give the input CSV (--input) and the output file (--out)");
            }
            if (input != null && table != null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give an input CSV or a table, not both");
            }
            if (dryRun && sample > 0) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "give --dry-run or --sample, not both: --dry-run sends"
                        + " nothing and estimates the whole table; --sample labels a few rows and estimates the rest");
            }
            if (dryRun && (resume || fresh)) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--dry-run touches no journal: leave out --resume and --fresh"
                        + " (it estimates the whole table)");
            }
            if (sample > 0 && resume) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--sample already continues the job's journal (a second sample"
                        + " asks only rows not settled yet): leave out --resume; --resume without --sample labels the rest");
            }
            if (batchPollEvery != null && sample > 0) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--batch-api labels the whole table in one job and --sample a"
                        + " few rows live: give one of them (a sample first, then the rest with --resume --batch-api)");
            }
            if (keepFailed && !resume) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--keep-failed goes with --resume: it keeps the rows that"
                        + " failed in the resumed run instead of asking them again");
            }
            return new EnrichJob(this);
        }
    }
}
