package dev.notebench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import dev.notebench.NotebenchException;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.lora.LoraModel;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.pretrained.HfCausalLm;
import dev.notebench.train.pretrained.HfCheckpoints;
import dev.notebench.train.pretrained.HfExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a pretrained checkpoint (a tiny random llama with its own tokenizer, made by
 * transformers: src/test/python/hf_pretrained.py) through the trainer: in full, and with LoRA,
 * whose runs train, checkpoint and resume the adapters alone.
 */
class FineTuneTest {
    @TempDir
    static Path tmp;
    static Path llama;

    @BeforeAll
    static void makeCheckpoint() throws Exception {
        llama = TinyRuns.pretrainedLlama(tmp);
    }

    private static TrainConfig config(String runId, String... extra) throws Exception {
        List<String> words = new ArrayList<>(List.of("--init-from", llama.toString(), "--corpus", TinyRuns.corpus(tmp).toString(),
                "--steps", "30", "--batch", "4", "--lr", "2e-2", "--eval-every", "10", "--eval-batches", "2",
                "--runs-dir", tmp.resolve("runs").toString(), "--run-id", runId, "--device", "cpu", "--threads", "1"));
        words.addAll(List.of(extra));
        return TrainOptions.config(TrainOptions.OPTIONS.parse(words));
    }

    private static double mean(List<Double> xs, int from, int to) {
        return xs.subList(from, to).stream().mapToDouble(d -> d).average().orElseThrow();
    }

    @Test
    void aLoraRunLowersTheLossChangesOnlyTheAdaptersAndResumesExactly() throws Exception {
        TrainConfig c = config("lora", "--lora-rank", "4", "--lora-alpha", "16", "--lora-dropout", "0.05");
        TrainRunTest.Losses whole = new TrainRunTest.Losses();
        assertEquals(RunState.COMPLETED, TrainRun.create(c).listener(whole).run().status());
        assertTrue(mean(whole.loss, 25, 30) < mean(whole.loss, 0, 5) - 0.3, "loss fell: " + whole.loss);

        JsonObject fineTune = RunDirectory.open(tmp.resolve("runs/lora")).manifest().getAsJsonObject("config")
                .getAsJsonObject("fine_tune");
        assertEquals(llama.toString(), fineTune.get("base_model_name_or_path").getAsString());
        assertEquals("{\"r\":4,\"lora_alpha\":16.0,\"lora_dropout\":0.05,\"target_modules\":[\"q_proj\",\"v_proj\"]}",
                fineTune.getAsJsonObject("lora").toString());

        try (TrainedModel tuned = TrainedModel.load(tmp.resolve("runs/lora"));
             NDManager m = NDManager.newBaseManager();
             LanguageModel base = HfCheckpoints.loadModel(llama, m)) {
            LoraModel lora = assertInstanceOf(LoraModel.class, tuned.model());
            List<Parameter> frozen = lora.base().parameters();
            for (int i = 0; i < frozen.size(); i++) {
                assertArrayEquals(base.parameters().get(i).getArray().toFloatArray(), frozen.get(i).getArray().toFloatArray(),
                        frozen.get(i).getName() + " is the checkpoint's, bit for bit");
            }
            assertEquals(8, lora.parameters().size(), "q and v of 2 layers, A and B each: all the run trained");
            assertTrue(lora.b("model.layers.1.self_attn.v_proj").getArray().abs().max().getFloat() > 0, "B trained");
        }

        TrainRun part = TrainRun.create(config("lora-parts", "--lora-rank", "4", "--lora-alpha", "16", "--lora-dropout", "0.05",
                "--checkpoint-every", "10"));
        assertEquals(whole.loss, TinyRuns.cancelledAndResumed(part, 14), "adapters and their optimizer state resume bit for bit");
    }

    @Test
    void aLoraRunExportsMergedForTransformersAndItsAdaptersAloneForPeft() throws Exception {
        TrainRun training = TrainRun.create(config("lora-export", "--lora-rank", "4", "--lora-alpha", "16"));
        assertEquals(RunState.COMPLETED, training.run().status());
        Path run = training.directory();
        byte[] baseBytes = Files.readAllBytes(llama.resolve("model.safetensors"));
        Path merged = tmp.resolve("exports/merged");
        Path peft = tmp.resolve("peft-check/lora");
        long[] ids = {5, 17, 42, 99, 3, 64, 8};
        float[] ours;
        try (TrainedModel tuned = TrainedModel.load(run)) {
            ours = logits(tuned.model(), ids);
            HfExport.save(tuned, merged);
            HfExport.saveAdapters(tuned, peft.resolve("ours"));
            assertArrayEquals(ours, logits(tuned.model(), ids), "exporting leaves the run's model as it was");
        }
        try (NDManager m = NDManager.newBaseManager(); LanguageModel back = HfCheckpoints.loadModel(merged, m)) {
            assertFalse(back instanceof LoraModel);
            assertClose(ours, logits(back, ids), 1e-5f, "the merged export computes what base + adapters computed");
        }
        Map<String, Object> baseTokenizer = HfCausalLm.json(llama.resolve("tokenizer_config.json"));
        Map<String, Object> exportedTokenizer = HfCausalLm.json(merged.resolve("tokenizer_config.json"));
        baseTokenizer.forEach((k, v) -> {
            if (!k.equals("model_max_length") && !k.equals("tokenizer_class")) {
                assertEquals(v, exportedTokenizer.get(k), "the base's tokenizer_config.json carries over: " + k);
            }
        });

        Map<String, Object> adapterConfig = HfCausalLm.json(peft.resolve("ours/adapter_config.json"));
        assertEquals(llama.toString(), adapterConfig.get("base_model_name_or_path"));
        assertEquals(List.of("q_proj", "v_proj"), adapterConfig.get("target_modules"));
        Files.createSymbolicLink(peft.resolve("base"), llama);
        Path spec = tmp.resolve("peft-check.json");
        Files.writeString(spec, "[{\"name\": \"lora\", \"prompts\": [" + java.util.Arrays.toString(ids) + "]}]");
        HfCausalLm.runScript("peft_lora.py", tmp.resolve("peft-check.log"), "check", spec.toString(), tmp.resolve("peft-check").toString());
        assertClose(ours, HfCausalLm.tensor(peft.resolve("ours_logits.safetensors"), "logits.0"), 1e-4f,
                "PeftModel.from_pretrained(base, our adapters) computes our logits");

        try (TrainedModel tuned = TrainedModel.load(run)) {
            NotebenchException e = assertThrows(NotebenchException.class, () -> HfExport.saveAdapters(tuned, llama));
            assertEquals(dev.notebench.ErrorCode.CONFIG_INVALID, e.code());
            assertTrue(e.getMessage().startsWith("--out " + llama + " is the same file as the model it fine-tuned"), e.getMessage());
            assertThrows(NotebenchException.class, () -> HfExport.save(tuned, llama), "nor the merged model over its base");
        }
        assertArrayEquals(baseBytes, Files.readAllBytes(llama.resolve("model.safetensors")), "the base is untouched");
        try (TrainedModel plain = HfCheckpoints.load(llama)) {
            assertEquals("--adapters exports a LoRA run's adapters, and " + llama + " has none; export it without"
                    + " --adapters (the whole model)", assertThrows(NotebenchException.class,
                            () -> HfExport.saveAdapters(plain, tmp.resolve("exports/none"))).getMessage());
        }
    }

    private static float[] logits(LanguageModel model, long[] ids) {
        try (NDManager m = NDManager.newBaseManager()) {
            return dev.notebench.train.model.NoGrad.run(() -> model.forward(m.create(ids, new Shape(1, ids.length)), false).toFloatArray());
        }
    }

    private static void assertClose(float[] want, float[] got, float tolerance, String what) {
        assertEquals(want.length, got.length, what);
        float worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(worst <= tolerance, what + ": largest difference " + worst);
    }

    @Test
    void aFullFineTuneLowersTheLossAndChangesTheWeightsButNeverTheCheckpointsFile() throws Exception {
        byte[] before = java.nio.file.Files.readAllBytes(llama.resolve("model.safetensors")); // mapped copy-on-write
        TrainRunTest.Losses losses = new TrainRunTest.Losses();
        assertEquals(RunState.COMPLETED, TrainRun.create(config("full")).listener(losses).run().status());
        assertTrue(mean(losses.loss, 25, 30) < mean(losses.loss, 0, 5) - 0.3, "loss fell: " + losses.loss);
        assertArrayEquals(before, java.nio.file.Files.readAllBytes(llama.resolve("model.safetensors")),
                "training wrote to private pages, not to the file");
        try (TrainedModel tuned = TrainedModel.load(tmp.resolve("runs/full"));
             NDManager m = NDManager.newBaseManager();
             LanguageModel base = HfCheckpoints.loadModel(llama, m)) {
            assertFalse(tuned.model() instanceof LoraModel);
            assertEquals(base.parameterCount(), tuned.model().parameterCount());
            assertFalse(java.util.Arrays.equals(base.parameters().get(1).getArray().toFloatArray(),
                    tuned.model().parameters().get(1).getArray().toFloatArray()), "weights trained");
        }
    }

    @Test
    void aBlockSizeBeyondTheCheckpointsContextIsRefusedAndOneWithinItIsTheRunsWindow() throws Exception {
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> TrainRun.create(config("too-long", "--block-size", "129")));
        assertEquals("--block-size 129 is longer than the model's context of 128 tokens; give --block-size 128 or less",
                e.getMessage(), "max_position_embeddings 128");
        assertEquals(128, config("whole").window());
        assertEquals(32, config("short", "--block-size", "32").window());
    }

    @Test
    void loraOptionsNeedARankAndAPretrainedModel() {
        assertEquals("--lora-alpha sets LoRA's adapters; give --lora-rank N too", assertThrows(NotebenchException.class,
                () -> config("x", "--lora-alpha", "16")).getMessage());
        assertEquals("LoRA adapts a pretrained model; give --init-from DIR|ORG/NAME with --lora-rank",
                assertThrows(NotebenchException.class, () -> TrainOptions.config(TrainOptions.OPTIONS.parse(List.of(
                        "--tokenizer", "tok", "--corpus", "c.txt", "--lora-rank", "8")))).getMessage());
        assertEquals("--family cannot be given with --init-from: the pretrained model brings its own tokenizer, family and"
                + " configuration", assertThrows(NotebenchException.class, () -> config("x", "--family", "llama")).getMessage());
        assertEquals("give --tokenizer DIR (a tokenizer directory), or --init-from DIR|ORG/NAME (a pretrained model with its"
                + " tokenizer)", assertThrows(NotebenchException.class, () -> TrainOptions.config(TrainOptions.OPTIONS.parse(
                        List.of("--corpus", "c.txt")))).getMessage());
    }
}
