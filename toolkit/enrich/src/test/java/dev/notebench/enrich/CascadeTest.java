package dev.notebench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.enrich.cascade.Target;
import dev.notebench.progress.Progress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * A cascade on one fake server with two models: "small", the cheap stage, answers rows i % 10 < 6
 * right with confidence 0.99, 6 and 7 right with 0.7, 8 and 9 wrong with 0.4 (its own
 * {@code _confidence}, the shape token log-probabilities also end in); "big", the expensive stage,
 * is a simulation of an accurate model that answers every row's gold label.
 */
class CascadeTest {
    private static final int ROWS = 400;
    @TempDir
    Path dir;

    private static String gold(int i) {
        return i % 2 == 0 ? "spam" : "ham";
    }

    /** The fake, counting each model's calls and the texts "big" was asked. */
    private static final class Models implements AutoCloseable {
        final AtomicInteger smallCalls = new AtomicInteger();
        final AtomicInteger bigCalls = new AtomicInteger();
        final List<String> bigTexts = java.util.Collections.synchronizedList(new ArrayList<>());
        final FakeChatServer server;

        Models() throws java.io.IOException {
            Map<String, String> goldByText = new HashMap<>();
            for (int i = 0; i < ROWS; i++) {
                goldByText.put("message " + i, gold(i));
            }
            server = FakeChatServer.builder(FakeChatServer.goldAnswers(goldByText, "predicted")).script(call -> {
                FakeChatServer.Reply reply = new FakeChatServer.Reply();
                if (call.body().get("model").getAsString().equals("small")) {
                    smallCalls.incrementAndGet();
                    for (Item row : call.rows()) {
                        int i = Integer.parseInt(row.text().substring("message ".length()));
                        JsonObject o = new JsonObject();
                        o.addProperty("id", row.id());
                        boolean wrong = i % 10 >= 8;
                        o.addProperty("predicted", wrong ? (gold(i).equals("spam") ? "ham" : "spam") : gold(i));
                        o.addProperty(Answer.CONFIDENCE, i % 10 < 6 ? 0.99 : wrong ? 0.4 : 0.7);
                        reply.replace(row.id(), o);
                    }
                } else {
                    bigCalls.incrementAndGet();
                    call.rows().forEach(r -> bigTexts.add(r.text()));
                }
                return reply;
            }).start();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private Path input() throws java.io.IOException {
        StringBuilder csv = new StringBuilder("text,gold\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append("message ").append(i).append(',').append(gold(i)).append('\n');
        }
        Path in = dir.resolve("in.csv");
        Files.writeString(in, csv, StandardCharsets.UTF_8);
        return in;
    }

    private EnrichJob job(Models m, String... extra) throws java.io.IOException {
        return job(m, List.of("--target-accuracy", "0.95"), extra);
    }

    private EnrichJob job(Models m, List<String> targets, String... extra) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of("--input", input().toString(), "--out", dir.resolve("out.csv").toString(),
                "--text", "text", "--labels", "spam,ham", "--single", "--gold", "gold", "--base-url", m.server.baseUrl(),
                "--model", "big", "--cascade", "small", "--no-cache", "--workers", "1", "--retries", "0"));
        args.addAll(targets);
        args.addAll(List.of(extra));
        return EnrichOptions.parse(args, "Spam or ham?", Map.of(), dir);
    }

    private static EnrichJob.Outcome run(EnrichJob job, BooleanSupplier stop) {
        return job.run(Progress.NONE, CascadeTest.class.getClassLoader(), stop);
    }

    @Test
    void rowsBelowTheChosenThresholdAndTheSampleAloneGoToTheExpensiveModel() throws Exception {
        try (Models m = new Models()) {
            EnrichJob.Outcome o = run(job(m), () -> false);
            CascadeReport report = o.cascade().orElseThrow();
            assertEquals(0.401, report.selection().threshold(), 1e-12);
            assertTrue(report.selection().guaranteed());
            assertEquals(320, report.cheapRows());
            Table t = o.result().table();
            Set<String> low = new HashSet<>();
            for (int i = 0; i < ROWS; i++) {
                assertEquals(i % 10 >= 8 ? "expensive" : "cheap", t.getString(i, CascadeRun.STAGE_COLUMN), "row " + i);
                assertEquals(gold(i), t.getString(i, "predicted"), "row " + i);
                if (i % 10 >= 8) {
                    low.add("message " + i);
                }
            }
            assertEquals(1.0, report.accuracyOnGoldRows());
            assertEquals(1.0, report.selection().sampleAccuracy());
            Set<String> asked = new HashSet<>(m.bigTexts);
            assertEquals(m.bigTexts.size(), asked.size(), "no row asked twice of the expensive model");
            assertEquals(report.expensiveRowsAsked(), asked.size());
            assertTrue(asked.containsAll(low));
            long confidentAsked = asked.stream().filter(s -> !low.contains(s)).count();
            // only sample rows with a high confidence were asked of the expensive model: 200 minus the sample's low rows
            assertEquals(report.expensiveRowsAsked() - 80, confidentAsked);
            assertTrue(confidentAsked < 200);
            assertEquals(m.bigCalls.get(), report.expensiveCalls());
            Table stages = report.stages();
            assertEquals(List.of("cheap: every row", "expensive: gold sample", "expensive: below threshold", "total"),
                    stages.stringColumn("stage").asList());
            assertEquals(List.of(320, 200 - (int) confidentAsked, 80 - (200 - (int) confidentAsked), 400),
                    stages.intColumn("answers kept").asList());
            assertEquals("cascade: 320 of 400 rows kept the cheap answer (small), 80 the expensive one (big); threshold 0.401; "
                    + String.format(java.util.Locale.ROOT, "%.1f", 100 * report.expensiveCallsSaved()) + "% of the expensive calls"
                    + " saved; accuracy 1.0000 on the 200-row gold sample, 1.0000 on all 400 rows (every row has a gold label)",
                    report.headline());
            assertEquals(Files.readAllLines(dir.resolve("out.csv")).get(0), "text,gold,predicted,enrich_confidence,enrich_error,"
                    + "enrich_stage");
        }
    }

    @Test
    void aStoppedCascadeResumesWithoutAskingASettledRowAgain() throws Exception {
        try (Models m = new Models()) {
            NotebenchException stopped = assertThrows(NotebenchException.class, () -> run(job(m), () -> m.bigCalls.get() >= 5));
            assertEquals(ErrorCode.CANCELLED, stopped.code());
            int smallBefore = m.smallCalls.get();
            EnrichJob.Outcome o = run(job(m, "--resume"), () -> false);
            assertEquals(smallBefore, m.smallCalls.get(), "the cheap stage resumed from its journal");
            assertEquals(new HashSet<>(m.bigTexts).size(), m.bigTexts.size(), "no row asked twice of the expensive model");
            assertEquals(o.cascade().orElseThrow().expensiveRowsAsked(), m.bigTexts.size());
            assertEquals(1.0, o.cascade().orElseThrow().accuracyOnGoldRows());
            assertEquals(ROWS, o.result().summary().resumed(), "every row's cheap answer came from the journal");
            Table stages = o.cascade().orElseThrow().stages();
            assertEquals(ROWS, stages.intColumn("resumed").get(0));
            assertTrue(o.cascade().orElseThrow().headline().endsWith("; calls of this run only: "
                    + o.cascade().orElseThrow().resumedRows() + " stage answers came from the journals"));
        }
    }

    @Test
    void aSampleLargerThanTheGoldRowsIsRefusedBeforeAnyCall() throws Exception {
        try (Models m = new Models()) {
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> run(job(m, "--cascade-sample", "401"), () -> false));
            assertEquals("--cascade-sample 401 is more than the 400 rows with a gold label in 'gold'; give --cascade-sample 400 or"
                    + " fewer, or label more rows", e.getMessage());
            assertEquals(ErrorCode.DATA_INVALID, e.code());
            assertEquals(0, m.server.requests());
        }
    }

    @Test
    void aRecallTargetKeepsTheCheapAnswersAboveTheConfidenceWhereTheCheapModelStartsMissingSpam() throws Exception {
        try (Models m = new Models()) {
            EnrichJob.Outcome o = run(job(m, List.of("--target-recall", "spam=0.95")), () -> false);
            CascadeReport report = o.cascade().orElseThrow();
            // below 0.401 the rows i % 10 == 8 (gold spam, "small" says ham at 0.4) would keep their cheap answer: misses
            assertEquals(0.401, report.selection().threshold(), 1e-12);
            assertEquals(320, report.cheapRows());
            Target.Check recall = report.selection().checks().get(0);
            assertEquals(new Target.Recall("spam", 0.95), recall.target());
            assertEquals(0, recall.errors());
            int goldSpam = recall.rows();
            // P(Bin(m, 0.05) <= 0) = 0.95^m for the m sample rows whose gold is spam
            assertEquals(Math.pow(0.95, goldSpam), recall.pValue(), 1e-12);
            Target.Check all = report.onGoldRows().get(0);
            assertEquals(List.of(0, 200), List.of(all.errors(), all.rows()), "none of the 200 gold-spam rows missed");
            Table targets = report.targets();
            assertEquals(List.of("target", "on the gold sample", "rests on", "p-value", "passed at delta 0.1", "on all 400 rows"),
                    targets.columnNames());
            assertEquals(List.of("recall of spam >= 0.95", "1.0000", goldSpam + " sample rows whose gold is spam",
                    String.format(java.util.Locale.ROOT, "%.3g", Math.pow(0.95, goldSpam)), "yes", "1.0000 (200 rows)"),
                    targets.row(0).columnNames().stream().map(c -> targets.getString(0, c)).toList());
            assertEquals("cascade targets at threshold 0.401", targets.name());
            assertEquals(List.of("cascade stages", "cascade targets at threshold 0.401", "cascade"),
                    report.tables().stream().map(Table::name).toList());
            assertEquals("1.0000 (200 rows, no accuracy target)", report.savings().getString(4, "value"));
        }
    }

    @Test
    void theExpensiveStagesMissingKeyIsRefusedBeforeTheCheapStageRuns() {
        // the offline labeler needs no key, the server does: its missing key used to surface only after the cheap stage
        AnnotatorOptions local = AnnotatorOptions.builder("local").build();
        AnnotatorOptions server = AnnotatorOptions.builder("openai").model("big").apiKeyEnv("BIG_MODEL_KEY").environment(Map.of())
                .build();
        EnrichJob.Cascading settings = new EnrichJob.Cascading(AnnotatorOptions.builder("local"), "local", 10,
                List.of(new Target.Accuracy(0.95)), 0.1, 2, 7);
        CascadeRun cascade = new CascadeRun(settings, local, server, OutputSchema.singleLabel("predicted", List.of("spam", "ham")),
                RowText.columns("text"), GoldColumns.parse("gold"), dir.resolve("out.csv"), null, 10);
        Table table = Table.create("in", tech.tablesaw.api.StringColumn.create("text", "a", "b"),
                tech.tablesaw.api.StringColumn.create("gold", "spam", "ham"));
        AtomicInteger stagesRun = new AtomicInteger();
        NotebenchException e = assertThrows(NotebenchException.class, () -> cascade.run(table, List.of(),
                (rows, cheap, journal, confidence) -> {
                    stagesRun.incrementAndGet();
                    throw new AssertionError("no stage may run");
                }));
        assertEquals(List.of(ErrorCode.CONFIG_INVALID, "the environment variable BIG_MODEL_KEY holds no API key; set it before"
                + " starting the kernel or the command (never in a notebook), or give no key variable for a local server that"
                + " needs none", 0), List.of(e.code(), e.getMessage(), stagesRun.get()));
    }

    @Test
    void aTargetNamingALabelTheRunDoesNotHaveIsRefusedBeforeAnyCall() throws Exception {
        try (Models m = new Models()) {
            EnrichJob job = job(m, List.of("--target-accuracy", "0.9", "--target-recall", "spamm=0.95"));
            NotebenchException e = assertThrows(NotebenchException.class, () -> run(job, () -> false));
            assertEquals(List.of(ErrorCode.CONFIG_INVALID, "--target-recall spamm=0.95: 'spamm' is not a label of this run; its labels"
                    + " are spam, ham (--target-recall LABEL=R with one of them)", 0), List.of(e.code(), e.getMessage(),
                    m.server.requests()), "refused before any request");
        }
    }

    @Test
    void anInputThatIsACascadeStageJournalOfTheOutputIsRefusedAndLeftAlone() throws Exception {
        try (Models m = new Models()) {
            for (String stage : List.of("cheap", "sample", "escalated")) {
                Path journal = dir.resolve("out.csv.cascade-" + stage + ".journal.jsonl");
                Files.copy(input(), journal, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                byte[] before = Files.readAllBytes(journal);
                List<String> args = new ArrayList<>(List.of("--input", journal.toString(), "--out", dir.resolve("out.csv").toString(),
                        "--text", "text", "--labels", "spam,ham", "--single", "--gold", "gold", "--base-url", m.server.baseUrl(),
                        "--model", "big", "--cascade", "small", "--target-accuracy", "0.95", "--no-cache"));
                NotebenchException e = assertThrows(NotebenchException.class,
                        () -> run(EnrichOptions.parse(args, "Spam or ham?", Map.of(), dir), () -> false));
                String label = "the " + stage + " stage's journal of --cascade (named after --out)";
                assertEquals(label + " " + journal + " is the same file as --input " + journal + "; writing it would destroy the"
                        + " input: give " + label + " another path", e.getMessage());
                assertEquals(ErrorCode.CONFIG_INVALID, e.code());
                assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(journal)), stage + ": the input is unchanged");
                assertEquals(0, m.server.requests());
                assertTrue(Files.notExists(dir.resolve("out.csv")), "nothing written");
                Files.delete(journal);
            }
        }
    }

    @Test
    void targetOptionsAreCheckedBeforeAnyCall() {
        java.util.function.Function<List<String>, String> refused = extra -> refusal(java.util.stream.Stream.concat(java.util.stream.Stream.of("--input",
                "in.csv", "--out", "out.csv", "--text", "t", "--labels", "a,b", "--single", "--cascade", "local", "--gold", "g"),
                extra.stream()).toList());
        assertEquals("--target-recall a0.9 is not LABEL=R: give a label and a value, e.g. --target-recall spam=0.95",
                refused.apply(List.of("--target-recall", "a0.9")));
        assertEquals("--target-precision =0.9 is not LABEL=P: give a label and a value, e.g. --target-precision spam=0.95",
                refused.apply(List.of("--target-precision", "=0.9")));
        assertEquals("--target-precision a=high: P must be a number strictly between 0 and 1, e.g. --target-precision a=0.95",
                refused.apply(List.of("--target-precision", "a=high")));
        assertEquals("--target-recall a=1: R must lie strictly between 0 and 1, not 1.0",
                refused.apply(List.of("--target-recall", "a=1")));
        assertEquals("--target-precision b=0: P must lie strictly between 0 and 1, not 0.0",
                refused.apply(List.of("--target-accuracy", "0.9", "--target-precision", "b=0")));
        assertEquals("--target-recall a is given twice: give one --target-recall per label",
                refused.apply(List.of("--target-recall", "a=0.9", "--target-recall", "a=0.95")));
        assertEquals("--target-accuracy, --target-precision, --target-recall, --cascade-sample and --delta go with --cascade",
                refusal(List.of("--input", "in.csv", "--out", "out.csv", "--text", "t", "--labels", "a,b", "--target-recall", "a=0.9")));
    }

    /** The message of the refusal of some options. */
    private static String refusal(List<String> args) {
        return assertThrows(NotebenchException.class, () -> EnrichOptions.parse(args, "", Map.of(), Path.of("/tmp"))).getMessage();
    }

    @Test
    void cascadeOptionsAreCheckedTogether() {
        List<String> base = List.of("--input", "in.csv", "--out", "out.csv", "--text", "t", "--labels", "a,b", "--single");
        java.util.function.Function<List<String>, String> refused = extra -> {
            List<String> args = new ArrayList<>(base);
            args.addAll(extra);
            return assertThrows(NotebenchException.class, () -> EnrichOptions.parse(args, "", Map.of(), Path.of("/tmp"))).getMessage();
        };
        assertEquals("--cascade needs --gold COLUMN: the threshold is chosen on a random sample of rows with a gold label",
                refused.apply(List.of("--cascade", "local", "--target-accuracy", "0.9")));
        assertEquals("--cascade needs a target: --target-accuracy A, --target-precision LABEL=P or --target-recall LABEL=R (each"
                + " strictly between 0 and 1), e.g. --target-accuracy 0.95",
                refused.apply(List.of("--cascade", "local", "--gold", "g")));
        assertEquals("--target-accuracy must lie strictly between 0 and 1, not 1.0",
                refused.apply(List.of("--cascade", "local", "--gold", "g", "--target-accuracy", "1")));
        assertEquals("--delta must lie strictly between 0 and 1, not 0.0",
                refused.apply(List.of("--cascade", "local", "--gold", "g", "--target-accuracy", "0.9", "--delta", "0")));
        assertEquals("--target-accuracy, --target-precision, --target-recall, --cascade-sample and --delta go with --cascade",
                refused.apply(List.of("--target-accuracy", "0.9")));
        assertEquals("--cascade small: a model as the cheap stage needs a server (--base-url or --model); use --cascade local for"
                + " the embedded labeler", refused.apply(List.of("--cascade", "small", "--gold", "g", "--target-accuracy", "0.9")));
    }
}
