package dev.notebench.train.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.safetensors.SafetensorsReader;
import dev.notebench.train.TinyRuns;
import dev.notebench.train.TrainRun;
import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.NoGrad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gpt run and a llama run trained a few steps by Notebench, exported as Hugging Face checkpoints:
 * transformers loads them (AutoModelForCausalLM, AutoTokenizer) and gives our logits within 1e-4
 * and our token ids on several texts; {@link HfCheckpoints#load} of the export gives our logits
 * again; evaluating the loaded export on a file gives transformers' loss (labels = input ids for a
 * text that fits the context, the same windows for one that does not).
 */
class HfExportTest {
    private static final List<String> TEXTS = List.of("The state of our Union", "My fellow Americans,", "We will.\n\nThe people",
            "<|endoftext|>It is the duty");
    private static final String SHORT = "The Congress of the nation";
    private static final String LONG = "Mr. Speaker, Mr. Vice President, members of Congress, distinguished guests, and fellow"
            + " citizens: the state of our Union is strong, and the work we will do this year will make it stronger still.";
    @TempDir
    static Path tmp;
    private static Path gptRun;
    private static Path llamaRun;

    @BeforeAll
    static void trainExportAndLoadInTransformers() throws Exception {
        gptRun = trained(TinyRuns.gpt(tmp, "gpt").model(ModelConfig.of("gpt", "n_layer", 2, "n_head", 2, "d_model", 32,
                "seq_len", 16, "dropout", 0.1, "bias", false)).steps(8));
        llamaRun = trained(TinyRuns.gpt(tmp, "llama").model(ModelConfig.of("llama", "hidden_size", 32,
                "intermediate_size", 48, "num_hidden_layers", 2, "num_attention_heads", 4, "num_key_value_heads", 2, "head_dim", 12,
                "max_position_embeddings", 16, "rope_theta", 500000.0, "rope_scaling.rope_type", "llama3", "rope_scaling.factor", 4.0,
                "rope_scaling.original_max_position_embeddings", 8)).steps(8));
        List<Map<String, Object>> spec = new ArrayList<>();
        for (String name : List.of("gpt", "llama")) {
            try (TrainedModel m = TrainedModel.load(tmp.resolve("runs").resolve(name))) {
                HfExport.save(m, tmp.resolve("export").resolve(name));
            }
            spec.add(Map.of("name", name, "dir", tmp.resolve("export").resolve(name).toString(), "texts", TEXTS, "short", SHORT,
                    "long", LONG));
        }
        Files.writeString(tmp.resolve("short.txt"), SHORT);
        Files.writeString(tmp.resolve("long.txt"), LONG);
        HfCausalLm.runScript("hf_export_check.py", spec, tmp);
    }

    private static Path trained(dev.notebench.train.TrainConfig.Builder config) {
        TrainRun run = TrainRun.create(config.build());
        run.run();
        return run.directory();
    }

    @Test
    void aGptRunWithoutBiasesExportsAsGpt2ThatTransformersLoadsWithOurLogitsAndTokenIds() throws Exception {
        Map<String, Object> config = HfCausalLm.json(tmp.resolve("export/gpt/config.json"));
        assertEquals(List.of("GPT2LMHeadModel"), config.get("architectures"));
        assertEquals("gelu", config.get("activation_function"));
        assertEquals(16.0, config.get("n_positions"));
        try (SafetensorsReader r = SafetensorsReader.open(tmp.resolve("export/gpt"))) {
            assertArrayEquals(new float[96], r.toFloatArray("transformer.h.1.attn.c_attn.bias"), "biases written as zeros");
            assertArrayEquals(new long[] {32, 96}, r.info("transformer.h.1.attn.c_attn.weight").shape(), "Conv1D's (in, out)");
            assertFalse(r.names().contains("lm_head.weight"), "tied: no lm_head");
        }
        assertTransformersAgree("gpt", gptRun, "GPT2LMHeadModel");
    }

    @Test
    void aLlamaRunWithGroupedQueriesAWideHeadAndLlama3RopeExportsThatTransformersLoadsWithOurLogitsAndTokenIds() throws Exception {
        Map<String, Object> config = HfCausalLm.json(tmp.resolve("export/llama/config.json"));
        assertEquals(Map.of("rope_type", "llama3", "factor", 4.0, "low_freq_factor", 1.0, "high_freq_factor", 4.0,
                "original_max_position_embeddings", 8.0), config.get("rope_scaling"));
        assertEquals(12.0, config.get("head_dim"));
        try (SafetensorsReader r = SafetensorsReader.open(tmp.resolve("export/llama"))) {
            assertTrue(r.names().contains("lm_head.weight"), "untied: its own lm_head");
        }
        assertTransformersAgree("llama", llamaRun, "LlamaForCausalLM");
    }

    private static void assertTransformersAgree(String name, Path run, String architecture) throws Exception {
        Map<String, Object> ref = HfCausalLm.json(tmp.resolve(name + ".json"));
        assertEquals(architecture, ref.get("architecture"));
        assertEquals("torch.float32", ref.get("dtype"));
        assertEquals("<|endoftext|>", ref.get("eos_token"));
        assertEquals(16.0, ref.get("model_max_length"));
        @SuppressWarnings("unchecked")
        List<List<Double>> ids = (List<List<Double>>) ref.get("ids");
        try (TrainedModel ours = TrainedModel.load(run); TrainedModel back = HfCheckpoints.load(tmp.resolve("export").resolve(name))) {
            for (int i = 0; i < TEXTS.size(); i++) {
                int[] want = ids.get(i).stream().mapToInt(Double::intValue).toArray();
                assertArrayEquals(want, ours.tokenizer().encode(TEXTS.get(i)), "AutoTokenizer's ids for text " + i);
                assertArrayEquals(want, back.tokenizer().encode(TEXTS.get(i)), "the export's tokenizer, text " + i);
                float[] logits = logits(ours, want);
                float[] hf = HfCausalLm.tensor(tmp.resolve(name + ".safetensors"), "logits." + i);
                assertEquals(hf.length, logits.length);
                float worst = 0;
                for (int j = 0; j < hf.length; j++) {
                    worst = Math.max(worst, Math.abs(hf[j] - logits[j]));
                }
                assertTrue(worst <= 1e-4, "text " + i + ": largest difference from transformers' logits " + worst);
                assertArrayEquals(logits, logits(back, want), "the export loaded back gives our logits, text " + i);
            }
        }
    }

    private static float[] logits(TrainedModel m, int[] ids) {
        long[] in = java.util.Arrays.stream(ids).asLongStream().toArray();
        return NoGrad.run(() -> m.model().forward(m.manager().create(in, new Shape(1, in.length)), false).toFloatArray());
    }

    @Test
    void anExportedModelEvaluatesOnAFileToTransformersLossInOneWindowAndInOverlappingWindows() throws Exception {
        for (String name : List.of("gpt", "llama")) {
            Map<String, Object> ref = HfCausalLm.json(tmp.resolve(name + ".json"));
            try (TrainedModel m = HfCheckpoints.load(tmp.resolve("export").resolve(name))) {
                Evaluator.Metrics shortText = Evaluator.evaluate(m, tmp.resolve("short.txt"));
                assertEquals((Double) ref.get("short_loss"), shortText.loss(), 1e-5, name + " on a text shorter than its context");
                Evaluator.Metrics longText = Evaluator.evaluate(m, tmp.resolve("long.txt"));
                assertTrue(((Double) ref.get("long_tokens")) > 32, "the long text spans several windows");
                assertEquals((Double) ref.get("long_tokens") - 1, longText.tokens());
                assertEquals((Double) ref.get("long_loss"), longText.loss(), 1e-5, name + " in windows");
                assertEquals(Math.exp(longText.loss()), longText.perplexity(), 1e-9);
                assertEquals(-1, longText.step());
            }
        }
    }

    @Test
    void aCharLstmRunIsOneErrorNamingTheFamiliesThatExport() throws Exception {
        Path run = trained(TinyRuns.lstm(tmp, "lstm").steps(2));
        try (TrainedModel m = TrainedModel.load(run)) {
            NotebenchException e = assertThrows(NotebenchException.class, () -> HfExport.save(m, tmp.resolve("export/lstm")));
            assertEquals(ErrorCode.CONFIG_INVALID, e.code());
            assertEquals("a char-lstm model has no Hugging Face architecture to export as; gpt and llama models export", e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("export/lstm")));
    }

    @Test
    void anExportNeverReplacesItsInputsNorADirectoryOfOtherFiles() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        try (TrainedModel m = TrainedModel.load(gptRun)) {
            NotebenchException into = assertThrows(NotebenchException.class, () -> HfExport.save(m, gptRun));
            assertEquals(ErrorCode.CONFIG_INVALID, into.code());
            assertTrue(into.getMessage().startsWith("--out " + gptRun + " holds the model's checkpoint "), into.getMessage());
            NotebenchException others = assertThrows(NotebenchException.class, () -> HfExport.save(m, other));
            assertEquals("--out " + other + " is a directory with other files in it; give a new or empty directory (an earlier"
                    + " export there is replaced)", others.getMessage());
            assertEquals("mine", Files.readString(other.resolve("notes.txt")));
            Path again = HfExport.save(m, tmp.resolve("export/gpt"));
            assertTrue(HfCheckpoints.isCheckpoint(again), "an earlier export is replaced");
        }
        try (TrainedModel exported = HfCheckpoints.load(tmp.resolve("export/gpt"))) {
            NotebenchException self = assertThrows(NotebenchException.class, () -> HfExport.save(exported, tmp.resolve("export/gpt")));
            assertTrue(self.getMessage().startsWith("--out " + tmp.resolve("export/gpt") + " is the same file as the model's checkpoint"),
                    self.getMessage());
        }
    }
}
