package dev.notebench.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./notebench spark}, given what a hostile or careless user gives it, as the launcher runs
 * it: {@link SparkCommandLine#main} in a JVM of its own with its logging (the cli module's
 * {@code HostileInputTest} cannot reach Spark's jars, so these cases live here). For each case:
 * the exit status, one line naming what to fix first on standard error (a usage error adds the
 * line pointing at --help; Spark's console progress bar is not counted), no Java stack frame
 * anywhere, and every input byte for byte as it was.
 */
class SparkHostileInputTest {
    @TempDir
    static Path fx;

    /** Stack frames, as printed by Throwable.printStackTrace or a JVM dying of an uncaught error. */
    private static final Pattern STACK = Pattern.compile("(?m)^\\s*at [\\w$.]+\\(.*\\)\\s*$|Exception in thread|^\\s*Caused by: ");
    /** Spark's console progress bar: "[Stage 0:>   (0 + 1) / 1]" redrawn after carriage returns. */
    private static final Pattern PROGRESS = Pattern.compile("\\[Stage [^\\]]*\\]|\\r");
    private static final List<String> LOCAL_2 = List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false");

    private static Path corpus;
    private static Path latin1;
    private static Path csv;
    private static Map<String, String> inputs;

    @BeforeAll
    static void fixtures() throws IOException {
        corpus = Files.writeString(fx.resolve("corpus.txt"), "Smoking causes cancer.\nOil contains carbon.\n", StandardCharsets.UTF_8);
        latin1 = Files.write(fx.resolve("latin1.txt"), "caf\u00e9 cr\u00e8me is a dessert.\n".getBytes(StandardCharsets.ISO_8859_1));
        csv = Files.writeString(fx.resolve("mail.csv"), "id,subject\n1,Cheap meds\n2,Lunch?\n", StandardCharsets.UTF_8);
        Files.createDirectories(fx.resolve("out"));
        inputs = contents();
    }

    private record Case(String name, int status, String firstLine, List<String> words) {
    }

    private static Case refused(String name, int status, String firstLine, String... words) {
        return new Case(name, status, firstLine, List.of(words));
    }

    private static List<String> local(String... words) {
        List<String> all = new ArrayList<>(List.of(words));
        all.addAll(LOCAL_2);
        return all;
    }

    @TestFactory
    Stream<DynamicTest> badInputIsOneLineANonZeroStatusAndNoStackTrace() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String out = fx.resolve("out").toString();
        List<Case> cases = List.of(
                refused("an option without its value", 2, "notebench spark associations: --input needs a value: --input FILE",
                        "associations", "--input"),
                refused("an unknown option", 2, "notebench spark embed: unknown option --frobnicate; the options are [",
                        "embed", "--frobnicate", "3"),
                refused("an unknown command", 2, "notebench spark: unknown command 'train'; the commands are",
                        "train", "--corpus", corpus.toString()),
                refused("a missing --csv file", 1, "notebench spark embed: DATA_NOT_FOUND: --csv " + fx.resolve("none.csv")
                        + " does not exist", "embed", "--csv", fx.resolve("none.csv").toString(), "--column", "subject",
                        "--out", out + "/e.parquet"),
                new Case("a corpus that is not UTF-8, for a tokenizer", 1, "notebench spark tokenizer train: DATA_INVALID: corpus file"
                        + " file:" + latin1 + " is not valid UTF-8 at byte 3; re-encode it as UTF-8",
                        local("tokenizer", "train", "--corpus", latin1.toString(), "--out", out + "/tok", "--vocab", "300")),
                new Case("concepts that are not UTF-8", 1, "notebench spark associations: DATA_INVALID: --input " + latin1
                        + " is not valid UTF-8: a line holds the byte 0xE9 after 'caf'; re-encode it as UTF-8",
                        local("associations", "--input", latin1.toString(), "--out", out + "/a.csv")),
                new Case("a missing column", 1, "notebench spark associations: DATA_INVALID: the DataFrame has no column 'body'",
                        local("associations", "--input", csv.toString(), "--column", "body", "--out", out + "/b.csv")),
                refused("an unreachable master", 2, "notebench spark tokenizer train: CONFIG_INVALID: the Spark master"
                        + " spark://127.0.0.1:1 cannot be reached (", "tokenizer", "train", "--corpus", corpus.toString(), "--out",
                        out + "/tok2", "--master", "spark://127.0.0.1:1"),
                refused("an output that is the input", 2, "notebench spark associations: CONFIG_INVALID: --out " + csv,
                        "associations", "--input", csv.toString(), "--column", "subject", "--out", csv.toString()),
                new Case("a server that cannot be reached", 1, "notebench spark enrich: PROVIDER_FAILED: cannot reach"
                        + " http://127.0.0.1:" + port + "/v1/chat/completions (", local("enrich", "--input", csv.toString(),
                        "--out", out + "/l.csv", "--text", "subject", "--labels", "spam,ham", "--single", "--base-url",
                        "http://127.0.0.1:" + port + "/v1", "--model", "m", "--retries", "0", "--cache", out + "/c.sqlite")));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Ran r = launch(c.words());
            String shown = String.join(" ", c.words()) + "\n--- out:\n" + r.out() + "\n--- err:\n" + r.err();
            List<String> lines = PROGRESS.matcher(r.err()).replaceAll("").strip().lines().toList();
            assertEquals(c.status(), r.status(), shown);
            assertFalse(STACK.matcher(r.err()).find() || STACK.matcher(r.out()).find(), "a stack frame: " + shown);
            assertFalse(lines.isEmpty(), "failed without a word: " + shown);
            assertTrue(lines.get(0).startsWith(c.firstLine()), shown);
            assertTrue(lines.size() == 1 || c.status() == 2 && lines.size() == 2 && lines.get(1).startsWith("See 'notebench spark "),
                    "one line, and for wrong usage the help to see: " + shown);
            assertEquals(inputs, contents(), "an input changed: " + shown);
        }));
    }

    private record Ran(int status, String out, String err) {
    }

    /** Runs {@code ./notebench spark WORDS} as the launcher does: the entry point in a JVM of its own. */
    private static Ran launch(List<String> words) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), SparkCommandLine.class.getName()));
        cmd.addAll(words);
        Path outFile = Files.createTempFile(fx.resolve("out"), "stdout", ".txt");
        Path errFile = Files.createTempFile(fx.resolve("out"), "stderr", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES); // a guard against a hung JVM, not a bound on speed
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "the command did not exit: " + cmd);
        return new Ran(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8), Files.readString(errFile, StandardCharsets.UTF_8));
    }

    /** The fixtures' bytes, by name (outputs left out). */
    private static Map<String, String> contents() throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (Path p : List.of(corpus, latin1, csv)) {
            all.put(p.getFileName().toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
        }
        return all;
    }
}
