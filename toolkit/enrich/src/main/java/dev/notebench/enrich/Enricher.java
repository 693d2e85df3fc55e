package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.internal.Sha256;
import dev.notebench.internal.Ranges;
import dev.notebench.progress.Progress;
import dev.notebench.secrets.Secrets;
import dev.notebench.tables.CsvTables;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import tech.tablesaw.api.Table;

/**
 * Runs an enrichment job: the table's rows packed into batches ({@link Packer}), the batches sent
 * to an {@link Annotator} from {@code workers} threads, every answer checked (each row's id once,
 * every value of its type), rows missing, repeated or invalid asked again (first in smaller
 * batches, then alone, at most {@code maxAttempts} times in all) and otherwise marked failed with
 * the reason. A batch the model's context cannot hold ({@link ContextOverflowException}) is split
 * in halves until it fits; a row that alone does not fit fails with the server's reason. Settled
 * rows are journalled as they come, so that a run killed at any point and resumed ends with the
 * same table, asking no labelled row twice; rows that failed in the earlier run are asked again
 * unless {@link Builder#keepFailed} says to keep them.
 *
 * <p>The parts: a {@link Scheduler} runs the batches on the workers, an {@link AnswerChecker}
 * sorts each answer's rows, a {@link RetryPolicy} decides what is asked again, {@link RunStats}
 * counts, and {@link ResultTables} builds the enriched table and the summary's tables.
 *
 * <pre>{@code
 * EnrichResult r = Enricher.builder(annotator, OutputSchema.singleLabel("predicted", List.of("spam", "ham")))
 *     .instructions("Is this e-mail subject spam?")
 *     .batchSize(10).workers(4)
 *     .journal(Path.of("out/labels.csv.journal"), true)
 *     .output(Path.of("out/labels.csv"))
 *     .build()
 *     .run(table, RowText.columns("subject"));
 * }</pre>
 */
public final class Enricher {
    /** The column holding each failed row's reason (empty for rows that succeeded). */
    public static final String ERROR_COLUMN = "enrich_error";
    /** The column of each row's confidence in its answer, with {@link Builder#confidenceColumn}: empty where the annotator gave none. */
    public static final String CONFIDENCE_COLUMN = "enrich_confidence";

    private final Annotator annotator;
    private final OutputSchema schema;
    private final String instructions;
    private final List<Example> examples;
    private final Packer packer;
    private final int workers;
    private final int maxAttempts;
    private final Path journalFile;
    private final Journal.Mode journalMode;
    private final boolean keepFailed;
    private final Path output;
    private final Duration saveEvery;
    private final Progress progress;
    private final Prices prices;
    private final BooleanSupplier stop;
    private final Clock clock;
    private final int[] only;
    private final AnswerChecker checker;
    private final ResultTables tables;
    private final BatchApiRun.Polling batchApi;

    private Enricher(Builder b) {
        this.annotator = b.annotator;
        this.schema = b.schema;
        this.instructions = b.instructions;
        this.examples = List.copyOf(b.examples);
        this.packer = new Packer(b.batchSize, b.tokenBudget);
        this.workers = b.workers;
        this.maxAttempts = b.maxAttempts;
        this.journalFile = b.journalFile;
        this.journalMode = b.journalMode;
        this.keepFailed = b.keepFailed;
        this.output = b.only == null ? b.output : null; // a sample's rows are shown, not written
        this.saveEvery = b.saveEvery;
        this.progress = b.progress;
        this.prices = b.prices;
        this.stop = b.stop;
        this.clock = b.clock;
        this.only = b.only;
        this.checker = new AnswerChecker(schema);
        this.tables = new ResultTables(schema, b.confidenceColumn);
        this.batchApi = b.batchApi;
    }

    /**
     * Starts describing a job.
     *
     * @param annotator who answers (owned by the caller)
     * @param schema what to fill in for every row
     */
    public static Builder builder(Annotator annotator, OutputSchema schema) {
        return new Builder(annotator, schema);
    }

    /**
     * Runs the job.
     *
     * @param table the input (not modified)
     * @param text how a row becomes text
     * @return the enriched copy and the summary
     * @throws NotebenchException on bad input, or when the annotator cannot go on (the journal keeps
     *     every settled row; run again with --resume to continue)
     */
    public EnrichResult run(Table table, RowText text) {
        Instant t0 = clock.instant();
        text.check(table);
        int n = table.rowCount();
        if (n == 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the table " + table.name() + " has no rows; nothing to enrich");
        }
        for (String name : newColumnNames()) {
            if (table.containsColumn(name)) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the table already has a column '" + name + "'; "
                        + (schema.kind() == OutputSchema.Kind.SINGLE_LABEL ? "name the new one otherwise (--column)"
                        : "rename it or the field"));
            }
        }
        BatchJobs batchJobs = null;
        if (batchApi != null) {
            batchJobs = annotator.batchJobs().orElseThrow(() -> new NotebenchException(ErrorCode.CONFIG_INVALID, "--batch-api sends"
                    + " the rows to a server's batch API, and " + annotator.id() + " has none: nothing to batch; leave out --batch-api"));
            if (only != null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--batch-api labels the whole table in one job: leave out"
                        + " --sample (or try the sample live first, then run the rest with --resume --batch-api)");
            }
        }
        List<Item> items = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            items.add(new Item(r, text.apply(table, r)));
        }
        Journal.Settled[] settled = new Journal.Settled[n];
        int resumed = 0;
        int failedBefore = 0;
        Journal journal = journalFile == null ? null : Journal.open(journalFile, journalMode, fingerprint(items), n, schema);
        try {
            if (journal != null) {
                Secrets secrets = annotator.secrets();
                for (Journal.Settled s : journal.restored().values()) {
                    if (s.error() != null && !keepFailed) {
                        failedBefore++; // asked again: the cause (a server down, a bad key) may be fixed now
                        continue;
                    }
                    settled[s.id()] = scrubbed(s, secrets); // written by an earlier process, perhaps before secrets were scrubbed
                    resumed++;
                }
            }
            List<Item> asked = items;
            if (only != null) {
                asked = new ArrayList<>(only.length);
                resumed = 0;
                failedBefore = 0;
                for (int r : only) {
                    if (r >= n) {
                        throw new NotebenchException(ErrorCode.CONFIG_INVALID, "row " + r + " is not in the table " + table.name()
                                + " of " + n + " rows");
                    }
                    asked.add(items.get(r));
                    resumed += settled[r] != null ? 1 : 0;
                    Journal.Settled before = journal == null ? null : journal.restored().get(r);
                    failedBefore += before != null && before.error() != null && !keepFailed ? 1 : 0;
                }
                Journal.Settled[] kept = new Journal.Settled[n];
                for (int r : only) {
                    kept[r] = settled[r];
                }
                settled = kept;
            }
            Run run = new Run(asked, settled, journal, table, resumed);
            run.execute(batchJobs);
            Table out = tables.enriched(table, settled);
            if (only != null) {
                out = out.rows(only);
            }
            if (output != null) {
                CsvTables.write(out, output);
            }
            int labelled = (int) Arrays.stream(settled).filter(s -> s != null && s.error() == null).count();
            int failedRows = (int) Arrays.stream(settled).filter(s -> s != null && s.error() != null).count();
            return new EnrichResult(out, run.stats.summary(asked.size(), labelled, failedRows, resumed, failedBefore, prices,
                    Duration.between(t0, clock.instant()), tables.labelCounts(settled), tables.failures(settled, items), run.batchJobs));
        } finally {
            if (journal != null) {
                journal.close();
            }
        }
    }

    /** A restored row with the secrets out of its reason or its free-text values (an enum's value is one of its labels). */
    private Journal.Settled scrubbed(Journal.Settled s, Secrets secrets) {
        if (secrets.isEmpty()) {
            return s;
        }
        if (s.error() != null) {
            return new Journal.Settled(s.id(), null, secrets.scrub(s.error()));
        }
        List<Object> values = new ArrayList<>(s.values().size());
        for (int f = 0; f < s.values().size(); f++) {
            Object v = s.values().get(f);
            values.add(schema.fields().get(f).type() == Field.Type.STRING ? secrets.scrub((String) v) : v);
        }
        return new Journal.Settled(s.id(), values, null, s.confidence());
    }

    private List<String> newColumnNames() {
        List<String> names = new ArrayList<>();
        schema.fields().forEach(f -> names.add(f.name()));
        names.add(ERROR_COLUMN);
        return names;
    }

    /** Everything that decides the rows' answers; a journal is only resumed by the same job. */
    private String fingerprint(List<Item> items) {
        Sha256.Hasher sha = Sha256.hasher().field(annotator.id()).field(schema.canonical()).field(instructions);
        for (Example e : examples) {
            sha.field(e.text() + "\u0001" + String.join("\u0001", e.labels()));
        }
        for (Item item : items) {
            sha.field(item.text());
        }
        return sha.hex();
    }

    /** The state of one run: its rows, what is settled, and the parts that decide what happens next. */
    private final class Run {
        private final List<Item> items;
        private final Journal.Settled[] settled;
        private final Journal journal;
        private final Table table;
        private final int resumed;
        private final RetryPolicy retries;
        private final RunStats stats;
        private final ReentrantLock saving = new ReentrantLock();
        private volatile long lastSaveMs;
        private Scheduler scheduler;
        private List<String> batchJobs = List.of();

        Run(List<Item> items, Journal.Settled[] settled, Journal journal, Table table, int resumed) {
            this.items = items;
            this.settled = settled;
            this.journal = journal;
            this.table = table;
            this.resumed = resumed;
            this.retries = new RetryPolicy(maxAttempts, items.size());
            this.stats = new RunStats(annotator.callStats().orElse(null));
        }

        void execute(BatchJobs api) {
            List<Batch> plan = new ArrayList<>();
            for (List<Item> batch : packer.pack(items)) {
                List<Item> open = batch.stream().filter(i -> settled[i.id()] == null).toList();
                if (!open.isEmpty()) {
                    plan.add(new Batch(open, 0));
                }
            }
            progress.stage("enriching", items.size(), "rows", resumed);
            if (plan.isEmpty()) {
                progress.close();
                return;
            }
            lastSaveMs = clock.millis();
            if (api != null) {
                executeAsBatchJob(api, plan);
                return;
            }
            Duration tick = Duration.ofMillis(Math.max(1, Math.min(500, saveEvery.toMillis())));
            try (Scheduler s = new Scheduler(workers, "enrich", stop)) {
                scheduler = s;
                plan.forEach(this::submit);
                while (!s.awaitDone(tick)) {
                    note();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                scheduler.fail(new NotebenchException(ErrorCode.CANCELLED, "enrichment cancelled with " + stats.settled() + " of "
                        + items.size() + " rows settled" + (journal == null ? "" : "; they are journalled in " + journal.file()
                        + ": run again with resume to finish")));
            } finally {
                note();
                progress.close();
            }
            if (scheduler.failure().isEmpty() && stop.getAsBoolean() && Arrays.asList(settled).contains(null)) {
                scheduler.fail(new NotebenchException(ErrorCode.CANCELLED, "enrichment stopped with " + (stats.settled() + resumed)
                        + " of " + items.size() + " rows settled" + (journal == null ? "; without --out nothing was kept"
                        : "; they are journalled in " + journal.file() + ": run again with --resume to finish")));
            }
            if (scheduler.failure().isPresent()) {
                if (output != null) {
                    CsvTables.write(tables.enriched(table, settled.clone()), output);
                }
                RuntimeException failure = scheduler.failure().get();
                // the annotator cannot know what keeps its answers; this run's journal does
                if (journal != null && failure instanceof NotebenchException e && e.code() == ErrorCode.PROVIDER_FAILED) {
                    throw new NotebenchException(e.code(), e.getMessage() + "; the rows answered so far are journalled in "
                            + journal.file() + ": run again with --resume to continue", e);
                }
                throw failure;
            }
        }

        /** The plan sent as a provider batch job ({@link BatchApiRun}); what it settled is written even when it is stopped. */
        private void executeAsBatchJob(BatchJobs api, List<Batch> plan) {
            try {
                batchJobs = new BatchApiRun(api, batchApi, items, settled, journal, schema, instructions, examples, stats, progress,
                        stop, this::settle).run(plan);
            } catch (NotebenchException e) {
                if (output != null) {
                    CsvTables.write(tables.enriched(table, settled.clone()), output);
                }
                throw e;
            } finally {
                progress.close();
            }
        }

        private void note() {
            progress.note(stats.note(annotator.concurrency().map(c -> c[0]).orElse(workers)));
        }

        private void submit(Batch batch) {
            scheduler.submit(() -> process(batch));
        }

        private void process(Batch batch) {
            Answer answer = null;
            AnswerChecker.Verdict verdict;
            stats.callStarted();
            try {
                answer = annotator.annotate(new AnnotationRequest(batch.items(), schema, instructions, examples));
                verdict = null;
            } catch (AnswerFormatException e) {
                verdict = AnswerChecker.allFailed(batch.items(), e.getMessage());
            } catch (ContextOverflowException e) {
                verdict = null;
                stats.unanswered();
                RetryPolicy.Plan halves = retries.afterContextOverflow(batch, e.getMessage());
                if (!halves.again().isEmpty()) {
                    stats.split();
                }
                follow(halves);
                return;
            } finally {
                stats.callEnded();
            }
            if (answer != null) {
                stats.answered(answer);
                verdict = checker.check(batch.items(), answer);
            } else {
                stats.unanswered();
            }
            if (!verdict.good().isEmpty()) {
                settle(verdict.good());
                stats.labelled(verdict.good().size());
            }
            if (answer != null && verdict.bad().isEmpty()) {
                annotator.accepted(answer);
            }
            if (!verdict.bad().isEmpty()) {
                RetryPolicy.Plan next = retries.afterFailures(batch, verdict.bad());
                stats.reasked(next.reasked());
                follow(next);
            }
        }

        /** Settles the rows given up and asks the others again. */
        private void follow(RetryPolicy.Plan plan) {
            if (!plan.givenUp().isEmpty()) {
                settle(plan.givenUp());
                stats.failed(plan.givenUp().size());
            }
            plan.again().forEach(this::submit);
        }

        /** Journals settled rows, records them, and saves the output when a save is due. */
        private void settle(List<Journal.Settled> rows) {
            if (journal != null) {
                journal.append(rows);
            }
            for (Journal.Settled s : rows) {
                settled[s.id()] = s;
            }
            progress.advance(rows.size());
            saveIfDue();
        }

        /** Writes the output so far when {@code saveEvery} has passed since the last save; one worker saves, the others go on. */
        private void saveIfDue() {
            if (output == null || clock.millis() - lastSaveMs < saveEvery.toMillis() || !saving.tryLock()) {
                return;
            }
            try {
                if (clock.millis() - lastSaveMs >= saveEvery.toMillis()) {
                    CsvTables.write(tables.enriched(table, settled.clone()), output);
                    lastSaveMs = clock.millis();
                }
            } finally {
                saving.unlock();
            }
        }
    }

    /** Describes a job. */
    public static final class Builder {
        private final Annotator annotator;
        private final OutputSchema schema;
        private String instructions = "";
        private List<Example> examples = List.of();
        private int batchSize = 10;
        private int tokenBudget;
        private int workers = 4;
        private int maxAttempts = 3;
        private Path journalFile;
        private Journal.Mode journalMode = Journal.Mode.NEW;
        private boolean keepFailed;
        private boolean confidenceColumn;
        private Path output;
        private Duration saveEvery = Duration.ofSeconds(30);
        private Progress progress = Progress.NONE;
        private Prices prices;
        private BooleanSupplier stop = () -> false;
        private Clock clock = Clock.systemUTC();
        private int[] only;
        private BatchApiRun.Polling batchApi;

        private Builder(Annotator annotator, OutputSchema schema) {
            this.annotator = Objects.requireNonNull(annotator, "annotator");
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** What the annotator should do, in words (a magic's cell body). */
        public Builder instructions(String instructions) {
            this.instructions = Objects.requireNonNull(instructions, "instructions").strip();
            return this;
        }

        /** Labelled examples for label schemas. */
        public Builder examples(List<Example> examples) {
            for (Example e : examples) {
                for (String l : e.labels()) {
                    if (!schema.labels().contains(l)) {
                        throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the example '" + e.text() + "' has the label '" + l
                                + "', which is not one of " + schema.labels());
                    }
                }
            }
            this.examples = List.copyOf(examples);
            return this;
        }

        /** The most rows per call (default 10). */
        public Builder batchSize(int batchSize) {
            new Packer(batchSize, 0);
            this.batchSize = batchSize;
            return this;
        }

        /** The most estimated prompt tokens of rows per call (default 0: no budget). */
        public Builder tokenBudget(int tokenBudget) {
            new Packer(1, tokenBudget);
            this.tokenBudget = tokenBudget;
            return this;
        }

        /** How many calls may be in flight (default 4); an adapting annotator may use fewer. */
        public Builder workers(int workers) {
            this.workers = Ranges.within("workers", workers, 1, 1024);
            return this;
        }

        /** How many times a row is asked at most before it is marked failed (default 3). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Ranges.within("max attempts", maxAttempts, 1, 20);
            return this;
        }

        /**
         * Journals settled rows to this file.
         *
         * @param file the journal, e.g. the output path plus {@code .journal.jsonl}
         * @param resume continue the file's job if it exists (else a fresh journal); false refuses to touch an existing one
         */
        public Builder journal(Path file, boolean resume) {
            this.journalFile = Objects.requireNonNull(file, "file");
            this.journalMode = resume ? Journal.Mode.RESUME : Journal.Mode.NEW;
            return this;
        }

        /**
         * On resume, keeps the rows that failed in the earlier run as failed, with their reasons,
         * instead of asking them again (the default asks them again).
         */
        public Builder keepFailed(boolean keepFailed) {
            this.keepFailed = keepFailed;
            return this;
        }

        /**
         * Adds {@link #CONFIDENCE_COLUMN} before the error column: each row's confidence in its
         * answer where the annotator gives one (the embedded labeler with examples does).
         */
        public Builder confidenceColumn(boolean confidenceColumn) {
            this.confidenceColumn = confidenceColumn;
            return this;
        }

        /** Journals to this file, replacing an existing journal (start over). */
        public Builder freshJournal(Path file) {
            this.journalFile = Objects.requireNonNull(file, "file");
            this.journalMode = Journal.Mode.FRESH;
            return this;
        }

        /** Writes the enriched table as CSV here at the end, and every {@code every} while running (default 30 s). */
        public Builder output(Path file, Duration every) {
            this.output = Objects.requireNonNull(file, "file");
            this.saveEvery = Objects.requireNonNull(every, "every");
            return this;
        }

        /** Writes the enriched table as CSV here at the end and every 30 s. */
        public Builder output(Path file) {
            return output(file, Duration.ofSeconds(30));
        }

        /** Shows rows settled, calls in flight and errors here. */
        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * Stops the job when {@code stop} says so (a Stop button, a deadline): the calls in flight
         * finish and their rows are journalled, no new call starts, and the run ends with a
         * {@link ErrorCode#CANCELLED} error saying how many rows were settled; resume finishes it.
         *
         * @param stop asked before each call and while the job waits
         */
        public Builder stopWhen(BooleanSupplier stop) {
            this.stop = Objects.requireNonNull(stop, "stop");
            return this;
        }

        /** Prices for the estimated cost in the summary. */
        public Builder prices(Prices prices) {
            this.prices = prices;
            return this;
        }

        /** The clock of the run's wall time and of the periodic saves (tests give one that moves as they say). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Asks only these rows of the table (a sample): the journal is the whole table's job's, so
         * that a later run of the whole table that resumes it asks only the other rows; the result
         * holds these rows only, in table order, and the summary counts them only. Nothing is
         * written to the output when a sample is run.
         *
         * @param rows row indices, at least one, each once
         */
        public Builder onlyRows(java.util.Collection<Integer> rows) {
            int[] r = rows.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
            if (r.length == 0 || r.length != rows.size() || r[0] < 0) {
                throw new IllegalArgumentException("give at least one row, each once, none negative: " + rows);
            }
            this.only = r;
            return this;
        }

        /**
         * Sends the rows as one provider batch job instead of live calls ({@code --batch-api}, see
         * {@link BatchJobs}): the same requests, polled every {@code pollEvery} at most (the first
         * wait shorter), the answers checked as live ones. Rows whose request failed or whose answer
         * fails the checks are failed rows with the reason, asked again by a resumed run (in a new
         * job). The job's id is journalled as soon as it exists: a resumed run collects it instead
         * of submitting another.
         *
         * @param pollEvery the longest wait between polls
         * @param cancelOnStop whether {@link #stopWhen} cancels the job at the provider (keeping the
         *     requests it answered) instead of leaving it running to collect with resume
         * @param sleeper how the run waits between polls ({@link BatchJobs.Sleeper#REAL})
         */
        public Builder batchApi(Duration pollEvery, boolean cancelOnStop, BatchJobs.Sleeper sleeper) {
            if (pollEvery.isNegative() || pollEvery.isZero()) {
                throw new IllegalArgumentException("poll interval " + pollEvery + " must be positive");
            }
            this.batchApi = new BatchApiRun.Polling(pollEvery, cancelOnStop, Objects.requireNonNull(sleeper, "sleeper"));
            return this;
        }

        /** Builds the job. */
        public Enricher build() {
            return new Enricher(this);
        }
    }
}
