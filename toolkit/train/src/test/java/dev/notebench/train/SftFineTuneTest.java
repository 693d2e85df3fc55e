package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.chat.JinjaChatRenderer;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.train.data.ChatTemplate;
import dev.notebench.train.data.SftExamples;
import dev.notebench.train.data.SftBatches;
import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.pretrained.HfCausalLm;
import dev.notebench.train.pretrained.HfCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supervised fine-tuning data (JSONL of TRL's formats): chat rows rendered by the tokenizer's
 * template through notebench-chat's renderer into transformers' ids (src/test/python/sft_chat.py),
 * the loss on completion tokens only, bad rows named by line, plain rows without any Jinja engine,
 * and a LoRA run on a tiny llama (hf_pretrained.py, given the Llama-3 template) that lowers the
 * completion loss.
 */
class SftFineTuneTest {
    @TempDir
    static Path tmp;
    static Path llama;
    static JsonObject reference;
    static Tokenizer tokenizer;

    @BeforeAll
    static void makeCheckpointAndReference() throws Exception {
        llama = TinyRuns.pretrainedLlama(tmp);
        HfCausalLm.runScript("sft_chat.py", tmp.resolve("chat.log"), llama.toString(), tmp.resolve("chat.json").toString());
        reference = JsonParser.parseString(Files.readString(tmp.resolve("chat.json"))).getAsJsonObject();
        tokenizer = TokenizerArtifact.load(llama.resolve("tokenizer.json"));
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    private static List<Map<String, Object>> messages(JsonArray a) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonElement e : a) {
            out.add(ChatTemplate.message(e.getAsJsonObject().get("role").getAsString(), e.getAsJsonObject().get("content").getAsString()));
        }
        return out;
    }

    @Test
    void chatRowsGetTheIdsOfTransformersApplyChatTemplate() throws Exception {
        List<String> rows = new ArrayList<>();
        List<int[]> expected = new ArrayList<>();
        for (JsonElement c : reference.getAsJsonArray("cases")) {
            JsonArray conversation = c.getAsJsonObject().getAsJsonArray("messages");
            if (conversation.get(conversation.size() - 1).getAsJsonObject().get("role").getAsString().equals("assistant")) {
                rows.add("{\"messages\": " + conversation + "}");
                expected.add(new com.google.gson.Gson().fromJson(c.getAsJsonObject().get("ids"), int[].class));
            }
        }
        List<SftExamples.Example> examples = read(rows.toArray(String[]::new));
        assertEquals(2, examples.size(), "the conversations that end with the assistant");
        for (int i = 0; i < examples.size(); i++) {
            assertArrayEquals(expected.get(i), examples.get(i).ids(), rows.get(i));
        }
    }

    @Test
    void plainRowsGetTheIdsTrlTrainsOnWithTheTokenizersBosAndOnlyTheCompletionTrained() throws Exception {
        for (JsonElement c : reference.getAsJsonArray("plain")) {
            JsonObject row = c.getAsJsonObject();
            int[] want = new com.google.gson.Gson().fromJson(row.get("ids"), int[].class);
            JsonObject line = new JsonObject();
            line.add("prompt", row.get("prompt"));
            line.add("completion", row.get("completion"));
            SftExamples.Example e = read(line.toString()).get(0);
            assertArrayEquals(want, e.ids(), row.toString());
            int promptLength = row.get("prompt_length").getAsInt();
            for (int i = 0; i < want.length; i++) {
                assertEquals(i >= promptLength, e.trained()[i], "position " + i + " of " + row);
            }
        }
    }

    @Test
    void chatRowsWithoutARendererOnTheClassPathAreOneErrorNamingTheArtifact() throws Exception {
        Path f = Files.writeString(tmp.resolve("chat-only.jsonl"),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}\n");
        Path plain = Files.writeString(tmp.resolve("plain.jsonl"), "{\"prompt\": \"Subject: hi\\nLabel:\", \"completion\": \" ham\"}\n");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(new java.net.URLClassLoader(new java.net.URL[0], ClassLoader.getPlatformClassLoader()));
        try {
            NotebenchException e = assertThrows(NotebenchException.class, () -> SftExamples.read(f, tokenizer, llama, 511));
            assertEquals(ErrorCode.DEPENDENCY_MISSING, e.code());
            assertEquals("rendering a chat template needs dev.notebench:notebench-chat on the classpath; add it to your project's"
                    + " dependencies (the notebench command line and kernel bring it)", e.getMessage());
            assertEquals(" ham<|end_of_text|>", trainedText(SftExamples.read(plain, tokenizer, llama, 511).get(0)),
                    "prompt/completion text needs no template: TRL concatenates it");
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static String trainedText(SftExamples.Example e) {
        int[] ids = java.util.stream.IntStream.range(0, e.ids().length).filter(i -> e.trained()[i]).map(i -> e.ids()[i]).toArray();
        return tokenizer.decode(ids);
    }

    private static List<SftExamples.Example> read(String... rows) throws Exception {
        Path f = Files.writeString(tmp.resolve("rows.jsonl"), String.join("\n", rows) + "\n");
        return SftExamples.read(f, tokenizer, llama, 511);
    }

    @Test
    void onlyAssistantMessagesAndCompletionsAreTrained() throws Exception {
        List<SftExamples.Example> rows = read(
                "{\"messages\": [{\"role\": \"system\", \"content\": \"You sort mail.\"}, {\"role\": \"user\", \"content\": \"Subject: free\"},"
                        + " {\"role\": \"assistant\", \"content\": \"spam\"}, {\"role\": \"user\", \"content\": \"Subject: lunch\"},"
                        + " {\"role\": \"assistant\", \"content\": \"ham\"}]}",
                "",
                "{\"prompt\": \"Subject: free money\\nLabel:\", \"completion\": \" spam\"}",
                "{\"prompt\": [{\"role\": \"user\", \"content\": \"Subject: hi\"}], \"completion\": [{\"role\": \"assistant\", \"content\": \"ham\"}]}");
        assertEquals(3, rows.size(), "the blank line is no row");
        assertEquals("spam<|eot_id|>ham<|eot_id|>", trainedText(rows.get(0)), "the assistant messages as Llama-3's template ends them");
        assertEquals(tokenizer.encode(ChatTemplate.load(llama, new JinjaChatRenderer()).render(messages(JsonParser.parseString(
                "[{\"role\": \"system\", \"content\": \"You sort mail.\"}, {\"role\": \"user\", \"content\": \"Subject: free\"},"
                        + " {\"role\": \"assistant\", \"content\": \"spam\"}, {\"role\": \"user\", \"content\": \"Subject: lunch\"},"
                        + " {\"role\": \"assistant\", \"content\": \"ham\"}]").getAsJsonArray()), false)).length, rows.get(0).ids().length);
        assertEquals(" spam<|end_of_text|>", trainedText(rows.get(1)), "a plain completion and the end token, as TRL appends it");
        assertEquals("ham<|eot_id|>", trainedText(rows.get(2)));
    }

    @Test
    void aBadRowIsOneErrorNamingItsLine() {
        Path f = tmp.resolve("rows.jsonl");
        List<String[]> cases = List.of(
                new String[] {"not json", "is not a JSON object"},
                new String[] {"{\"text\": \"a\"}", "has neither \"messages\" nor \"prompt\" and \"completion\""},
                new String[] {"{\"prompt\": \"a\"}", "has neither \"messages\" nor \"prompt\" and \"completion\""},
                new String[] {"{\"messages\": [{\"role\": \"bot\", \"content\": \"a\"}]}",
                        "has a message of unknown role 'bot'; roles are system, user and assistant"},
                new String[] {"{\"messages\": [{\"role\": \"user\"}]}", "has no text \"content\""},
                new String[] {"{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}", "has no assistant message: nothing to train on"},
                new String[] {"{\"prompt\": \"a\", \"completion\": \"" + "word ".repeat(300) + "\"}",
                        "has 605 tokens, more than the 512 of a window of 511; shorten it, or give a larger --block-size (at most the"
                                + " model's context)"});
        for (String[] c : cases) {
            NotebenchException e = assertThrows(NotebenchException.class, () -> read("{\"prompt\": \"a\", \"completion\": \"b\"}", c[0]));
            assertEquals(f + " line 2 " + c[1], e.getMessage(), c[0]);
        }
    }

    @Test
    void maskedTargetsContributeNothingToTheLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.randomNormal(new Shape(2, 3, 7));
            NDArray x = m.zeros(new Shape(2, 3), ai.djl.ndarray.types.DataType.INT64);
            NDArray mask = m.create(new float[] {0, 1, 1, 0, 0, 1}, new Shape(2, 3));
            NDArray y = m.create(new long[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray promptChanged = m.create(new long[] {6, 2, 3, 0, 1, 6}, new Shape(2, 3));
            NDArray completionChanged = m.create(new long[] {1, 2, 4, 4, 5, 6}, new Shape(2, 3));
            float loss = Losses.loss(logits, new NDList(x, y, mask)).getFloat();
            assertEquals(loss, Losses.loss(logits, new NDList(x, promptChanged, mask)).getFloat(), "prompt targets changed");
            assertNotEquals(loss, Losses.loss(logits, new NDList(x, completionChanged, mask)).getFloat());
            float[] each = Losses.tokenLosses(logits, y).toFloatArray();
            assertEquals((each[1] + each[2] + each[5]) / 3, loss, 1e-6, "the mean over the 3 completion targets");
        }
    }

    static Path mail;
    static TrainRunTest.Losses sftLosses;

    /** 40 chat rows (a subject, then spam every third row, else ham), and a LoRA run on them, made once. */
    static synchronized Path sftRun() throws Exception {
        Path run = tmp.resolve("runs/sft");
        if (sftLosses != null) {
            return run;
        }
        List<String> rows = new ArrayList<>();
        String[] words = Files.readString(TinyRuns.corpus(tmp)).split("\\s+");
        for (int i = 0; i < 40; i++) {
            String subject = String.join(" ", Arrays.asList(words).subList(i * 7 + 1, i * 7 + 7)).replace("\"", "");
            rows.add("{\"messages\": [{\"role\": \"user\", \"content\": \"Subject: " + subject + "\"}, {\"role\": \"assistant\","
                    + " \"content\": \"" + (i % 3 == 0 ? "spam" : "ham") + "\"}]}");
        }
        mail = Files.writeString(tmp.resolve("mail.jsonl"), String.join("\n", rows) + "\n");
        TrainConfig c = TrainOptions.config(TrainOptions.OPTIONS.parse(List.of("--init-from", llama.toString(), "--corpus",
                mail.toString(), "--lora-rank", "4", "--lora-alpha", "16", "--block-size", "128", "--steps", "30", "--batch", "4",
                "--lr", "1e-2", "--eval-every", "10", "--eval-batches", "2", "--runs-dir", tmp.resolve("runs").toString(),
                "--run-id", "sft", "--device", "cpu", "--threads", "1")));
        TrainRunTest.Losses losses = new TrainRunTest.Losses();
        assertEquals(RunState.COMPLETED, TrainRun.create(c).listener(losses).run().status());
        sftLosses = losses;
        return run;
    }

    private static int answerTokens(int spam, int ham) {
        return spam * tokenizer.encode("spam<|eot_id|>").length + ham * tokenizer.encode("ham<|eot_id|>").length;
    }

    /** The masked loss of the training loop ({@link Losses#loss}) on one batch of all the examples of a file. */
    private static double maskedLossInOneBatch(TrainedModel m, Path file) {
        List<SftExamples.Example> rows = SftExamples.read(file, tokenizer, llama, 127);
        try (NDManager b = m.manager().newSubManager()) {
            NDList xy = SftBatches.evaluation(rows).validation(b, 0, rows.size());
            return Losses.loss(m.model().forward(xy.get(0), false), xy).getFloat();
        }
    }

    @Test
    void aLoraRunOnChatRowsLowersTheCompletionLoss() throws Exception {
        sftRun();
        TrainRunTest.Losses losses = sftLosses;
        double first = losses.loss.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = losses.loss.subList(25, 30).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < first - 1.0, "completion loss fell: " + losses.loss);
        assertTrue(losses.val.get(2) < losses.val.get(0), "validation completion loss fell: " + losses.val);
        JsonObject manifestData = RunDirectory.open(tmp.resolve("runs/sft")).manifest().getAsJsonObject("data");
        assertEquals(40, manifestData.get("examples").getAsInt());
        assertEquals(36, manifestData.get("train_examples").getAsInt());
        assertEquals(answerTokens(14, 26), manifestData.get("trained_tokens").getAsInt(), "each answer and its <|eot_id|>");
    }

    @Test
    void evaluatingAChatRunScoresItsCompletionsAsTheTrainingLoopDoes() throws Exception {
        Path run = sftRun();
        Evaluator.Metrics val = Evaluator.evaluate(run, null, List.of(), GenerateOptions.defaults());
        assertEquals("validation", val.source());
        assertEquals(answerTokens(2, 2), val.tokens(), "rows 36-39: spam, ham, ham, spam");
        assertEquals(sftLosses.val.get((int) (val.step() + 1) / 10 - 1), val.loss(),
                "exactly the loop's validation loss after the checkpoint's step (the same 4 rows in one batch, the same mask)");
        Evaluator.Metrics file = Evaluator.evaluate(run, mail, List.of(), GenerateOptions.defaults());
        assertEquals(mail.toString(), file.source());
        assertEquals(answerTokens(14, 26), file.tokens());
        try (TrainedModel m = TrainedModel.load(run)) {
            assertEquals(maskedLossInOneBatch(m, mail), file.loss(), 1e-5, "40 rows in batches of 16: the mean per completion target");
        }
        try (TrainedModel base = HfCheckpoints.load(llama)) {
            Evaluator.Metrics before = Evaluator.evaluate(base, mail);
            assertEquals(answerTokens(14, 26), before.tokens(), "the checkpoint's tokenizer.json, adding no <|begin_of_text|>");
            assertEquals(maskedLossInOneBatch(base, mail), before.loss(), 1e-5);
            assertTrue(file.loss() < before.loss() - 1.0, "fine-tuning lowered the completion loss: " + before.loss() + " -> " + file.loss());
        }
    }
}
