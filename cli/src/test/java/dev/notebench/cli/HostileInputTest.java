package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command, given what a hostile or careless user gives it: files that are empty, binary,
 * Latin-1, a directory or missing; an output that is the input; numbers that are not numbers,
 * negative or too large; a directory it may not write. For each case: a non-zero exit, at most
 * three lines on standard error, no Java stack frame anywhere, and every input file byte for byte
 * as it was. A command added to {@code ./notebench} without a row in {@link #COMMANDS} fails
 * {@link #everyCommandHasARowInTheHarness()}, so the harness grows with the commands.
 */
class HostileInputTest {
    @TempDir
    static Path fx;

    /** Stack frames, as printed by Throwable.printStackTrace or a JVM dying of an uncaught error. */
    private static final Pattern STACK = Pattern.compile("(?m)^\\s*at [\\w$.]+\\(.*\\)\\s*$|Exception in thread|^\\s*Caused by: ");

    /** The kinds of hostile file. */
    enum Kind {
        EMPTY, BINARY, LATIN1, DIRECTORY, MISSING
    }

    /**
     * One command: its words with placeholders ({text}, {csv}, {tree}, {manifest}, {tok}, {run},
     * {cache}, {notebook}, {prefix}: fixture files; {out}: a fresh directory for its outputs),
     * which placeholders take hostile files and which kinds, and an output option to point at
     * an input.
     */
    record Row(String command, String words, Map<String, Set<Kind>> hostile, String outputOption, String collidesWith,
               boolean runsBase) {
    }

    private static final Set<Kind> ALL = Set.of(Kind.values());
    private static final Set<Kind> FILES = Set.of(Kind.BINARY, Kind.LATIN1);

    /** The harness's table: a row per command of ./notebench (batch-task is the batch worker's, not a user's). */
    static final List<Row> COMMANDS = List.of(
            new Row("tokenizer train", "tokenizer train --corpus {text} --vocab 300 --out {out}/tok", Map.of("text", ALL),
                    "--out", "text", true),
            new Row("tokenizer encode", "tokenizer encode --tokenizer {tok} hello", Map.of("tok", ALL), null, null, true),
            new Row("tokenizer encode", "tokenizer encode --tokenizer {tok} --corpus {text} --out {out}/ids",
                    Map.of("tok", ALL, "text", ALL), "--out", "text", true),
            new Row("tokenizer stats", "tokenizer stats --tokenizer {tok} --corpus {text}", Map.of("tok", ALL, "text", ALL), null,
                    null, true),
            new Row("tokenizer count", "tokenizer count --tokenizer {tok} --corpus {text}", Map.of("tok", ALL, "text", ALL), null,
                    null, true),
            new Row("associations", "associations --input {text} --out {out}/r.csv --graphml {out}/g.graphml --cooccurrence",
                    Map.of("text", ALL), "--out", "text", true),
            new Row("arrange", "arrange {tree} --out {out}/a.yaml --cache {out}/c.sqlite", Map.of("tree", ALL), "--out", "tree", false),
            new Row("embed", "embed --file {text} --cache {out}/c.sqlite", Map.of("text", ALL), "--cache", "text", false),
            new Row("cache", "cache stats --cache {cache}", Map.of("cache", Set.of(Kind.BINARY, Kind.LATIN1, Kind.DIRECTORY)), null,
                    null, true),
            new Row("enrich", "enrich --input {csv} --text subject --labels spam,ham --single --examples-column label --out {out}/l.csv"
                    + " --no-cache"
                    + " --embedding-cache {out}/c.sqlite", Map.of("csv", ALL), "--out", "csv", false),
            new Row("batch", "batch {manifest}", Map.of("manifest", ALL), null, null, false),
            new Row("report", "report {run} --out {out}/r.html", Map.of("run", ALL), "--out", "metrics", true),
            // an empty runs directory is a valid, empty listing
            new Row("runs", "runs --runs-dir {runs}", Map.of("runs", Set.of(Kind.EMPTY, Kind.BINARY, Kind.LATIN1, Kind.MISSING)),
                    null, null, true),
            // a server runs until stopped: only a runs directory that cannot be one is run (and refused)
            new Row("serve", "serve --runs-dir {runs} --port 0", Map.of("runs", FILES), null, null, false),
            new Row("generate", "generate --run {run} --max-new-tokens 2 hello", Map.of("run", ALL), null, null, false),
            new Row("score", "score --run {run} hello world", Map.of("run", ALL), null, null, false),
            new Row("eval", "eval --run {run} --file {text}", Map.of("run", ALL, "text", ALL), null, null, false),
            new Row("export", "export --run {run} --out {out}/hf", Map.of("run", ALL), null, null, false),
            new Row("train", "train --tokenizer {tok} --corpus {text} --runs-dir {out} --steps 2 --batch 2 --set n_layer=1"
                    + " --set n_head=2 --set d_model=16 --set seq_len=8 --eval-every 2 --eval-batches 1 --device cpu",
                    Map.of("tok", ALL, "text", ALL), null, null, false),
            new Row("kernel install", "kernel install --prefix {prefix} --name hostile", Map.of("prefix", FILES), null, null, false),
            new Row("kernel uninstall", "kernel uninstall --prefix {prefix} --name hostile", Map.of("prefix", FILES), null, null,
                    false),
            new Row("demo", "demo {notebook} --out {out}/demo", Map.of("notebook", ALL), "--out", "notebookDir", false));

    /** Numeric options whose negative values mean something (a seed, a log-ratio threshold). */
    private static final Set<String> NEGATIVE_ALLOWED = Set.of("--seed", "--min-pmi");

    private static final Map<String, Path> FILES_BY_ROLE = new LinkedHashMap<>();
    /** What each case printed, written to target/hostile-input.txt for a reviewer to read. */
    private static final List<String> REPORT = java.util.Collections.synchronizedList(new ArrayList<>());
    private static Map<String, String> hashes;
    private static int counter;

    @BeforeAll
    static void fixtures() throws Exception {
        List<String> sotu = Files.readAllLines(Path.of(System.getProperty("notebench.home"), "datasets/sotu/sotu-sample.txt"));
        Path text = Files.write(fx.resolve("corpus.txt"), sotu.subList(0, 4), StandardCharsets.UTF_8);
        FILES_BY_ROLE.put("text", text);
        FILES_BY_ROLE.put("csv", Files.writeString(fx.resolve("subjects.csv"), "id,subject,label\n1,Cheap meds now,spam\n"
                + "2,Meeting at noon,ham\n3,Win cash fast,spam\n4,Re: the patch,ham\n"));
        FILES_BY_ROLE.put("tree", Files.writeString(fx.resolve("tree.json"), "{\"name\": \"animal\", \"children\": [{\"name\":"
                + " \"dog\"}, {\"name\": \"cat\"}]}"));
        FILES_BY_ROLE.put("manifest", Files.writeString(fx.resolve("batch.yaml"), "workers: 1\ntasks:\n  - {name: rel, type:"
                + " associations, args: [--input, corpus.txt, --out, out/batch-relations.csv]}\n"));
        Path notebook = Files.createDirectories(fx.resolve("nb")).resolve("n.ipynb");
        Files.writeString(notebook, "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        FILES_BY_ROLE.put("notebook", notebook);
        FILES_BY_ROLE.put("notebookDir", notebook.getParent());
        FILES_BY_ROLE.put("prefix", fx.resolve("prefix"));
        FILES_BY_ROLE.put("cache", fx.resolve("cache.sqlite"));
        Path tok = fx.resolve("tok");
        FILES_BY_ROLE.put("tok", tok);
        Result r = run("tokenizer", "train", "--corpus", text.toString(), "--vocab", "300", "--out", tok.toString());
        assertEquals(0, r.status(), r.err());
        Path runs = fx.resolve("runs");
        FILES_BY_ROLE.put("runs", runs);
        r = run("train", "--tokenizer", tok.toString(), "--corpus", text.toString(), "--runs-dir", runs.toString(), "--run-id",
                "tiny", "--steps", "2", "--batch", "2", "--set", "n_layer=1", "--set", "n_head=2", "--set", "d_model=16", "--set",
                "seq_len=8", "--eval-every", "2", "--eval-batches", "1", "--device", "cpu");
        assertEquals(0, r.status(), r.out() + r.err());
        FILES_BY_ROLE.put("run", runs.resolve("tiny"));
        FILES_BY_ROLE.put("metrics", runs.resolve("tiny/metrics.jsonl"));

        Files.write(fx.resolve("hostile-empty"), new byte[0]);
        byte[] binary = new byte[4096];
        new Random(16).nextBytes(binary);
        binary[0] = (byte) 0xFF;
        binary[1] = 0;
        Files.write(fx.resolve("hostile-binary"), binary);
        Files.write(fx.resolve("hostile-latin1"), "id,subject\n1,caf\u00e9 cr\u00e8me\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.createDirectories(fx.resolve("hostile-directory"));
        Files.createDirectories(fx.resolve("out"));
        hashes = hashInputs();
    }

    /** A file of each kind. */
    private static Path hostile(Kind kind) {
        return fx.resolve("hostile-" + kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    private record Result(int status, String out, String err) {
    }

    /** Runs a command in this JVM, catching whatever it writes to the process's streams as well as to its writers. */
    private static synchronized Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream sysOut = System.out;
        PrintStream sysErr = System.err;
        ByteArrayOutputStream strayOut = new ByteArrayOutputStream();
        ByteArrayOutputStream strayErr = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(strayOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(strayErr, true, StandardCharsets.UTF_8));
            status = Notebench.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(sysOut);
            System.setErr(sysErr);
        }
        return new Result(status, out + strayOut.toString(StandardCharsets.UTF_8), err + strayErr.toString(StandardCharsets.UTF_8));
    }

    private static String[] words(Row row, Map<String, Path> files) throws IOException {
        Path out = Files.createDirectories(fx.resolve("out").resolve("case-" + counter++));
        String w = row.words().replace("{out}", out.toString());
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(w);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(s, Matcher.quoteReplacement(files.get(m.group(1)).toString()));
        }
        m.appendTail(s);
        return s.toString().split(" ");
    }

    private static Map<String, String> hashInputs() throws IOException {
        Map<String, String> h = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(fx)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = fx.relativize(p).toString();
                if (rel.startsWith("out/") || rel.endsWith(".html") || rel.contains(".sqlite")) {
                    continue; // outputs of the valid runs, reports, and SQLite's own journal files
                }
                h.put(rel, sha256(p));
            }
        }
        return h;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The contract every hostile case keeps. */
    private static void refusedCleanly(String[] args, Result r) throws IOException {
        String shown = String.join(" ", args) + "\n--- out:\n" + r.out() + "\n--- err:\n" + r.err();
        assertNotEquals(0, r.status(), "accepted: " + shown);
        assertTrue(r.err().strip().lines().count() <= 3, "more than 3 lines on stderr: " + shown);
        assertFalse(STACK.matcher(r.err()).find() || STACK.matcher(r.out()).find(), "a stack frame: " + shown);
        assertFalse(r.err().isBlank(), "failed without a word: " + shown);
        assertFalse(r.err().contains("INTERNAL"), "a check is missing: " + shown);
        REPORT.add(String.join(" ", args).replace(fx.toString(), "FX") + "\n  exit " + r.status() + ": "
                + r.err().strip().replace(fx.toString(), "FX").replace("\n", "\n  "));
        assertEquals(hashes, hashInputs(), "an input changed: " + shown);
    }

    @org.junit.jupiter.api.AfterAll
    static void writeWhatEachCaseSaid() throws IOException {
        Files.write(Path.of("target", "hostile-input.txt"), REPORT, StandardCharsets.UTF_8);
    }

    @Test
    void everyCommandHasARowInTheHarness() {
        List<String> commands = new ArrayList<>();
        collect(Notebench.commandLine(), "", commands);
        List<String> rows = COMMANDS.stream().map(Row::command).toList();
        for (String c : commands) {
            assertTrue(rows.contains(c) || rows.stream().anyMatch(r -> r.startsWith(c + " ")), "no harness row for '" + c + "'");
        }
    }

    private static void collect(CommandLine cl, String prefix, List<String> into) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            String name = (prefix + " " + e.getKey()).strip();
            if (e.getValue().getCommandSpec().usageMessage().hidden() || e.getKey().equals("help")) {
                continue;
            }
            if (e.getValue().getSubcommands().isEmpty()) {
                into.add(name);
            } else {
                collect(e.getValue(), name, into);
            }
        }
    }

    /** The valid invocation each row varies is valid: run where cheap, parsed where heavy, so no case passes by accident. */
    @TestFactory
    Stream<DynamicTest> theValidInvocationOfEveryRowIsAccepted() {
        return COMMANDS.stream().map(row -> DynamicTest.dynamicTest(row.command(), () -> {
            String[] args = words(row, FILES_BY_ROLE);
            if (row.runsBase()) {
                Result r = run(args);
                assertEquals(0, r.status(), String.join(" ", args) + "\n" + r.out() + r.err());
            } else {
                Notebench.commandLine().parseArgs(args);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> hostileFilesAreRefusedCleanly() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : COMMANDS) {
            for (Map.Entry<String, Set<Kind>> role : new TreeMap<>(row.hostile()).entrySet()) {
                for (Kind kind : Kind.values()) {
                    if (!role.getValue().contains(kind)) {
                        continue;
                    }
                    tests.add(DynamicTest.dynamicTest(row.command() + " with a " + kind + " " + role.getKey(), () -> {
                        Map<String, Path> files = new LinkedHashMap<>(FILES_BY_ROLE);
                        files.put(role.getKey(), kind == Kind.MISSING ? fx.resolve("no/such/file") : hostile(kind));
                        String[] args = words(row, files);
                        refusedCleanly(args, run(args));
                    }));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> anOutputThatIsAnInputIsRefused() {
        return COMMANDS.stream().filter(r -> r.outputOption() != null).map(row -> DynamicTest.dynamicTest(row.command() + " "
                + row.outputOption() + " naming its " + row.collidesWith(), () -> {
                    List<String> args = new ArrayList<>(List.of(words(row, FILES_BY_ROLE)));
                    args.set(args.indexOf(row.outputOption()) + 1, FILES_BY_ROLE.get(row.collidesWith()).toString());
                    String[] a = args.toArray(String[]::new);
                    Result r = run(a);
                    refusedCleanly(a, r);
                }));
    }

    /** Every numeric option of every command, from picocli's model or the shared option tables. */
    @TestFactory
    Stream<DynamicTest> numbersThatAreNotNumbersOrOutOfRangeAreOneLine() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : COMMANDS) {
            for (Map.Entry<String, Boolean> option : numericOptions(row).entrySet()) {
                List<String> values = new ArrayList<>(List.of("abc", "NaN", "Infinity"));
                if (!option.getValue()) {
                    values.add("99999999999999999999");
                }
                if (!NEGATIVE_ALLOWED.contains(option.getKey())) {
                    values.add("-3");
                }
                for (String value : values) {
                    tests.add(DynamicTest.dynamicTest(row.command() + " " + option.getKey() + " " + value, () -> {
                        List<String> args = new ArrayList<>(List.of(words(row, FILES_BY_ROLE)));
                        int at = args.indexOf(option.getKey());
                        if (at >= 0) {
                            args.set(at + 1, value);
                        } else {
                            args.addAll(List.of(option.getKey(), value));
                        }
                        String[] a = args.toArray(String[]::new);
                        Result r = run(a);
                        refusedCleanly(a, r);
                        // the refusal is about this value, not something else the base got wrong
                        assertTrue(r.err().contains(value) || r.err().contains(value.replace("-3", "-3.0")), "refused for another"
                                + " reason: " + String.join(" ", a) + "\n" + r.err());
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** A row's numeric options: name to whether it takes fractions (huge values are then valid numbers). */
    private static Map<String, Boolean> numericOptions(Row row) {
        CommandLine cl = Notebench.commandLine();
        for (String part : row.command().split(" ")) {
            cl = cl.getSubcommands().get(part);
        }
        Map<String, Boolean> options = new TreeMap<>();
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            Class<?> t = o.type();
            boolean fraction = t == double.class || t == Double.class || t == float.class || t == Float.class;
            if (fraction || t == int.class || t == Integer.class || t == long.class || t == Long.class) {
                options.put(o.longestName(), fraction);
            }
        }
        return options;
    }

    @TestFactory
    Stream<DynamicTest> aDirectoryThisUserMayNotWriteIsNamedAsSuch() throws Exception {
        Path ro = Files.createDirectories(fx.resolve("out/read-only"));
        List<String[]> cases = List.of(
                new String[] {"associations", "--input", FILES_BY_ROLE.get("text").toString(), "--out", ro + "/r.csv"},
                new String[] {"tokenizer", "train", "--corpus", FILES_BY_ROLE.get("text").toString(), "--vocab", "300", "--out",
                        ro + "/tok"},
                new String[] {"report", FILES_BY_ROLE.get("run").toString(), "--out", ro + "/r.html"},
                new String[] {"cache", "stats", "--cache", ro + "/c.sqlite"},
                new String[] {"arrange", FILES_BY_ROLE.get("tree").toString(), "--out", ro + "/a.yaml", "--cache",
                        fx.resolve("out/ro-cache.sqlite").toString()});
        return cases.stream().map(args -> DynamicTest.dynamicTest(String.join(" ", args).replace(fx.toString(), "FX"), () -> {
            ro.toFile().setWritable(false, false);
            try {
                Result r = runProcess(List.of(), args);
                refusedCleanly(args, r);
                assertTrue(r.err().startsWith("notebench: ACCESS_DENIED: "), r.err());
                assertTrue(r.err().contains(ro.toString()), r.err());
            } finally {
                ro.toFile().setWritable(true, false);
            }
        }));
    }

    @Test
    void runningOutOfHeapIsOneLineNamingTheSetting() throws Exception {
        Path big = fx.resolve("out/big.txt");
        String line = "The economy grows when markets such as banks and other lenders lend.\n";
        Files.writeString(big, line.repeat(48 * 1024 * 1024 / line.length()));
        String[] args = {"associations", "--input", big.toString(), "--out", fx.resolve("out/big.csv").toString()};
        Result r = runProcess(List.of("-Xmx32m"), args);
        refusedCleanly(args, r);
        assertTrue(r.err().strip().matches("notebench: OUT_OF_MEMORY: the Java heap \\(at most 3[0-2] MB\\) ran out; give the command"
                + " more, e\\.g\\. NOTEBENCH_JAVA_OPTS=-Xmx1g \\./notebench \\.\\.\\., or less data at once"), r.err());
    }

    /**
     * Runs the command line in a JVM of its own. As root (who may write anywhere), the JVM runs
     * without the capabilities that bypass file permissions, so a read-only directory is read-only.
     */
    private static Result runProcess(List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Notebench.class.getName()));
        cmd.addAll(List.of(args));
        Path outFile = Files.createTempFile(fx.resolve("out"), "stdout", ".txt");
        Path errFile = Files.createTempFile(fx.resolve("out"), "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the command did not exit: " + cmd);
        return new Result(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
    }
}
