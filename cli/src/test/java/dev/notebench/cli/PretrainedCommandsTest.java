package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./notebench score|generate --model DIR_OR_NAME}: tiny random Hugging Face checkpoints with
 * their own LLaMA-3-style tokenizer, made by transformers (toolkit/train/src/test/python/hf_pretrained.py),
 * give transformers' token ids and loss (labels = input ids) and its greedy continuation; a model
 * is found by name in the Hugging Face cache; wrong input is one line.
 */
class PretrainedCommandsTest {
    private static final String CACHE_COMMIT = "0123456789abcdef0123456789abcdef01234567";
    @TempDir
    static Path made;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Notebench.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    private static Path home() {
        return Path.of(System.getProperty("notebench.home", "..")).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void makeCheckpoints() throws Exception {
        for (String type : List.of("llama", "qwen2", "gpt2")) {
            Path out = Files.createDirectories(made.resolve(type));
            python(out.resolve("python.log"), "hf_pretrained.py", out.toString(), type,
                    home().resolve("datasets/sotu/sotu-sample.txt").toString());
        }
    }

    /** Runs a script of toolkit/train/src/test/python offline, its output in {@code log}, and fails the test when it fails. */
    private static void python(Path log, String script, String... args) throws Exception {
        String configured = System.getenv("NOTEBENCH_PYTHON");
        Path python = configured != null && !configured.isBlank() ? Path.of(configured) : home().resolve("build/pyenv/bin/python");
        assertTrue(Files.isExecutable(python), "no Python with transformers at " + python + "; run .ci/install-deps");
        List<String> command = new ArrayList<>(List.of(python.toString(), home().resolve("toolkit/train/src/test/python").resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HF_HUB_OFFLINE", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), script + " did not finish");
        assertEquals(0, p.exitValue(), () -> read(log));
    }

    private static JsonObject reference(String type) {
        return JsonParser.parseString(read(made.resolve(type).resolve("reference.json"))).getAsJsonObject();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long[] ids(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "gpt2"})
    void scoreGivesTransformersIdsAndLossForEveryText(String type) {
        for (var t : reference(type).getAsJsonArray("texts")) {
            JsonObject want = t.getAsJsonObject();
            Result r = run("score", "--model", made.resolve(type).resolve("model").toString(), "--json", want.get("text").getAsString());
            assertEquals(0, r.status(), r.err());
            JsonObject got = JsonParser.parseString(r.out()).getAsJsonObject();
            assertArrayEquals(ids(want.getAsJsonArray("tokens")), ids(got.getAsJsonArray("tokens")), want.get("text").getAsString());
            assertEquals(want.get("loss").getAsDouble(), got.get("loss").getAsDouble(), 1e-4, want.get("text").getAsString());
            assertEquals(want.getAsJsonArray("tokens").size() - 1, got.get("predicted").getAsInt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "gpt2"})
    void greedyGenerationGivesTransformersTokensAndText(String type) {
        JsonObject ref = reference(type);
        Result r = run("generate", "--model", made.resolve(type).resolve("model").toString(), "--temperature", "0",
                "--max-new-tokens", "32", "--json", ref.get("prompt").getAsString());
        assertEquals(0, r.status(), r.err());
        JsonObject got = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject want = ref.getAsJsonObject("generated");
        assertArrayEquals(ids(want.getAsJsonArray("tokens")), ids(got.getAsJsonArray("tokens")));
        assertEquals(want.get("text").getAsString(), got.get("text").getAsString());
        assertEquals(want.getAsJsonArray("tokens").size() < 32 ? "eos" : "length", got.get("stop_reason").getAsString());
    }

    @Test
    void aModelIsFoundByNameInTheHuggingFaceCacheWithoutANetwork(@TempDir Path tmp) throws Exception {
        Path repo = tmp.resolve("hub/models--tiny--llama");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(CACHE_COMMIT));
        try (Stream<Path> files = Files.list(made.resolve("llama/model"))) {
            for (Path f : files.toList()) {
                Files.copy(f, snapshot.resolve(f.getFileName()));
            }
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), CACHE_COMMIT);
        JsonObject want = reference("llama").getAsJsonArray("texts").get(0).getAsJsonObject();
        Process p = launch(tmp, Map.of("HF_HUB_CACHE", tmp.resolve("hub").toString(), "HF_HUB_OFFLINE", "1"),
                "score", "--model", "tiny/llama", "--json", want.get("text").getAsString());
        String out = read(tmp.resolve("launcher.log"));
        assertEquals(0, p.exitValue(), out);
        JsonObject got = JsonParser.parseString(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow()).getAsJsonObject();
        assertEquals(snapshot.toString(), got.get("model").getAsString());
        assertEquals(want.get("loss").getAsDouble(), got.get("loss").getAsDouble(), 1e-4);

        Process missing = launch(tmp, Map.of("HF_HUB_CACHE", tmp.resolve("hub").toString(), "HF_HUB_OFFLINE", "1"),
                "score", "--model", "tiny/absent", "hello");
        String message = read(tmp.resolve("launcher.log"));
        assertEquals(1, missing.exitValue(), message);
        assertTrue(message.startsWith("notebench: ") && message.contains("tiny/absent") && message.contains(tmp.resolve("hub").toString()),
                message);
        assertEquals(1, message.lines().count(), message);
    }

    /** The command line in a JVM of its own with these environment variables, its output in tmp/launcher.log. */
    private static Process launch(Path tmp, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Notebench.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("launcher.log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the launcher did not exit");
        return p;
    }

    @Test
    void aRunAndAModelTogetherOrNeitherIsAUsageError() {
        Result both = run("score", "--run", "runs/x", "--model", "a/b", "hello");
        assertEquals(2, both.status());
        assertEquals("give --run or --model, not both", both.err().lines().findFirst().orElseThrow());
        Result neither = run("score", "hello");
        assertEquals(2, neither.status());
        assertTrue(neither.err().lines().findFirst().orElseThrow().contains("--run"), neither.err());
    }

    /** A copy of the tiny llama's checkpoint in {@code dir}, for a test that changes its files. */
    private static Path copyOfLlama(Path dir) throws Exception {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(made.resolve("llama/model"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void anArchitectureNotComputedIsOneLineNamingThoseThatAre(@TempDir Path tmp) throws Exception {
        Path dir = copyOfLlama(tmp.resolve("bert"));
        Path config = dir.resolve("config.json");
        Files.writeString(config, read(config).replace("\"model_type\": \"llama\"", "\"model_type\": \"bert\"")
                .replace("LlamaForCausalLM", "BertForMaskedLM"));
        Result r = run("score", "--model", dir.toString(), "hello");
        assertEquals(1, r.status());
        assertEquals("notebench: CONFIG_INVALID: " + config + " has model_type bert ([BertForMaskedLM]); Notebench loads gpt2, llama,"
                + " mistral, qwen2, qwen3", r.err().strip());
    }

    @Test
    void evalOfAModelOnAFileGivesTransformersLossAndWithoutAFileIsOneLine(@TempDir Path tmp) throws Exception {
        JsonObject want = reference("llama").getAsJsonArray("texts").get(0).getAsJsonObject();
        Path text = tmp.resolve("text.txt");
        Files.writeString(text, want.get("text").getAsString());
        String model = made.resolve("llama/model").toString();
        Result r = run("eval", "--model", model, "--file", text.toString());
        assertEquals(0, r.status(), r.err());
        String line = r.out().strip();
        assertTrue(line.startsWith(text + " (model): loss "), line);
        double loss = Double.parseDouble(line.substring(line.indexOf("loss ") + 5, line.indexOf(',', line.indexOf("loss "))));
        assertEquals(want.get("loss").getAsDouble(), loss, 1e-4);
        assertTrue(line.endsWith(" tokens/char over " + (want.getAsJsonArray("tokens").size() - 1) + " tokens"), line);

        Result noFile = run("eval", "--model", model);
        assertEquals(2, noFile.status());
        assertEquals("a Hugging Face model has no validation split; give --file TEXT to evaluate --model on",
                noFile.err().lines().findFirst().orElseThrow());
    }

    @Test
    void aLoadedModelExportedAgainScoresAsTheOriginalWithItsTokenizersSpecialTokens(@TempDir Path tmp) {
        Path out = tmp.resolve("again");
        Result r = run("export", "--model", made.resolve("llama/model").toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("Exported to " + out + " (AutoModelForCausalLM.from_pretrained and AutoTokenizer.from_pretrained load it)",
                r.out().strip());
        for (var t : reference("llama").getAsJsonArray("texts")) {
            JsonObject want = t.getAsJsonObject();
            Result s = run("score", "--model", out.toString(), "--json", want.get("text").getAsString());
            assertEquals(0, s.status(), s.err());
            JsonObject got = JsonParser.parseString(s.out()).getAsJsonObject();
            assertArrayEquals(ids(want.getAsJsonArray("tokens")), ids(got.getAsJsonArray("tokens")), want.get("text").getAsString());
            assertEquals(want.get("loss").getAsDouble(), got.get("loss").getAsDouble(), 1e-4, want.get("text").getAsString());
        }
        Result over = run("export", "--model", out.toString(), "--out", out.toString());
        assertEquals(1, over.status());
        assertTrue(over.err().startsWith("notebench: CONFIG_INVALID: --out " + out + " is the same file as the model's checkpoint "),
                over.err());
    }

    /** The loss that {@code eval} prints: "SOURCE (CHECKPOINT): loss L, perplexity P, T tokens/char over N tokens". */
    private static String evalLoss(Result r) {
        assertEquals(0, r.status(), r.err());
        String line = r.out().strip();
        return line.substring(line.indexOf("loss ") + 5, line.indexOf(',', line.indexOf("loss ")));
    }

    @Test
    void loraFineTuningOnChatRowsLowersTheCompletionLossAndEvalScoresTheCompletions(@TempDir Path tmp) throws Exception {
        Path model = copyOfLlama(tmp.resolve("chat-llama"));
        python(tmp.resolve("chat.log"), "sft_chat.py", model.toString(), tmp.resolve("chat-ids.json").toString()); // the Llama-3 template
        String[] words = Files.readString(home().resolve("datasets/sotu/sotu-sample.txt")).substring(0, 20_000).split("\\s+");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String subject = String.join(" ", List.of(words).subList(i * 7 + 1, i * 7 + 7)).replaceAll("[\"\\\\]", "");
            rows.append("{\"messages\": [{\"role\": \"user\", \"content\": \"Subject: ").append(subject)
                    .append("\"}, {\"role\": \"assistant\", \"content\": \"").append(i % 3 == 0 ? "spam" : "ham").append("\"}]}\n");
        }
        Path data = Files.writeString(tmp.resolve("mail.jsonl"), rows);
        Path runs = tmp.resolve("runs");
        Result train = run("train", "--init-from", model.toString(), "--lora-rank", "4", "--corpus", data.toString(), "--block-size",
                "128", "--steps", "30", "--batch", "4", "--lr", "1e-2", "--eval-every", "10", "--eval-batches", "2", "--runs-dir",
                runs.toString(), "--run-id", "sft", "--device", "cpu", "--threads", "1");
        assertEquals(0, train.status(), train.err());
        List<String> val = train.out().lines().filter(l -> l.matches("step \\d+: val loss .*"))
                .map(l -> l.substring(l.indexOf("val loss ") + 9, l.indexOf(" (ppl"))).toList();
        assertEquals(3, val.size(), train.out());
        assertTrue(Double.parseDouble(val.get(2)) < Double.parseDouble(val.get(0)) - 0.3, "the completion loss fell: " + val);

        Result onValidation = run("eval", "--run", runs.resolve("sft").toString(), "--prompt", "Subject");
        String best = val.stream().min(java.util.Comparator.comparingDouble(Double::parseDouble)).orElseThrow();
        assertEquals(best, evalLoss(onValidation), "eval of the best checkpoint prints the loop's validation loss: " + onValidation.out());
        Result tuned = run("eval", "--run", runs.resolve("sft").toString(), "--file", data.toString(), "--prompt", "Subject");
        Result base = run("eval", "--model", model.toString(), "--file", data.toString());
        String over = tuned.out().strip().substring(tuned.out().strip().lastIndexOf(" over "));
        assertEquals(over, base.out().strip().substring(base.out().strip().lastIndexOf(" over ")), "the same completion tokens");
        assertTrue(Double.parseDouble(evalLoss(tuned)) < Double.parseDouble(evalLoss(base)) - 0.3,
                "fine-tuned " + tuned.out() + " base " + base.out());
    }
}
