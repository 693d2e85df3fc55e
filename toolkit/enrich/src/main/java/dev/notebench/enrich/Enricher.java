package dev.notebench.enrich;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.http.CallStats;
import dev.notebench.progress.Progress;
import dev.notebench.secrets.Secrets;
import dev.notebench.tables.CsvTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

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
        this.output = b.output;
        this.saveEvery = b.saveEvery;
        this.progress = b.progress;
        this.prices = b.prices;
        this.stop = b.stop;
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

    /** A unit of work: rows to ask together, and how many times they were asked before (context splits not counted). */
    private record Unit(List<Item> items, int level) {
    }

    /**
     * Runs the job.
     *
     * @param table the input (not modified)
     * @param text how a row becomes text
     * @return the enriched copy and the summary
     * @throws NotebenchException on bad input, or when the annotator cannot go on (the journal keeps
     *     every settled row; run again with resume to continue)
     */
    public EnrichResult run(Table table, RowText text) {
        long t0 = System.nanoTime();
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
            Run run = new Run(items, settled, journal, table, resumed, failedBefore);
            run.execute();
            Table out = enriched(table, settled);
            if (output != null) {
                CsvTables.write(out, output);
            }
            return new EnrichResult(out, run.summary(t0));
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
        return new Journal.Settled(s.id(), values, null);
    }

    private List<String> newColumnNames() {
        List<String> names = new ArrayList<>();
        schema.fields().forEach(f -> names.add(f.name()));
        names.add(ERROR_COLUMN);
        return names;
    }

    /** Everything that decides the rows' answers; a journal is only resumed by the same job. */
    private String fingerprint(List<Item> items) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(annotator.id(), schema.canonical(), instructions)) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            for (Example e : examples) {
                sha.update((e.text() + "\u0001" + String.join("\u0001", e.labels())).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            for (Item item : items) {
                sha.update(item.text().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The input's columns, then the fields, then the error column. */
    Table enriched(Table table, Journal.Settled[] settled) {
        Table out = table.copy();
        List<Field> fields = schema.fields();
        for (int f = 0; f < fields.size(); f++) {
            Column<?> column = switch (fields.get(f).type()) {
                case BOOLEAN -> BooleanColumn.create(fields.get(f).name());
                case NUMBER -> DoubleColumn.create(fields.get(f).name());
                case INTEGER -> LongColumn.create(fields.get(f).name());
                case STRING, ENUM -> StringColumn.create(fields.get(f).name());
            };
            for (Journal.Settled s : settled) {
                if (s == null || s.error() != null) {
                    column.appendMissing();
                } else {
                    appendValue(column, s.values().get(f));
                }
            }
            out.addColumns(column);
        }
        StringColumn errors = StringColumn.create(ERROR_COLUMN);
        for (Journal.Settled s : settled) {
            errors.append(s == null ? "not done (resume to finish)" : s.error() == null ? "" : s.error());
        }
        out.addColumns(errors);
        return out;
    }

    private static void appendValue(Column<?> column, Object v) {
        if (column instanceof BooleanColumn b) {
            b.append((Boolean) v);
        } else if (column instanceof DoubleColumn d) {
            d.append((Double) v);
        } else if (column instanceof LongColumn l) {
            l.append((Long) v);
        } else {
            ((StringColumn) column).append((String) v);
        }
    }

    /** The state of one run. */
    private final class Run {
        private final List<Item> items;
        private final Journal.Settled[] settled;
        private final Journal journal;
        private final Table table;
        private final int resumed;
        private final int failedBefore;
        private final int[] attempts;
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong cached = new AtomicLong();
        private final AtomicLong reasked = new AtomicLong();
        private final AtomicLong splits = new AtomicLong();
        private final AtomicLong tokensIn = new AtomicLong();
        private final AtomicLong tokensOut = new AtomicLong();
        private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
        private final Object finished = new Object();
        private final long httpAttempts0;
        private final long retries0;
        private final long throttled0;
        private ExecutorService pool;

        Run(List<Item> items, Journal.Settled[] settled, Journal journal, Table table, int resumed, int failedBefore) {
            this.items = items;
            this.settled = settled;
            this.journal = journal;
            this.table = table;
            this.resumed = resumed;
            this.failedBefore = failedBefore;
            this.attempts = new int[items.size()];
            CallStats s = annotator.callStats().orElse(null);
            this.httpAttempts0 = s == null ? 0 : s.attempts();
            this.retries0 = s == null ? 0 : s.retries();
            this.throttled0 = s == null ? 0 : s.throttledCount();
        }

        void execute() {
            List<Unit> plan = new ArrayList<>();
            for (List<Item> batch : packer.pack(items)) {
                List<Item> open = batch.stream().filter(i -> settled[i.id()] == null).toList();
                if (!open.isEmpty()) {
                    plan.add(new Unit(open, 0));
                }
            }
            progress.stage("enriching", items.size(), "rows", resumed);
            if (plan.isEmpty()) {
                progress.close();
                return;
            }
            AtomicInteger threadNo = new AtomicInteger();
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "enrich-" + threadNo.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            long lastSave = System.nanoTime();
            try {
                plan.forEach(this::submit);
                synchronized (finished) {
                    while (pending.get() > 0) {
                        finished.wait(Math.max(1, Math.min(500, saveEvery.toMillis())));
                        note();
                        if (output != null && System.nanoTime() - lastSave >= saveEvery.toNanos() && pending.get() > 0) {
                            CsvTables.write(enriched(table, settled.clone()), output);
                            lastSave = System.nanoTime();
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fatal.compareAndSet(null, new NotebenchException(ErrorCode.CANCELLED, "enrichment cancelled with "
                        + (done.get() + failed.get()) + " of " + items.size() + " rows settled" + (journal == null ? ""
                        : "; they are journalled in " + journal.file() + ": run again with resume to finish")));
            } finally {
                pool.shutdownNow();
                try {
                    pool.awaitTermination(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                note();
                progress.close();
            }
            if (fatal.get() == null && stop.getAsBoolean() && java.util.Arrays.asList(settled).contains(null)) {
                fatal.set(new NotebenchException(ErrorCode.CANCELLED, "enrichment stopped with " + (done.get() + failed.get()
                        + resumed) + " of " + items.size() + " rows settled" + (journal == null ? "; without --out nothing was kept"
                        : "; they are journalled in " + journal.file() + ": run again with --resume to finish")));
            }
            RuntimeException e = fatal.get();
            if (e != null) {
                if (output != null) {
                    CsvTables.write(enriched(table, settled.clone()), output);
                }
                throw e;
            }
        }

        private void note() {
            int limitNow = annotator.concurrency().map(c -> c[0]).orElse(workers);
            progress.note(String.format(Locale.ROOT, "%d in flight (limit %d) · %d re-asked · %d failed", inFlight.get(), limitNow,
                    reasked.get(), failed.get()));
        }

        private void submit(Unit unit) {
            pending.incrementAndGet();
            try {
                pool.execute(() -> {
                    try {
                        if (fatal.get() == null && !stop.getAsBoolean()) { // stopped: what is asked now finishes, nothing new starts
                            process(unit);
                        }
                    } catch (RuntimeException e) {
                        fatal.compareAndSet(null, e);
                    } finally {
                        if (pending.decrementAndGet() == 0) {
                            synchronized (finished) {
                                finished.notifyAll();
                            }
                        }
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.decrementAndGet(); // shutting down after a fatal error or a cancel
            }
        }

        private void process(Unit unit) {
            Answer answer;
            Map<Integer, String> bad = new LinkedHashMap<>();
            List<Journal.Settled> good = new ArrayList<>();
            inFlight.incrementAndGet();
            try {
                answer = annotator.annotate(new AnnotationRequest(unit.items(), schema, instructions, examples));
            } catch (AnswerFormatException e) {
                answer = null;
                for (Item item : unit.items()) {
                    bad.put(item.id(), e.getMessage());
                }
            } catch (ContextOverflowException e) {
                calls.incrementAndGet();
                split(unit, e);
                return;
            } finally {
                inFlight.decrementAndGet();
            }
            if (answer != null) {
                if (answer.cached()) {
                    cached.incrementAndGet();
                } else {
                    calls.incrementAndGet();
                }
                tokensIn.addAndGet(answer.tokensIn());
                tokensOut.addAndGet(answer.tokensOut());
                check(unit, answer, good, bad);
            } else {
                calls.incrementAndGet();
            }
            if (!good.isEmpty()) {
                if (journal != null) {
                    journal.append(good);
                }
                for (Journal.Settled s : good) {
                    settled[s.id()] = s;
                }
                done.addAndGet(good.size());
                progress.advance(good.size());
            }
            if (answer != null && bad.isEmpty()) {
                annotator.accepted(answer);
            }
            if (!bad.isEmpty()) {
                retry(unit, bad);
            }
        }

        /** Sorts an answer's rows into valid ones and the reasons of the others. */
        private void check(Unit unit, Answer answer, List<Journal.Settled> good, Map<Integer, String> bad) {
            Set<Integer> asked = new HashSet<>();
            unit.items().forEach(i -> asked.add(i.id()));
            Map<Integer, JsonObject> answered = new LinkedHashMap<>();
            Set<Integer> repeated = new HashSet<>();
            for (JsonObject row : answer.rows()) {
                Integer id = idOf(row.get("id"));
                if (id == null || !asked.contains(id)) {
                    continue; // an id nobody asked about: ignored
                }
                if (answered.putIfAbsent(id, row) != null) {
                    repeated.add(id);
                }
            }
            for (Item item : unit.items()) {
                JsonObject row = answered.get(item.id());
                if (repeated.contains(item.id())) {
                    bad.put(item.id(), "answered more than once");
                } else if (row == null) {
                    bad.put(item.id(), answer.truncated() ? "the answer was cut off before this row" : "missing from the answer");
                } else {
                    try {
                        good.add(new Journal.Settled(item.id(), schema.validate(row), null));
                    } catch (OutputSchema.InvalidRowException e) {
                        bad.put(item.id(), e.getMessage());
                    }
                }
            }
        }

        /**
         * Asks a batch the model's context could not hold again in two halves (the first the larger),
         * keeping its level: the rows did nothing wrong. A row alone fails at once with the server's
         * reason, since the same request cannot fit later.
         */
        private void split(Unit unit, ContextOverflowException e) {
            List<Item> rows = unit.items();
            if (rows.size() == 1) {
                Journal.Settled s = new Journal.Settled(rows.get(0).id(), null, "too long for the model's context even alone ("
                        + e.getMessage() + "); shorten the text (--template) or use a model with a longer context");
                if (journal != null) {
                    journal.append(List.of(s));
                }
                settled[s.id()] = s;
                failed.incrementAndGet();
                progress.advance(1);
                return;
            }
            splits.incrementAndGet();
            int half = (rows.size() + 1) / 2;
            submit(new Unit(List.copyOf(rows.subList(0, half)), unit.level()));
            submit(new Unit(List.copyOf(rows.subList(half, rows.size())), unit.level()));
        }

        /** Asks failed rows again, in half-size batches after a first failure and alone after that, or gives up on them. */
        private void retry(Unit unit, Map<Integer, String> bad) {
            List<Item> again = new ArrayList<>();
            List<Journal.Settled> givenUp = new ArrayList<>();
            for (Item item : unit.items()) {
                String why = bad.get(item.id());
                if (why == null) {
                    continue;
                }
                attempts[item.id()]++;
                if (attempts[item.id()] >= maxAttempts) {
                    givenUp.add(new Journal.Settled(item.id(), null, "failed after " + attempts[item.id()]
                            + (attempts[item.id()] == 1 ? " attempt: " : " attempts: ") + why));
                } else {
                    again.add(item);
                }
            }
            if (!givenUp.isEmpty()) {
                if (journal != null) {
                    journal.append(givenUp);
                }
                for (Journal.Settled s : givenUp) {
                    settled[s.id()] = s;
                }
                failed.addAndGet(givenUp.size());
                progress.advance(givenUp.size());
            }
            if (again.isEmpty()) {
                return;
            }
            reasked.addAndGet(again.size());
            int size = unit.level() == 0 ? Math.max(1, unit.items().size() / 2) : 1;
            for (int from = 0; from < again.size(); from += size) {
                submit(new Unit(again.subList(from, Math.min(again.size(), from + size)), unit.level() + 1));
            }
        }

        EnrichSummary summary(long t0) {
            Duration wall = Duration.ofNanos(System.nanoTime() - t0);
            int labelled = 0;
            int failedRows = 0;
            StringColumn failRow = StringColumn.create("row");
            StringColumn failText = StringColumn.create("text");
            StringColumn failWhy = StringColumn.create("reason");
            for (Journal.Settled s : settled) {
                if (s == null) {
                    continue;
                }
                if (s.error() == null) {
                    labelled++;
                } else {
                    failedRows++;
                    failRow.append(Integer.toString(s.id()));
                    failText.append(items.get(s.id()).text());
                    failWhy.append(s.error());
                }
            }
            CallStats stats = annotator.callStats().orElse(null);
            long tin = tokensIn.get();
            long tout = tokensOut.get();
            return new EnrichSummary(items.size(), labelled, failedRows, resumed, failedBefore, calls.get(), cached.get(), reasked.get(),
                    splits.get(),
                    stats == null ? 0 : stats.attempts() - httpAttempts0, stats == null ? 0 : stats.retries() - retries0,
                    stats == null ? 0 : stats.throttledCount() - throttled0, tin, tout,
                    prices == null ? OptionalDouble.empty() : OptionalDouble.of(prices.cost(tin, tout)), wall, labelCounts(),
                    Table.create("failed rows", failRow, failText, failWhy));
        }

        private Table labelCounts() {
            Table t = EnrichSummary.emptyLabels();
            if (schema.kind() == OutputSchema.Kind.FIELDS) {
                return t;
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            schema.labels().forEach(l -> counts.put(l, 0));
            int answered = 0;
            for (Journal.Settled s : settled) {
                if (s == null || s.error() != null) {
                    continue;
                }
                answered++;
                if (schema.kind() == OutputSchema.Kind.SINGLE_LABEL) {
                    counts.merge((String) s.values().get(0), 1, Integer::sum);
                } else {
                    for (int f = 0; f < schema.labels().size(); f++) {
                        if ((Boolean) s.values().get(f)) {
                            counts.merge(schema.labels().get(f), 1, Integer::sum);
                        }
                    }
                }
            }
            StringColumn label = t.stringColumn("label");
            IntColumn rows = t.intColumn("rows");
            DoubleColumn share = t.doubleColumn("share");
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                label.append(e.getKey());
                rows.append(e.getValue());
                share.append(answered == 0 ? 0 : Math.round(e.getValue() * 10000.0 / answered) / 10000.0);
            }
            return t;
        }
    }

    private static Integer idOf(JsonElement e) {
        if (e == null || !e.isJsonPrimitive()) {
            return null;
        }
        try {
            String s = e.getAsString().strip();
            return Integer.valueOf(s);
        } catch (NumberFormatException notAnInt) {
            return null;
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
        private Path output;
        private Duration saveEvery = Duration.ofSeconds(30);
        private Progress progress = Progress.NONE;
        private Prices prices;
        private BooleanSupplier stop = () -> false;

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
            if (workers < 1 || workers > 1024) {
                throw new IllegalArgumentException("workers " + workers + " must be within 1..1024");
            }
            this.workers = workers;
            return this;
        }

        /** How many times a row is asked at most before it is marked failed (default 3). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw new IllegalArgumentException("max attempts " + maxAttempts + " must be within 1..20");
            }
            this.maxAttempts = maxAttempts;
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

        /** Builds the job. */
        public Enricher build() {
            return new Enricher(this);
        }
    }
}
