package dev.notebench.enrich;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.cascade.SampleRow;
import dev.notebench.enrich.cascade.Target;
import dev.notebench.enrich.cascade.ThresholdSelection;
import dev.notebench.tables.CsvTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * One cascade ({@code --cascade}): the cheap stage labels every row with a confidence; a random
 * sample of gold rows is also labelled by the expensive stage; {@link ThresholdSelection} picks
 * the threshold on it; the rows below the threshold (outside the sample) go to the expensive
 * stage; the answers are merged into one table with the column {@value #STAGE_COLUMN}.
 *
 * <p>Each stage has its own journal beside the output ({@code OUT.cascade-cheap.journal.jsonl},
 * {@code OUT.cascade-sample.journal.jsonl}, {@code OUT.cascade-escalated.journal.jsonl}), so a
 * stopped cascade resumes with {@code --resume} stage by stage without asking a settled row again:
 * the sample (seeded) and the cheap answers (journalled) are the same, hence so are the threshold
 * and the escalated rows, whose journal then resumes too. The response cache, where on, also
 * answers a repeated call without paying for it.
 */
final class CascadeRun {
    /** The column saying which stage gave a row's answer: {@code cheap} or {@code expensive}. */
    static final String STAGE_COLUMN = "enrich_stage";

    /** Runs one stage over some rows of the table. */
    interface Stages {
        /**
         * @param rows the rows to label (a sub-table)
         * @param cheap the cheap stage (else the expensive one)
         * @param journal the stage's journal
         * @param confidence whether to keep the confidence column
         */
        EnrichResult run(Table rows, boolean cheap, Path journal, boolean confidence);
    }

    private final EnrichJob.Cascading settings;
    private final AnnotatorOptions cheap;
    private final AnnotatorOptions expensive;
    private final OutputSchema schema;
    private final RowText text;
    private final GoldColumns gold;
    private final Path output;
    private final Prices prices;
    private final int expensiveBatch;

    /** {@code expensiveBatch}: the expensive stage's rows per call when packed by count alone; 0 under a token budget. */
    CascadeRun(EnrichJob.Cascading settings, AnnotatorOptions cheap, AnnotatorOptions expensive, OutputSchema schema, RowText text,
               GoldColumns gold, Path output, Prices prices, int expensiveBatch) {
        this.expensiveBatch = expensiveBatch;
        this.settings = settings;
        this.cheap = cheap;
        this.expensive = expensive;
        this.schema = schema;
        this.text = text;
        this.gold = gold;
        this.output = output;
        this.prices = prices;
    }

    /** The journal of one stage: {@code OUT.cascade-STAGE.journal.jsonl}. */
    static Path journal(Path output, String stage) {
        return output.resolveSibling(output.getFileName() + ".cascade-" + stage + ".journal.jsonl");
    }

    EnrichJob.Outcome run(Table table, List<Integer> exampleRows, Stages stages) {
        if (gold == null || schema.kind() == OutputSchema.Kind.FIELDS) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a cascade needs --labels and --gold COLUMN");
        }
        checkTargetLabels();
        // a stage's missing key is found now, not after the cheap stage has labelled the table
        for (AnnotatorOptions stage : List.of(cheap, expensive)) {
            if (stage.provider().equals("openai") && stage.apiKeyEnv().isPresent()) {
                dev.notebench.http.ApiKey.fromEnvironment(stage.apiKeyEnv().get(), stage.environment());
            }
        }
        String goldColumn = gold.columnsFor(schema).values().iterator().next();
        Set<Integer> examples = new HashSet<>(exampleRows);
        List<Integer> eligible = new ArrayList<>();
        for (int r = 0; r < table.rowCount(); r++) {
            if (!examples.contains(r) && !table.getString(r, goldColumn).isBlank()) {
                eligible.add(r);
            }
        }
        if (settings.sampleSize() > eligible.size()) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "--cascade-sample " + settings.sampleSize() + " is more than the "
                    + eligible.size() + " rows with a gold label in '" + goldColumn + "'" + (examples.isEmpty() ? ""
                    : " (the " + examples.size() + " example rows left out)") + "; give --cascade-sample " + eligible.size()
                    + " or fewer, or label more rows");
        }
        List<Integer> sample = new ArrayList<>(eligible);
        Collections.shuffle(sample, new Random(settings.seed()));
        sample = new ArrayList<>(sample.subList(0, settings.sampleSize()));
        Collections.sort(sample);

        EnrichResult cheapResult = stages.run(table, true, journal(output, "cheap"), true);
        Table cheapTable = cheapResult.table();
        double[] confidence = new double[table.rowCount()];
        DoubleColumn conf = cheapTable.doubleColumn(Enricher.CONFIDENCE_COLUMN);
        for (int r = 0; r < confidence.length; r++) {
            confidence[r] = GoldEvaluation.Rows.failed(cheapTable, r) || conf.isMissing(r) ? Double.NaN : conf.getDouble(r);
        }
        EnrichResult sampleResult = stages.run(table.rows(sample.stream().mapToInt(Integer::intValue).toArray()), false,
                journal(output, "sample"), false);
        boolean single = schema.kind() == OutputSchema.Kind.SINGLE_LABEL;
        List<SampleRow> rows = new ArrayList<>();
        for (int j = 0; j < sample.size(); j++) {
            int r = sample.get(j);
            rows.add(SampleRow.of(confidence[r], labels(cheapTable, r), labels(sampleResult.table(), j),
                    GoldLabelScores.goldSet(table.getString(r, goldColumn), single)));
        }
        ThresholdSelection selection = ThresholdSelection.choose(rows, settings.targets(), settings.delta(), eligible.size());

        Set<Integer> inSample = new HashSet<>(sample);
        List<Integer> escalated = new ArrayList<>();
        for (int r = 0; r < table.rowCount(); r++) {
            if (selection.escalates(confidence[r]) && !inSample.contains(r)) {
                escalated.add(r);
            }
        }
        Optional<EnrichResult> escalatedResult = escalated.isEmpty() ? Optional.empty()
                : Optional.of(stages.run(table.rows(escalated.stream().mapToInt(Integer::intValue).toArray()), false,
                journal(output, "escalated"), false));

        Table merged = cheapTable.copy();
        merged.setName(table.name());
        StringColumn stage = StringColumn.create(STAGE_COLUMN);
        for (int r = 0; r < merged.rowCount(); r++) {
            stage.append("cheap");
        }
        int keptSample = 0;
        for (int j = 0; j < sample.size(); j++) {
            int r = sample.get(j);
            if (selection.escalates(confidence[r])) {
                copyAnswer(sampleResult.table(), j, merged, r);
                stage.set(r, "expensive");
            } else {
                keptSample++;
            }
        }
        for (int j = 0; j < escalated.size(); j++) {
            copyAnswer(escalatedResult.orElseThrow().table(), j, merged, escalated.get(j));
            stage.set(escalated.get(j), "expensive");
        }
        merged.addColumns(stage);
        CsvTables.write(merged, output);

        List<EnrichSummary> parts = new ArrayList<>(List.of(cheapResult.summary(), sampleResult.summary()));
        escalatedResult.ifPresent(e -> parts.add(e.summary()));
        EnrichResult result = new EnrichResult(merged, total(merged, parts));
        GoldEvaluation scored = GoldEvaluation.of(result, schema, gold, exampleRows);
        int cheapKept = (int) stage.asList().stream().filter("cheap"::equals).count();
        CascadeReport report = new CascadeReport(settings.name(), describe(expensive), selection, table.rowCount(), cheapKept,
                cheapResult.summary(), sample.size() - keptSample, sampleResult.summary(), escalated.size(),
                escalatedResult.map(EnrichResult::summary), scored, eligible.size(), prices != null, expensiveBatch,
                onGoldRows(merged, table, eligible, goldColumn));
        return new EnrichJob.Outcome(result, exampleRows, output, journal(output, "cheap"), Optional.of(scored), Optional.of(report));
    }

    /**
     * Each target's value on the merged answers of the gold rows the sample was drawn from, by the
     * targets' own definitions (a failed row labels nothing and is wrong): each row is given as a
     * sample row whose two stages answered alike, kept at threshold 0.
     */
    private List<Target.Check> onGoldRows(Table merged, Table table, List<Integer> eligible, String goldColumn) {
        boolean single = schema.kind() == OutputSchema.Kind.SINGLE_LABEL;
        List<SampleRow> rows = new ArrayList<>(eligible.size());
        for (int r : eligible) {
            Set<String> answer = labels(merged, r);
            rows.add(SampleRow.of(1, answer, answer, GoldLabelScores.goldSet(table.getString(r, goldColumn), single)));
        }
        return settings.targets().stream().map(t -> t.check(rows, 0, 0)).toList();
    }

    /** A stage's labels for a row of its table; null for a failed answer. */
    private Set<String> labels(Table t, int r) {
        return GoldEvaluation.Rows.failed(t, r) ? null : GoldLabelScores.predictedSet(t, r, schema);
    }

    /** Refuses, before any call, a precision or recall target that names a label the run does not have. */
    private void checkTargetLabels() {
        for (Target t : settings.targets()) {
            if (t instanceof Target.PerLabel l && !schema.labels().contains(l.label())) {
                String option = l.byAnswer() ? "--target-precision" : "--target-recall";
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, option + " " + l.label() + "=" + t.level()
                        + ": '" + l.label() + "' is not a label of this run; its labels are " + String.join(", ", schema.labels())
                        + " (" + option + " LABEL=" + (l.byAnswer() ? "P" : "R") + " with one of them)");
            }
        }
    }

    /** Copies one row's answer columns (the fields and the error) from a stage's table into the merged one. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void copyAnswer(Table from, int j, Table to, int r) {
        List<String> names = new ArrayList<>();
        schema.fields().forEach(f -> names.add(f.name()));
        names.add(Enricher.ERROR_COLUMN);
        for (String name : names) {
            Column source = from.column(name);
            Column target = to.column(name);
            if (source.isMissing(j)) {
                target.setMissing(r);
            } else {
                target.set(r, source.get(j));
            }
        }
    }

    /** The run's totals over the stages, with the merged table's labels and failed rows. */
    private EnrichSummary total(Table merged, List<EnrichSummary> parts) {
        int failed = 0;
        StringColumn row = StringColumn.create("row");
        StringColumn failedText = StringColumn.create("text");
        StringColumn reason = StringColumn.create("reason");
        Map<String, Integer> counts = new LinkedHashMap<>();
        schema.labels().forEach(l -> counts.put(l, 0));
        boolean single = schema.kind() == OutputSchema.Kind.SINGLE_LABEL;
        for (int r = 0; r < merged.rowCount(); r++) {
            if (GoldEvaluation.Rows.failed(merged, r)) {
                failed++;
                row.append(Integer.toString(r));
                failedText.append(text.apply(merged, r));
                reason.append(merged.getString(r, Enricher.ERROR_COLUMN));
            } else {
                GoldLabelScores.predictedSet(merged, r, schema).forEach(l -> counts.merge(l, 1, Integer::sum));
            }
        }
        int labelled = merged.rowCount() - failed;
        Table labels = EnrichSummary.emptyLabels();
        counts.forEach((l, n) -> {
            labels.stringColumn("label").append(l);
            labels.intColumn("rows").append(n);
            labels.doubleColumn("share").append(labelled == 0 ? 0 : Math.round(n * 10000.0 / labelled) / 10000.0);
        });
        long[] s = new long[11];
        Duration wall = Duration.ZERO;
        double cost = 0;
        boolean costed = false;
        for (EnrichSummary p : parts) {
            long[] v = {p.resumed(), p.failedBefore(), p.calls(), p.cachedAnswers(), p.reasked(), p.contextSplits(), p.httpAttempts(),
                    p.retries(), p.throttled(), p.tokensIn(), p.tokensOut()};
            for (int i = 0; i < v.length; i++) {
                s[i] += v[i];
            }
            wall = wall.plus(p.wall());
            if (p.cost().isPresent()) {
                cost += p.cost().getAsDouble();
                costed = true;
            }
        }
        // every row passes the cheap stage once: its resumed rows are the table's (the stages table shows each stage's)
        EnrichSummary first = parts.get(0);
        return new EnrichSummary(merged.rowCount(), labelled, failed, first.resumed(), first.failedBefore(), s[2], s[3], s[4], s[5], s[6], s[7], s[8],
                s[9], s[10], costed ? OptionalDouble.of(cost) : OptionalDouble.empty(), wall, labels,
                Table.create("failed rows", row, failedText, reason), List.of());
    }

    private static String describe(AnnotatorOptions a) {
        return a.provider().equals("local") ? "local" : a.model().orElse(a.provider());
    }
}
