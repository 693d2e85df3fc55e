package dev.notebench.train.pretrained;

import ai.djl.nn.Parameter;
import com.google.gson.GsonBuilder;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.FileErrors;
import dev.notebench.files.OutputGuard;
import dev.notebench.safetensors.SafetensorsWriter;
import dev.notebench.safetensors.TensorData;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.train.Checkpoint;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.TrainConfig;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.lora.LoraModel;
import dev.notebench.train.lora.PeftAdapters;
import dev.notebench.train.model.Gpt2Weights;
import dev.notebench.train.model.LanguageModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Exports a {@code gpt} or {@code llama} model as a Hugging Face checkpoint directory that
 * {@code AutoModelForCausalLM.from_pretrained} and {@code AutoTokenizer.from_pretrained} load:
 * {@code config.json} ({@link ExportedConfig}), {@code generation_config.json},
 * {@code model.safetensors} in fp32 (a gpt model's linear weights transposed back to GPT-2's
 * {@code Conv1D} layout, zero biases where the model has none, {@code lm_head.weight} only when
 * untied), the model's own {@code tokenizer.json} and a {@code tokenizer_config.json}
 * ({@code PreTrainedTokenizerFast}, which encodes as the file does). The directory is written
 * beside its place and moved there whole; it never replaces an input, nor a directory holding
 * anything but an earlier checkpoint.
 *
 * <pre>{@code
 * try (TrainedModel m = TrainedModel.load(Path.of("runs/llama-sotu"))) {
 *     HfExport.save(m, Path.of("exports/llama-sotu"));   // then AutoModelForCausalLM.from_pretrained("exports/llama-sotu")
 * }
 * }</pre>
 */
public final class HfExport {
    private HfExport() {
    }

    /**
     * Exports a model Notebench trained (a run's checkpoint) or loaded (a Hugging Face directory).
     *
     * @param model the model, with the tokenizer it was trained or loaded with
     * @param out the directory to write
     * @return {@code out}
     * @throws NotebenchException CONFIG_INVALID for a family or tokenizer Hugging Face has no format
     *     for, or an {@code out} that would replace an input or other files; what writing throws
     */
    public static Path save(TrainedModel model, Path out) {
        Path tokenizerFile = tokenizerFile(model);
        Path hfSource = hfSource(model);
        Map<String, Object> sourceConfig = hfSource != null
                ? HfCheckpoints.readJson(hfSource.resolve("config.json"), "the model's configuration", true) : Map.of();
        int[] eos = model.eosIds();
        int bos = sourceConfig.get("bos_token_id") instanceof Number n ? n.intValue()
                : sourceConfig.isEmpty() && eos.length > 0 ? eos[0] : -1; // Notebench's <|endoftext|> also begins, as GPT-2's
        Map<String, Object> config = ExportedConfig.of(model.model(), bos, eos);
        if (!(tokenizerFile.getFileName().toString().equals(TokenizerArtifact.TOKENIZER_JSON))) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the model's tokenizer " + tokenizerFile + " is a "
                    + model.tokenizer().kind() + " tokenizer, which Hugging Face's AutoTokenizer cannot load (it reads tokenizer.json);"
                    + " export a model trained with a bpe tokenizer");
        }
        Path target = OutputGuard.canonical(out);
        guard(model, hfSource, out).input("its tokenizer", tokenizerFile).build().check();
        if (Files.isDirectory(target) && !HfCheckpoints.isCheckpoint(target) && !isEmpty(target)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--out " + out + " is a directory with other files in it;"
                    + " give a new or empty directory (an earlier export there is replaced)");
        }
        writeWhole(target, "export the model to --out " + out, staging -> {
            SafetensorsWriter.builder().build().writeCheckpoint(staging, weights(model.model()));
            writeJson(staging.resolve("config.json"), config);
            Map<String, Object> generation = new LinkedHashMap<>();
            if (config.containsKey("bos_token_id")) {
                generation.put("bos_token_id", config.get("bos_token_id"));
            }
            if (eos.length > 0) {
                generation.put("eos_token_id", eos.length == 1 ? (Object) eos[0] : java.util.Arrays.stream(eos).boxed().toList());
            }
            writeJson(staging.resolve("generation_config.json"), generation);
            Files.copy(tokenizerFile, staging.resolve(TokenizerArtifact.TOKENIZER_JSON));
            writeJson(staging.resolve("tokenizer_config.json"), tokenizerConfig(model, bos, hfSource == null ? null
                    : hfSource.resolve("tokenizer_config.json")));
        });
        return out;
    }

    /**
     * The Hugging Face directory a model came from: the one it was loaded from, or the checkpoint a
     * run fine-tuned (its configuration and tokenizer settings, a chat template among them, carry
     * over); null for a model trained from scratch.
     */
    private static Path hfSource(TrainedModel model) {
        if (HfCheckpoints.isCheckpoint(model.checkpoint())) {
            return model.checkpoint();
        }
        return run(model).map(r -> r.config().fineTune()).map(TrainConfig.FineTune::dir).filter(HfCheckpoints::isCheckpoint)
                .orElse(null);
    }

    /** The run whose checkpoint a model is, if it is one ({@code RUN/checkpoints/step-N}). */
    private static Optional<RunDirectory> run(TrainedModel model) {
        Path parent = model.checkpoint().toAbsolutePath().getParent();
        Path run = parent == null ? null : parent.getParent();
        return run != null && RunDirectory.isRun(run) ? Optional.of(RunDirectory.open(run)) : Optional.empty();
    }

    /**
     * Exports a LoRA run's adapters alone in PEFT's format ({@link PeftAdapters#save}):
     * {@code adapter_config.json}, whose {@code base_model_name_or_path} is the model the run
     * fine-tuned as it was named, and {@code adapter_model.safetensors}; PEFT's
     * {@code PeftModel.from_pretrained(base, out)} loads them. Written beside its place and moved
     * there whole, as {@link #save} writes.
     *
     * @param model a LoRA run's model
     * @param out the directory to write: new, empty, or an earlier export of adapters (replaced)
     * @return {@code out}
     * @throws NotebenchException CONFIG_INVALID for a model without adapters or an {@code out} that
     *     would replace an input or other files; what writing throws
     */
    public static Path saveAdapters(TrainedModel model, Path out) {
        if (!(model.model() instanceof LoraModel lora)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--adapters exports a LoRA run's adapters, and "
                    + model.checkpoint() + " has none; export it without --adapters (the whole model)");
        }
        String base = run(model).map(r -> r.config().fineTune().base()).orElseThrow(() -> new NotebenchException(
                ErrorCode.DATA_NOT_FOUND, model.checkpoint() + " is not a checkpoint of a run; export a LoRA run's adapters with"
                + " --run RUN_DIR"));
        Path target = OutputGuard.canonical(out);
        guard(model, hfSource(model), out).build().check();
        if (Files.isDirectory(target) && !PeftAdapters.isAdapterDirectory(target) && !isEmpty(target)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--out " + out + " is a directory with other files in it;"
                    + " give a new or empty directory (an earlier export of adapters there is replaced)");
        }
        writeWhole(target, "export the adapters to --out " + out, staging -> PeftAdapters.save(lora, staging, base));
        return out;
    }

    /** The check that {@code --out} names none of the model's inputs: its checkpoint, and the model a run fine-tuned. */
    private static OutputGuard.Builder guard(TrainedModel model, Path hfSource, Path out) {
        OutputGuard.Builder guard = OutputGuard.builder().input("the model's checkpoint", model.checkpoint()).outputDirectory("--out", out);
        return hfSource == null || hfSource.equals(model.checkpoint()) ? guard : guard.input("the model it fine-tuned", hfSource);
    }

    /** Writes into a directory beside {@code target}, then moves it into place (an earlier one goes only then). */
    private static void writeWhole(Path target, String what, StagedWrite write) {
        Path staging = target.resolveSibling("." + target.getFileName() + ".exporting");
        try {
            Checkpoint.deleteTree(staging);
            Files.createDirectories(staging);
            write.into(staging);
            replace(staging, target);
        } catch (IOException e) {
            throw FileErrors.of(what, target, e);
        } finally {
            try {
                Checkpoint.deleteTree(staging);
            } catch (IOException ignored) {
                // a stale staging directory is replaced by the next export
            }
        }
    }

    /** What goes into the staging directory. */
    @FunctionalInterface
    private interface StagedWrite {
        void into(Path staging) throws IOException;
    }

    /** The file the model's tokenizer was loaded from: a Hugging Face directory's, or the run's artifact. */
    private static Path tokenizerFile(TrainedModel model) {
        Path source = model.checkpoint();
        if (Files.isRegularFile(source.resolve(TokenizerArtifact.TOKENIZER_JSON))) {
            return source.resolve(TokenizerArtifact.TOKENIZER_JSON);
        }
        RunDirectory run = run(model).orElseThrow(() -> new NotebenchException(ErrorCode.DATA_NOT_FOUND, source + " is neither a"
                + " Hugging Face model directory with a tokenizer.json nor a checkpoint of a run; load the model from one to export it"));
        return dev.notebench.tokenize.TokenizerArtifact.file(run.config().tokenizer());
    }

    /** The model's parameters under transformers' names, in its layout; a LoRA model's with its adapters merged in. */
    static Map<String, TensorData> weights(LanguageModel model) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        boolean gpt = model.family().equals("gpt");
        LanguageModel base = model instanceof LoraModel lora ? lora.base() : model;
        Function<Parameter, float[]> read = model instanceof LoraModel lora ? lora::mergedValues : p -> p.getArray().toFloatArray();
        for (Parameter p : base.parameters()) {
            long[] shape = p.getArray().getShape().getShape();
            float[] values = read.apply(p);
            if (gpt && Gpt2Weights.target(p.getName()).orElseThrow().transposed()) {
                out.put(p.getName(), TensorData.of(transposed(values, (int) shape[0], (int) shape[1]), shape[1], shape[0]));
            } else {
                out.put(p.getName(), TensorData.of(values, shape));
            }
        }
        if (gpt && !model.config().booleanValue("bias")) {
            long d = model.config().intValue("d_model", 1);
            for (int l = 0; l < model.config().intValue("n_layer", 1); l++) {
                String prefix = "transformer.h." + l + ".";
                Map.of("attn.c_attn.bias", 3 * d, "attn.c_proj.bias", d, "mlp.c_fc.bias", 4 * d, "mlp.c_proj.bias", d)
                        .forEach((name, size) -> out.put(prefix + name, TensorData.of(new float[(int) (long) size], size)));
            }
        }
        return out;
    }

    private static float[] transposed(float[] values, int rows, int cols) {
        float[] t = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = values[r * cols + c];
            }
        }
        return t;
    }

    /**
     * {@code tokenizer_config.json}: an exported Hugging Face model's own, if it had one (its chat
     * template, added tokens), with the fast tokenizer class that encodes as {@code tokenizer.json}
     * says, the context length, and the special tokens the tokenizer has.
     */
    private static Map<String, Object> tokenizerConfig(TrainedModel model, int bos, Path source) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (source != null && Files.isRegularFile(source)) {
            c.putAll(HfCheckpoints.readJson(source, "the tokenizer's configuration", true));
        }
        Tokenizer tok = model.tokenizer();
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        int context = model.model().contextLength();
        if (context > 0) {
            c.put("model_max_length", context);
        }
        c.putIfAbsent("clean_up_tokenization_spaces", false);
        int[] eos = model.eosIds();
        if (eos.length > 0) {
            c.putIfAbsent("eos_token", tok.tokenText(eos[0]));
        }
        if (bos >= 0 && bos < tok.vocabSize()) {
            c.putIfAbsent("bos_token", tok.tokenText(bos));
        }
        OptionalInt unk = tok.unkId();
        if (unk.isPresent()) {
            c.putIfAbsent("unk_token", tok.tokenText(unk.getAsInt()));
        }
        return c;
    }

    private static void writeJson(Path file, Map<String, Object> json) throws IOException {
        String text = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create().toJson(json);
        Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
    }

    /** Moves the staged directory into place; an earlier export there goes only once the new one is in. */
    private static void replace(Path staging, Path target) throws IOException {
        Path old = target.resolveSibling("." + target.getFileName() + ".replaced");
        Checkpoint.deleteTree(old);
        boolean had = Files.exists(target);
        if (had) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.createDirectories(target.getParent());
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        if (had) {
            Checkpoint.deleteTree(old);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw FileErrors.of("list --out " + dir, dir, e);
        }
    }
}
