package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebenchCliTest {
    @TempDir
    Path tmp;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Notebench.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("Usage: notebench [-hV] [--log-format=text|json] [--log-level=LEVEL] [COMMAND]"), r.out());
        assertTrue(r.out().contains("  kernel        Install or remove the Notebench Java kernel for Jupyter."), r.out());
        assertTrue(r.out().contains("  tokenizer     Train, use and measure tokenizers (byte-level BPE, char,"), r.out());
        assertTrue(r.out().contains("  demo          Run the demo notebooks with the Notebench kernel and export"), r.out());
        assertTrue(r.out().contains("  train         Train a language model (gpt or char-lstm) on a corpus with a"), r.out());
        assertTrue(r.out().contains("  enrich        Add columns to a CSV table with an OpenAI-compatible LLM, or"), r.out());
        assertTrue(r.out().contains("  associations  Find typed relations (is-a, part-of, causes, ...) and"), r.out());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String[] cmd : new String[][] {{"kernel", "--help"}, {"kernel", "install", "--help"},
                {"kernel", "uninstall", "--help"}, {"demo", "--help"}, {"tokenizer", "--help"},
                {"tokenizer", "train", "--help"}, {"tokenizer", "encode", "--help"}, {"tokenizer", "stats", "--help"},
                {"train", "--help"}, {"generate", "--help"}, {"score", "--help"}, {"eval", "--help"}, {"runs", "--help"},
                {"report", "--help"}, {"embed", "--help"}, {"cache", "--help"}, {"arrange", "--help"}, {"batch", "--help"},
                {"enrich", "--help"}, {"associations", "--help"}}) {
            Result r = run(cmd);
            assertEquals(0, r.status(), String.join(" ", cmd));
            assertTrue(r.out().startsWith("Usage: notebench " + cmd[0]), r.out());
        }
    }

    @Test
    void wrongUsageExitsTwoWithOneLineSayingWhatIsWrong() {
        Result r = run("kernal");
        assertEquals(2, r.status());
        assertEquals("Unmatched argument at index 0: 'kernal'", r.err().lines().findFirst().orElseThrow());
        r = run("kernel", "install", "--user", "--prefix", tmp.toString());
        assertEquals(2, r.status());
        assertEquals("Error: --user, --prefix=DIR are mutually exclusive (specify only one)", r.err().lines().findFirst().orElseThrow());
        r = run("--log-format", "xml", "kernel", "uninstall", "--prefix", tmp.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: unknown log format 'xml'; use text or json", r.err().strip());
    }

    @Test
    void kernelInstallAndUninstallUnderAPrefix() throws Exception {
        Result r = run("kernel", "install", "--prefix", tmp.toString(), "--name", "nb-cli", "--jvm-opt=-Xmx1g");
        assertEquals(0, r.status(), r.err());
        Path spec = tmp.resolve("share/jupyter/kernels/nb-cli/kernel.json");
        assertEquals("Installed kernel 'nb-cli' in " + spec.getParent() + "\n", r.out());
        String json = Files.readString(spec);
        assertTrue(json.contains("\"-Xmx1g\""), json);
        assertTrue(json.contains("\"DJL_CACHE_DIR\": "), json);

        r = run("kernel", "uninstall", "--prefix", tmp.toString(), "--name", "nb-cli");
        assertEquals(0, r.status());
        assertEquals(false, Files.exists(spec));
        r = run("kernel", "uninstall", "--prefix", tmp.toString(), "--name", "nb-cli");
        assertEquals(1, r.status());
        assertEquals("notebench: no kernel 'nb-cli' in " + tmp.resolve("share/jupyter/kernels")
                + "; `jupyter kernelspec list` shows where kernels are installed", r.err().strip());
    }

    @Test
    void tokenizerTrainWritesAnArtifactAndBadInputIsOneLine() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "the cat sat on the mat\nthe dog sat\n".repeat(20));
        Result r = run("tokenizer", "train", "--corpus", corpus.toString(), "--vocab", "300", "--out", tmp.resolve("tok").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Wrote tokenizer artifact " + tmp.resolve("tok") + " (vocab 272)\n"),
                "merging stops when no pair occurs twice: " + r.out());
        r = run("tokenizer", "encode", "--tokenizer", tmp.resolve("tok").toString(), "the", "cat");
        assertEquals(0, r.status(), r.err());
        assertEquals(2, r.out().lines().count());

        r = run("tokenizer", "train", "--corpus", tmp.resolve("missing.txt").toString(), "--out", tmp.resolve("t2").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("notebench: DATA_NOT_FOUND: corpus " + tmp.resolve("missing.txt") + " does not exist"), r.err());
        r = run("tokenizer", "train", "--corpus", corpus.toString(), "--vocab", "100", "--out", tmp.resolve("t3").toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: vocab 100 is smaller than the 257 tokens a byte-level BPE starts with"
                + " (256 byte symbols + 1 special); ask for at least 257", r.err().strip());
        r = run("tokenizer", "train", "--corpus", corpus.toString(), "--normalize", "nfd", "--out", tmp.resolve("t4").toString());
        assertEquals(2, r.status());
        assertEquals("Invalid value for option '--normalize': 'nfd' is not a choice; use none, nfc or nfkc",
                r.err().lines().findFirst().orElseThrow());
    }

    @Test
    void tokenizerEncodeWritesTokenShardsThatReadBackAsTheCorpusIds() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "the cat sat on the mat\nthe dog sat\n".repeat(20));
        Path tok = tmp.resolve("tok");
        assertEquals(0, run("tokenizer", "train", "--corpus", corpus.toString(), "--vocab", "300", "--out", tok.toString()).status());
        Path out = tmp.resolve("ids");
        Result r = run("tokenizer", "encode", "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--out", out.toString(),
                "--threads", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Wrote 1 shards to " + out + ": "), r.out());
        try (dev.notebench.tokenize.Tokenizer t = dev.notebench.tokenize.TokenizerArtifact.load(tok);
             dev.notebench.tokenize.shards.TokenShards s = dev.notebench.tokenize.shards.TokenShards.open(out)) {
            int[] line = t.encode("the cat sat on the mat\n");
            assertEquals(20L * (line.length + t.encode("the dog sat\n").length), s.tokens());
            for (int i = 0; i < line.length; i++) {
                assertEquals(line[i], s.get(i));
            }
            assertEquals(dev.notebench.internal.Sha256.hex(tok.resolve("tokenizer.json")), s.tokenizerSha256());
        }
        r = run("tokenizer", "encode", "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith(out + " is complete: 1 shards, "), r.out());

        r = run("tokenizer", "encode", "--tokenizer", tok.toString(), "--corpus", corpus.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: --corpus needs --out DIR, the directory of token shards to write", r.err().strip());
        r = run("tokenizer", "encode", "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--out", tmp.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: --out " + tmp + " holds --corpus " + corpus + "; writing it would destroy the"
                + " input: give --out another path", r.err().strip());
        r = run("tokenizer", "encode", "--tokenizer", tok.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: give a TEXT to encode, or --corpus PATH|GLOB and --out DIR to write token shards",
                r.err().strip());
    }

    @Test
    void aCorpusNotInUtf8IsReadByCountAndEncodeWithTheEncodingTheirErrorSuggests() throws Exception {
        Path corpus = Files.write(tmp.resolve("latin1.txt"), "caf\u00e9 au lait\nna\u00efve caf\u00e9\n".repeat(10)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path tok = tmp.resolve("tok");
        assertEquals(0, run("tokenizer", "train", "--corpus", corpus.toString(), "--encoding", "windows-1252", "--vocab", "300",
                "--out", tok.toString()).status());
        Result r = run("tokenizer", "count", "--tokenizer", tok.toString(), "--corpus", corpus.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: DATA_INVALID: corpus file " + corpus + " is not valid UTF-8 at byte 3; re-encode it as UTF-8, or pass"
                + " --encoding CHARSET (e.g. windows-1252) or --errors replace", r.err().strip());
        Path utf8 = Files.writeString(tmp.resolve("utf8.txt"), "caf\u00e9 au lait\nna\u00efve caf\u00e9\n".repeat(10));
        try (dev.notebench.tokenize.Tokenizer t = dev.notebench.tokenize.TokenizerArtifact.load(tok)) {
            String same = run("tokenizer", "count", "--tokenizer", tok.toString(), "--corpus", utf8.toString()).out();
            r = run("tokenizer", "count", "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--encoding", "windows-1252");
            assertEquals(0, r.status(), r.err());
            assertEquals(same.substring(0, same.indexOf(',')), r.out().substring(0, r.out().indexOf(','))); // {"tokens": N
            Path out = tmp.resolve("ids");
            r = run("tokenizer", "encode", "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--out", out.toString(),
                    "--encoding", "windows-1252");
            assertEquals(0, r.status(), r.err());
            try (dev.notebench.tokenize.shards.TokenShards s = dev.notebench.tokenize.shards.TokenShards.open(out)) {
                int[] first = t.encode("caf\u00e9 au lait\n");
                for (int i = 0; i < first.length; i++) {
                    assertEquals(first[i], s.get(i));
                }
            }
        }
        r = run("tokenizer", "stats", "--tokenizer", tok.toString(), "--corpus", corpus.toString(), "--errors", "replace");
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void aBadKernelNameIsOneLineNotAStackTrace() {
        Result r = run("kernel", "install", "--prefix", tmp.toString(), "--name", "my kernel");
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: kernel name 'my kernel' may only have letters, digits, '.', '_' and '-'",
                r.err().strip());
    }

    @Test
    void reportWritesOneOfflinePageAndNamesWhatIsNotARun() throws Exception {
        Path run = tmp.resolve("runs/tiny");
        Files.createDirectories(run);
        Files.writeString(run.resolve("manifest.json"), "{\"run_id\": \"tiny\", \"config\": {\"family\": \"gpt\","
                + " \"learning_rate\": 0.001}, \"summary\": {\"status\": \"completed\", \"last_step\": 1,"
                + " \"best_val_loss\": 4.5}}");
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                "{\"type\":\"step\",\"step\":0,\"loss\":5.0,\"lr\":0.001,\"grad_norm\":1.0,\"tokens_per_s\":100.0,"
                        + "\"elapsed_s\":0.1,\"time\":\"2026-11-25T10:00:00Z\"}",
                "{\"type\":\"step\",\"step\":1,\"loss\":4.8,\"lr\":0.001,\"grad_norm\":0.9,\"tokens_per_s\":110.0,"
                        + "\"elapsed_s\":0.2,\"time\":\"2026-11-25T10:00:01Z\"}",
                "{\"type\":\"eval\",\"step\":1,\"val_loss\":4.5,\"val_ppl\":90.0,\"best\":true,"
                        + "\"time\":\"2026-11-25T10:00:02Z\"}") + "\n");
        Result r = run("report", "tiny", "--runs-dir", tmp.resolve("runs").toString());
        assertEquals(0, r.status(), r.err());
        Path html = run.resolve("report.html").toAbsolutePath().normalize();
        assertEquals("Wrote " + html + "\n", r.out());
        String page = Files.readString(html);
        assertTrue(page.contains("<title>Run tiny</title>") && page.contains("<tr><th>best val loss</th><td>4.5000</td></tr>"));

        r = run("report", "nope", "--runs-dir", tmp.resolve("runs").toString());
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: nope is neither a run in " + tmp.resolve("runs") + " nor a run directory;"
                + " ./notebench runs lists the runs", r.err().strip());
        r = run("report", "tiny", "--smoothing", "1.5", "--runs-dir", tmp.resolve("runs").toString());
        assertEquals(2, r.status());
        assertEquals("Invalid value for option '--smoothing': '1.5' is out of range; give a number from 0 to below 1", r.err().lines().findFirst().orElseThrow());
    }

    @Test
    void embedThroughACacheFileThenItsStatsAndAWrongCommand() throws Exception {
        Path cache = tmp.resolve("e.sqlite");
        Path texts = Files.writeString(tmp.resolve("texts.txt"), "lion\n\ntiger\nhouse cat\n");
        Result r = run("embed", "--cache", cache.toString(), "--file", texts.toString(), "--nearest", "1", "kitten");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("4 texts: 0 from the cache, 4 computed, "), r.out());
        assertTrue(r.out().contains("\nkitten\n  0."), r.out());
        r = run("embed", "--cache", cache.toString(), "lion", "zebra");
        assertTrue(r.out().startsWith("2 texts: 1 from the cache, 1 computed, "), r.out());
        r = run("cache", "stats", "--cache", cache.toString());
        assertEquals(0, r.status());
        assertTrue(r.out().contains(" 5 entries, ") && r.out().contains("all-minilm-l6-v2"), r.out());
        r = run("cache", "drop", "--cache", cache.toString());
        assertEquals(2, r.status());
        assertEquals("unknown command 'drop'; use stats, clear or vacuum", r.err().lines().findFirst().orElseThrow());
        r = run("cache", "clear", "--cache", cache.toString());
        assertEquals("Removed 5 entries from " + cache.toAbsolutePath().normalize() + "\n", r.out());
    }

    @Test
    void arrangeWritesTheTreeAsYamlAndABadTreeIsOneLine() throws Exception {
        Path tree = Files.writeString(tmp.resolve("tree.json"), "{\"name\": \"animal\", \"children\": [{\"name\": \"dog\"},"
                + " {\"name\": \"cat\"}, {\"name\": \"puppy\"}]}");
        Result r = run("arrange", tree.toString(), "--cache", tmp.resolve("e.sqlite").toString(), "--threads", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("# arranged by Notebench: children ordered by semantic similarity (all-minilm-l6-v2)"),
                r.out());
        assertTrue(r.out().contains("- name: puppy  # nearest sibling: dog ("), r.out());
        Path bad = Files.writeString(tmp.resolve("bad.json"), "[1, 2]");
        r = run("arrange", bad.toString(), "--cache", tmp.resolve("e.sqlite").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("notebench: DATA_INVALID: " + bad + " is not a JSON tree: "), r.err());
    }

    @Test
    void aBatchWithAFailingTaskCompletesTheOthersAndExitsOne() throws Exception {
        Files.writeString(tmp.resolve("words.txt"), "lion\ntiger\n\nwolf\n");
        Files.writeString(tmp.resolve("subjects.csv"), "id,subject\n1,Cheap meds now\n2,Meeting at noon\n");
        Files.writeString(tmp.resolve("tree.json"), "{\"name\": \"animal\", \"children\": [{\"name\": \"dog\"},"
                + " {\"name\": \"cat\"}]}");
        Path manifest = Files.writeString(tmp.resolve("batch.yaml"), String.join("\n",
                "cache: cache.sqlite",
                "workers: 2",
                "tasks:",
                "  - {name: words, type: embed, file: words.txt}",
                "  - {name: subjects, type: embed, csv: subjects.csv, column: subject}",
                "  - {name: tree, type: arrange, tree: tree.json, out: arranged.yaml}",
                "  - {name: labels, type: enrich, args: [--input, subjects.csv, --text, subject, --labels, 'spam,ok', --single,"
                        + " --out, labelled.csv, --no-cache], instructions: \"spam: unsolicited advertising\\nok: a normal message\"}",
                "  - {name: relations, type: associations, args: [--input, words.txt, --out, relations.csv]}",
                "  - {name: missing, type: embed, file: nowhere.txt}", ""));
        Result r = run("batch", manifest.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(1).matches("words +embed +ok +3 .*"), r.out());
        assertTrue(lines.get(2).matches("subjects +embed +ok +2 .*"), r.out());
        assertTrue(lines.get(3).matches("tree +arrange +ok +3 .*"), r.out());
        assertTrue(lines.get(4).matches("labels +enrich +ok +2 .*"), r.out());
        assertTrue(lines.get(5).matches("relations +associations +ok +4 .*"), r.out());
        assertTrue(lines.get(6).matches("missing +embed +failed +0 .*nowhere\\.txt.*"), r.out());
        assertTrue(lines.get(7).startsWith("6 tasks: 5 ok, 1 failed; 2 workers; cache " + tmp.resolve("cache.sqlite")), r.out());
        assertEquals("concept,sentence,start,end,source,relation,target,source_head,target_head,confidence,pattern",
                Files.readAllLines(tmp.resolve("relations.csv")).get(0));
        assertEquals(List.of("spam", "ok"), dev.notebench.tables.CsvTables.read(tmp.resolve("labelled.csv")).stringColumn("predicted")
                .asList());
        assertTrue(Files.readString(tmp.resolve("arranged.yaml")).contains("- name: animal"));
        try (dev.notebench.embed.EmbeddingCache c = dev.notebench.embed.EmbeddingCache.open(tmp.resolve("cache.sqlite"))) {
            // every worker wrote into the shared cache: words, subjects and tree nodes under MiniLM; the enrich task its two label
            // descriptions under MiniLM (the subjects were there) and descriptions and subjects under its second model
            assertEquals(List.of(new dev.notebench.embed.EmbeddingCache.Stats.Model("all-minilm-l6-v2", 3 + 2 + 3 + 2, 10 * 384 * 4),
                    new dev.notebench.embed.EmbeddingCache.Stats.Model("bge-small-en-v1.5", 2 + 2, 4 * 384 * 4)), c.stats().models());
        }

        Files.writeString(manifest, "tasks:\n  - {name: x, type: translate}\n");
        r = run("batch", manifest.toString());
        assertEquals(1, r.status());
        assertEquals("notebench: DATA_INVALID: task x has type translate; use one of [embed, arrange, enrich, associations]", r.err().strip());
        Files.writeString(manifest, "tasks: []\n");
        r = run("batch", manifest.toString());
        assertEquals("notebench: DATA_INVALID: the manifest has no tasks: give tasks: a list of {name, type, ...} with type"
                + " embed (file, or csv and column), arrange (tree, out), enrich (args: the options of notebench enrich,"
                + " instructions) or associations (args: the options of notebench associations)", r.err().strip());
        Files.writeString(manifest, "tasks: [unclosed\n");
        r = run("batch", manifest.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("notebench: DATA_INVALID: " + manifest + " is not valid YAML: "), r.err());
    }

    @Test
    void batchWorkersAreBoundedByTheMemoryEachMayTake() {
        assertEquals(1, BatchCommand.byMemory(1L << 40), "a petabyte a worker: one");
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        assertEquals(total * 8 / 10 / (1024L << 20), BatchCommand.byMemory(BatchManifest.DEFAULT_WORKER_MEMORY_MB));
    }
}
