package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a careless user could do to the command line and what they now get: one line saying what
 * to fix, with the data they gave left as it was.
 */
class CommandLineHardeningTest {
    @TempDir
    Path tmp;

    private record Result(int status, String out, String err) {
    }

    /** Runs in this JVM; what goes to the process's standard error (picocli's warnings) counts as error output. */
    private static synchronized Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream sysErr = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
            status = Notebench.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setErr(sysErr);
        }
        return new Result(status, out.toString(), err + stray.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anAssociationsOutputNamingTheInputIsRefusedAndTheInputKept() throws Exception {
        Path text = Files.writeString(tmp.resolve("T.txt"), "Smoking causes cancer.\n");
        Result r = run("associations", "--input", text.toString(), "--out", text.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: --out " + text + " is the same file as --input " + text + "; writing it would"
                + " destroy the input: give --out another path", r.err().strip());
        assertEquals("Smoking causes cancer.\n", Files.readString(text));
    }

    @Test
    void arrangeOutNamingTheTreeIsRefusedAndTheTreeKept() throws Exception {
        String json = "{\"name\": \"animal\", \"children\": [{\"name\": \"dog\"}]}";
        Path tree = Files.writeString(tmp.resolve("tree.json"), json);
        Result r = run("arrange", tree.toString(), "--out", tree.toString(), "--cache", tmp.resolve("c.sqlite").toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: --out " + tree + " is the same file as TREE " + tree + "; writing it would"
                + " destroy the input: give --out another path", r.err().strip());
        assertEquals(json, Files.readString(tree));
    }

    @Test
    void aReportOverTheRunsMetricsIsRefusedAndTheMetricsKept() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("runs/tiny"));
        Files.writeString(run.resolve("manifest.json"), "{\"id\": \"tiny\", \"family\": \"gpt\", \"config\": {}}");
        String metrics = "{\"step\": 1, \"split\": \"train\", \"loss\": 4.0, \"time\": \"2026-12-07T00:00:00Z\"}\n";
        Files.writeString(run.resolve("metrics.jsonl"), metrics);
        Result r = run("report", run.toString(), "--out", run.resolve("metrics.jsonl").toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: --out " + run.resolve("metrics.jsonl") + " is the same file as the run tiny's "
                + run.resolve("metrics.jsonl") + "; writing it would destroy the input: give --out another path", r.err().strip());
        assertEquals(metrics, Files.readString(run.resolve("metrics.jsonl")));
        r = run("report", run.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isRegularFile(run.resolve("report.html")));
        r = run("report", run.toString());
        assertEquals(0, r.status(), "a report replaces the report: " + r.err());
    }

    @Test
    void aVocabularyTooLargeToTrainIsOneLine() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "the cat sat on the mat\n".repeat(20));
        Result r = run("tokenizer", "train", "--corpus", corpus.toString(), "--vocab", "2147483647", "--out",
                tmp.resolve("tok").toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: vocab 2147483647 is more than 16777216, the largest vocabulary Notebench trains;"
                + " ask for fewer (GPT-2 has 50257 tokens, LLaMA 3 128256)", r.err().strip());
    }

    @Test
    void aTypeErrorIsOneLinePlusWhereTheHelpIs() {
        Result r = run("tokenizer", "train", "--corpus", "c.txt", "--out", "tok", "--vocab", "abc");
        assertEquals(2, r.status());
        assertEquals("Invalid value for option '--vocab': 'abc' is not a whole number of at least 0\n"
                + "See 'notebench tokenizer train --help'.", r.err().strip());
        r = run("enrich", "--input", "x.csv", "--text", "t", "--labels", "a,b", "--out", "y.csv", "--workers", "0");
        assertEquals(2, r.status());
        assertEquals(2, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().endsWith("See 'notebench enrich --help'.\n"), r.err());
        r = run("kernal");
        assertEquals("Unmatched argument at index 0: 'kernal'\nDid you mean kernel?\nSee 'notebench --help'.", r.err().strip());
    }

    @Test
    void everyHelpTextFormatsWithoutAWarning() {
        for (String[] cmd : new String[][] {{"--help"}, {"train", "--help"}, {"batch", "--help"}, {"tokenizer", "train", "--help"},
                {"enrich", "--help"}, {"associations", "--help"}, {"generate", "--help"}, {"report", "--help"}, {"demo", "--help"},
                {"embed", "--help"}, {"arrange", "--help"}, {"cache", "--help"}, {"runs", "--help"}, {"eval", "--help"},
                {"score", "--help"}, {"serve", "--help"}, {"kernel", "install", "--help"}}) {
            Result r = run(cmd);
            assertEquals(0, r.status(), String.join(" ", cmd));
            assertEquals("", r.err(), String.join(" ", cmd));
            assertTrue(!r.out().contains("%n") && !r.out().contains("%%"), "an unformatted format string in "
                    + String.join(" ", cmd) + ":\n" + r.out());
        }
    }

    @Test
    void aTreeThatIsNotUtf8NamesTheByte() throws Exception {
        Path tree = Files.write(tmp.resolve("tree.json"), "{\"name\": \"L\u00f6we\"}".getBytes(StandardCharsets.ISO_8859_1));
        Result r = run("arrange", tree.toString(), "--cache", tmp.resolve("c.sqlite").toString());
        assertEquals(1, r.status());
        assertEquals("notebench: DATA_INVALID: the tree " + tree + " is not UTF-8: byte 11 (line 1) is not valid UTF-8; convert it,"
                + " e.g. iconv -f cp1252 -t utf-8", r.err().strip());
    }

    @Test
    void batchManifestsAreCheckedWholeBeforeAnyWorkerStarts() throws Exception {
        Files.writeString(tmp.resolve("words.txt"), "lion\n");
        Path manifest = tmp.resolve("batch.yaml");
        String task = "tasks:\n  - {name: a, type: embed, file: words.txt}\n";
        String[][] cases = {
                {"workers: 0\n" + task, "DATA_INVALID: workers must be a whole number from 1 to 2147483647 (the manifest has workers: 0)"},
                {"workers: two\n" + task, "DATA_INVALID: workers must be a whole number from 1 to 2147483647 (the manifest has workers: two)"},
                {"worker_memory_mb: -5\n" + task, "DATA_INVALID: worker_memory_mb must be a whole number from 1 to 1073741824 (the manifest has"
                        + " worker_memory_mb: -5)"},
                {"worker: 2\n" + task, "DATA_INVALID: the manifest has an unknown field 'worker'; its fields are cache, workers, worker_memory_mb,"
                        + " tasks"},
                {"tasks:\n  - {name: a, type: embed}\n", "DATA_INVALID: task a (embed) needs the texts: file (a text file, one text a line), or"
                        + " csv and column (a CSV file and its column), not both"},
                {"tasks:\n  - {name: a, type: embed, csv: s.csv}\n", "DATA_INVALID: task a (embed) needs the texts: file (a text file, one text a"
                        + " line), or csv and column (a CSV file and its column), not both"},
                {"tasks:\n  - {name: a, type: embed, file: words.txt, colum: x}\n", "DATA_INVALID: task a has an unknown field 'colum'; embed"
                        + " tasks take name, type, file, csv, column, model"},
                {"tasks:\n  - {name: a, type: arrange, tree: t.json}\n", "DATA_INVALID: task a (arrange) needs tree (a JSON or YAML tree) and out"
                        + " (the YAML to write)"},
                {"tasks:\n  - {name: a, type: associations}\n", "DATA_INVALID: task a (associations) needs args: the options of notebench"
                        + " associations as a list, e.g. [--input, sotu.txt, --out, associations.csv]"},
                {"tasks:\n  - {name: a, type: associations, args: [--input, words.txt, --out, words.txt]}\n", "CONFIG_INVALID: task a's --out "
                        + tmp.resolve("words.txt") + " is the same file as task a's --input " + tmp.resolve("words.txt")
                        + "; writing it would destroy the input: give task a's --out another path"},
                {"tasks:\n  - {name: a, type: associations, args: [--input, words.txt, --out, r.csv]}\n"
                        + "  - {name: b, type: arrange, tree: t.json, out: r.csv}\n", "CONFIG_INVALID: task b's out " + tmp.resolve("r.csv")
                        + " is the same file as task a's --out " + tmp.resolve("r.csv") + "; one would overwrite the other: give"
                        + " them different paths"}};
        for (String[] c : cases) {
            Files.writeString(manifest, c[0]);
            Result r = run("batch", manifest.toString());
            assertEquals(1, r.status(), c[0]);
            assertEquals("notebench: " + c[1], r.err().strip(), c[0]);
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("batch.yaml", "words.txt"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("lion\n", Files.readString(tmp.resolve("words.txt")));
    }

    @Test
    void aWorkerOutOfMemoryIsNamedWithTheSettingToRaise() throws Exception {
        String line = "The economy grows when markets such as banks and other lenders lend.\n";
        Files.writeString(tmp.resolve("big.txt"), line.repeat(96 * 1024 * 1024 / line.length()));
        Files.writeString(tmp.resolve("small.txt"), "Smoking causes cancer.\n");
        Path manifest = Files.writeString(tmp.resolve("batch.yaml"), "worker_memory_mb: 64\nworkers: 1\ntasks:\n"
                + "  - {name: big, type: associations, args: [--input, big.txt, --out, big.csv]}\n"
                + "  - {name: small, type: associations, args: [--input, small.txt, --out, small.csv]}\n");
        Result r = run("batch", manifest.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(1).matches("big +associations +failed +0 +[0-9.]+  OUT_OF_MEMORY: the worker ran out of its 64 MB Java"
                + " heap \\(3/4 of worker_memory_mb\\); raise worker_memory_mb in the manifest"), r.out());
        assertTrue(lines.get(2).matches("small +associations +ok +1 .*"), r.out());
    }

    @Test
    void workerReasonsAreTheirOwnLineNeverAStackFrame() {
        assertEquals("DATA_NOT_FOUND: cannot read the input: x does not exist", BatchCommand.reason(
                "notebench: DATA_NOT_FOUND: cannot read the input: x does not exist\n", 1, 768));
        assertEquals("java.lang.IllegalStateException: boom", BatchCommand.reason("Exception in thread \"main\" "
                + "java.lang.IllegalStateException: boom\n\tat dev.notebench.cli.Notebench.main(Notebench.java:1)\n", 1, 768));
        assertEquals("the worker exited with status 137 and wrote no error", BatchCommand.reason("", 137, 768));
    }
}
