package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every magic of the kernel, given hostile input through a real Jupyter client: files that are
 * empty, binary, Latin-1, a directory or missing, an output that is the input, numbers that are
 * not numbers or out of range, arguments that make no sense. For each cell: an error reply, a
 * traceback of at most three lines without a Java stack frame, a kernel that still answers the
 * next cell, and every input file byte for byte as it was. A magic without a row here fails
 * {@link #hostileMagicsAreRefusedCleanlyAndTheKernelLives()}: the harness grows with the magics.
 */
class HostileMagicsIT {
    @TempDir
    Path tmp;

    private static final Pattern STACK = Pattern.compile("(?m)^\\s*at [\\w$.]+\\(.*\\)\\s*$|Exception in thread|^\\s*Caused by: ");
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

    private Map<String, String> hashes() throws Exception {
        Map<String, String> h = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tmp.resolve("fx"))) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (!p.toString().endsWith(".html") && !p.toString().contains(".sqlite")) {
                    h.put(tmp.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(p))));
                }
            }
        }
        return h;
    }

    @Test
    void hostileMagicsAreRefusedCleanlyAndTheKernelLives() throws Exception {
        JupyterSandbox jupyter = JupyterSandbox.create(tmp.resolve("jupyter"));
        Path fx = Files.createDirectories(tmp.resolve("fx"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        List<String> sotu = Files.readAllLines(JupyterSandbox.projectHome().resolve("datasets/sotu/sotu-sample.txt"));
        Path text = Files.write(fx.resolve("corpus.txt"), sotu.subList(0, 3), StandardCharsets.UTF_8);
        Path csv = Files.writeString(fx.resolve("subjects.csv"), "id,subject\n1,Cheap meds now\n2,Meeting at noon\n");
        Path tree = Files.writeString(fx.resolve("tree.json"), "{\"name\": \"animal\", \"children\": [{\"name\": \"dog\"}]}");
        Path tok = fx.resolve("tok");
        jupyter.launcher(List.of("tokenizer", "train", "--corpus", text.toString(), "--vocab", "300", "--out", tok.toString()));
        jupyter.launcher(List.of("train", "--tokenizer", tok.toString(), "--corpus", text.toString(), "--runs-dir",
                fx.resolve("runs").toString(), "--run-id", "tiny", "--steps", "2", "--batch", "2", "--set", "n_layer=1", "--set",
                "n_head=2", "--set", "d_model=16", "--set", "seq_len=8", "--eval-every", "2", "--eval-batches", "1", "--device",
                "cpu"));
        Path run = fx.resolve("runs/tiny");
        Files.write(fx.resolve("empty"), new byte[0]);
        byte[] binary = new byte[2048];
        new Random(16).nextBytes(binary);
        binary[0] = (byte) 0xFF;
        Files.write(fx.resolve("binary"), binary);
        Files.write(fx.resolve("latin1"), "id,subject\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.createDirectories(fx.resolve("directory"));
        List<String> hostile = List.of(fx.resolve("empty").toString(), fx.resolve("binary").toString(),
                fx.resolve("latin1").toString(), fx.resolve("directory").toString(), fx.resolve("no/such/file").toString());
        List<String> numbers = List.of("abc", "-3", "99999999999999999999", "NaN");

        // magic -> the cells that must each be refused: {F} takes every hostile file, {V} every hostile number
        Map<String, List<String>> rows = new LinkedHashMap<>();
        rows.put("tokenizer", List.of("%tokenizer train --corpus {F} --out " + out + "/t1 --vocab 300",
                "%tokenizer train --corpus " + text + " --out " + text,
                "%tokenizer train --corpus " + text + " --out " + out + "/t2 --vocab {V}",
                "%tokenizer encode --tokenizer {F} hello"));
        rows.put("associations", List.of("%associations --input {F} --out " + out + "/r.csv",
                "%associations --input " + text + " --out " + text,
                "%associations --input " + text + " --workers {V}"));
        rows.put("arrange", List.of("%arrange {F} --out " + out + "/a.yaml --cache " + out + "/c.sqlite",
                "%arrange " + tree + " --out " + tree + " --cache " + out + "/c.sqlite",
                "%arrange " + tree + " --threads {V} --cache " + out + "/c.sqlite"));
        rows.put("embed", List.of("%embed --cache " + fx.resolve("binary") + " hello", "%embed --nearest {V} --cache " + out
                + "/c.sqlite hello"));
        rows.put("cache", List.of("%cache stats --cache " + fx.resolve("binary"), "%cache clear --older-than-days {V} --cache "
                + out + "/c.sqlite", "%cache shred"));
        rows.put("enrich", List.of("%%enrich --input {F} --text subject --labels spam,ham --single --out " + out + "/l.csv\nspam: ads",
                "%%enrich --input " + csv + " --text subject --labels spam,ham --single --out " + csv + "\nspam: ads",
                "%%enrich --input " + csv + " --text subject --labels spam,ham --single --out " + out + "/l.csv --workers {V}\nspam"));
        // runs go under out/, never into the notebooks directory the kernel starts in
        rows.put("train", List.of("%train --tokenizer {F} --corpus " + text + " --steps 2 --runs-dir " + out + "/runs",
                "%train --tokenizer " + tok + " --corpus {F} --steps 2 --runs-dir " + out + "/runs",
                "%train --tokenizer " + tok + " --corpus " + text + " --runs-dir " + out + " --steps {V}"));
        rows.put("generate", List.of("%generate --run {F} hello", "%generate --run " + run + " --max-new-tokens {V} hello"));
        rows.put("score", List.of("%score --run {F} hello", "%score --run " + run + " --top-k {V} hello", "%score --model {F} hello"));
        rows.put("eval", List.of("%eval --run {F}", "%eval --run " + run + " --file {F}"));
        rows.put("export", List.of("%export --run {F} --out " + out + "/hf", "%export --model {F} --out " + out + "/hf2",
                "%export --run " + run + " --out " + run));
        // an empty runs directory is a valid, empty listing: the other kinds only
        rows.put("runs", List.of("%runs --runs-dir " + hostile.get(1), "%runs --runs-dir " + hostile.get(4)));
        rows.put("report", List.of("%report {F}", "%report " + run + " --out " + run.resolve("metrics.jsonl"),
                "%report " + run + " --out " + out + "/r.html --smoothing {V}"));
        rows.put("maven", List.of("%maven not-a-coordinate", "%maven org.example:nothing:1.0 --offline"));
        rows.put("mavenRepo", List.of("%mavenRepo only-an-id"));
        rows.put("jars", List.of("%jars {F}"));
        rows.put("classpath", List.of("%classpath " + fx.resolve("no/such/*.jar")));
        rows.put("time", List.of("%time int x = ;"));
        rows.put("lsmagic", List.of("%lsmagic --all"));
        rows.put("help", List.of("%help nosuchmagic"));

        List<String> cells = new ArrayList<>();
        cells.add("%lsmagic");
        for (List<String> templates : rows.values()) {
            for (String t : templates) {
                for (String f : t.contains("{F}") ? hostile : List.of("")) {
                    for (String v : t.contains("{V}") ? numbers : List.of("")) {
                        cells.add(t.replace("{F}", f).replace("{V}", v));
                    }
                }
            }
        }
        Map<String, String> before = hashes();
        Path cellsFile = Files.writeString(tmp.resolve("cells.json"), new Gson().toJson(cells));
        Path script = JupyterSandbox.projectHome().resolve("notebooks/src/test/python/run_cells.py");
        ProcessBuilder pb = new ProcessBuilder(jupyter.python().toString(), script.toString(), JupyterSandbox.KERNEL,
                cellsFile.toString()).redirectError(tmp.resolve("stderr.txt").toFile());
        pb.environment().putAll(jupyter.env);
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.MINUTES), "the cells did not finish");
        assertEquals(0, p.exitValue(), stdout + Files.readString(tmp.resolve("stderr.txt")));
        JsonArray results = JsonParser.parseString(stdout.strip().lines().reduce((a, b) -> b).orElseThrow()).getAsJsonArray();

        // every magic the kernel lists has a row
        String listing = String.join("\n", strings(results.get(0).getAsJsonObject().getAsJsonArray("outputs")));
        Matcher m = Pattern.compile("(?m)^%%?([A-Za-z]+)").matcher(listing);
        TreeSet<String> listed = new TreeSet<>();
        while (m.find()) {
            listed.add(m.group(1));
        }
        assertTrue(listed.size() > 10, listing);
        for (String magic : listed) {
            assertTrue(rows.containsKey(magic), "no harness row for %" + magic);
        }

        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 1; i < cells.size(); i++) {
            JsonObject r = results.get(i).getAsJsonObject();
            String shown = String.join("\n", strings(r.getAsJsonArray("traceback"))).replace(tmp.toString(), "TMP");
            String cell = cells.get(i).replace(tmp.toString(), "TMP");
            report.add(cell + "\n  " + r.get("status").getAsString() + ": " + ANSI.matcher(shown).replaceAll("").replace("\n", "\n  "));
            String all = ANSI.matcher(String.join("\n", strings(r.getAsJsonArray("traceback"))) + "\n"
                    + String.join("\n", strings(r.getAsJsonArray("outputs")))).replaceAll("");
            if (!r.get("status").getAsString().equals("error")) {
                failures.add("accepted: " + cell + " -> " + r);
            } else if (shown.isBlank()) {
                failures.add("failed without a word: " + cell + " -> " + r);
            } else if (r.getAsJsonArray("traceback").size() > 3 || shown.lines().count() > 3) {
                failures.add("more than 3 lines: " + cell + " -> " + shown);
            } else if (STACK.matcher(all).find()) {
                failures.add("a stack frame: " + cell + " -> " + all);
            } else if (all.contains("INTERNAL")) {
                failures.add("a check is missing: " + cell + " -> " + all);
            }
            if (!r.get("alive").getAsBoolean()) {
                failures.add("the kernel died: " + cell + " -> " + r);
            }
        }
        Files.createDirectories(JupyterSandbox.projectHome().resolve("notebooks/target"));
        Files.write(JupyterSandbox.projectHome().resolve("notebooks/target/hostile-magics.txt"), report, StandardCharsets.UTF_8);
        assertEquals(List.of(), failures);
        assertEquals(before, hashes(), "an input changed");
    }

    private static List<String> strings(JsonArray a) {
        List<String> s = new ArrayList<>();
        for (JsonElement e : a) {
            s.add(e.getAsString());
        }
        return s;
    }
}
