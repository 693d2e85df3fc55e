package dev.notebench.train.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.TextFiles;
import dev.notebench.safetensors.SafetensorsReader;
import dev.notebench.safetensors.SafetensorsWriter;
import dev.notebench.safetensors.TensorData;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.NoGrad;
import dev.notebench.train.model.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * LoRA adapters in Hugging Face PEFT's format, read and written: a directory with
 * {@code adapter_config.json} ({@code peft_type} LORA, {@code r}, {@code lora_alpha},
 * {@code lora_dropout}, {@code target_modules}, {@code base_model_name_or_path},
 * {@code task_type} CAUSAL_LM, {@code bias} none, {@code fan_in_fan_out} true for GPT-2's Conv1D
 * layers) and {@code adapter_model.safetensors} with PEFT's tensor names
 * ({@code base_model.model.<module>.lora_A.weight} (r, in), {@code ...lora_B.weight} (out, r); the
 * same shapes for GPT-2, whose Conv1D layers PEFT adapts with {@code fan_in_fan_out}). What
 * {@code PeftModel.from_pretrained(base, dir)} loads, and what {@code save_pretrained} of a PEFT
 * model writes.
 *
 * <pre>{@code
 * PeftAdapters.save(lora, Path.of("adapters"), "meta-llama/Llama-3.2-1B");
 * LoraModel again = PeftAdapters.load(HfCheckpoints.loadModel(base, manager), Path.of("adapters"), manager);
 * }</pre>
 */
public final class PeftAdapters {
    /** The configuration's file name. */
    public static final String CONFIG_FILE = "adapter_config.json";
    /** The weights' file name. */
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";

    private PeftAdapters() {
    }

    /**
     * Whether a directory holds PEFT adapters.
     *
     * @param dir a directory
     */
    public static boolean isAdapterDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG_FILE)) && Files.isRegularFile(dir.resolve(WEIGHTS_FILE));
    }

    /**
     * Writes the adapters, each file whole or not at all.
     *
     * @param model the adapted model
     * @param dir the directory, created if needed
     * @param baseModel the base model's name or path ({@code base_model_name_or_path})
     * @throws NotebenchException when a file cannot be written
     */
    public static void save(LoraModel model, Path dir, String baseModel) {
        LoraConfig lora = model.lora();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("peft_type", "LORA");
        config.put("task_type", "CAUSAL_LM");
        config.put("base_model_name_or_path", baseModel);
        config.put("r", lora.rank());
        config.put("lora_alpha", lora.alpha());
        config.put("lora_dropout", lora.dropout());
        config.put("target_modules", lora.targets());
        config.put("bias", "none");
        config.put("fan_in_fan_out", model.family().equals("gpt"));
        config.put("init_lora_weights", true);
        config.put("use_rslora", false);
        config.put("use_dora", false);
        config.put("modules_to_save", null);
        config.put("inference_mode", true);
        Map<String, TensorData> tensors = new TreeMap<>();
        for (String module : model.modules()) {
            tensors.put(PREFIX + module + ".lora_A.weight", data(model.a(module)));
            tensors.put(PREFIX + module + ".lora_B.weight", data(model.b(module)));
        }
        AtomicFiles.writeString(dir.resolve(CONFIG_FILE), new GsonBuilder().setPrettyPrinting().serializeNulls().create()
                .toJson(config));
        SafetensorsWriter.builder().metadata(Map.of("format", "pt")).build().writeFile(dir.resolve(WEIGHTS_FILE), tensors);
    }

    private static TensorData data(Parameter p) {
        NDArray a = p.getArray();
        return TensorData.of(a.toFloatArray(), a.getShape().getShape());
    }

    /**
     * Reads {@code adapter_config.json}.
     *
     * @param dir the adapter directory
     * @return the settings
     * @throws NotebenchException DATA_NOT_FOUND without the file; CONFIG_INVALID for settings
     *     Notebench does not compute (another PEFT type, rsLoRA, DoRA, biases, per-layer ranks,
     *     saved modules, a regular expression as targets)
     */
    public static LoraConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, dir + " has no " + CONFIG_FILE
                    + "; is it a PEFT adapter directory (PeftModel.save_pretrained writes one)?");
        }
        Map<String, Object> c;
        try {
            c = new Gson().fromJson(TextFiles.readUtf8(file, "the adapter configuration"),
                    new TypeToken<Map<String, Object>>() { }.getType());
        } catch (JsonParseException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not a JSON object (" + e.getMessage() + ")", e);
        }
        if (c == null || !"LORA".equals(c.get("peft_type"))) {
            throw unsupported(file, "peft_type " + (c == null ? null : c.get("peft_type")) + " (Notebench loads LORA)");
        }
        refuse(file, c, "use_rslora", Boolean.TRUE, "use_rslora true");
        refuse(file, c, "use_dora", Boolean.TRUE, "use_dora true");
        if (c.get("bias") != null && !"none".equals(c.get("bias"))) {
            throw unsupported(file, "bias " + c.get("bias") + " (Notebench adapts weights only: bias none)");
        }
        for (String key : List.of("rank_pattern", "alpha_pattern")) {
            if (c.get(key) instanceof Map<?, ?> m && !m.isEmpty()) {
                throw unsupported(file, key + " " + m + " (one rank and alpha for every layer)");
            }
        }
        if (c.get("modules_to_save") instanceof List<?> l && !l.isEmpty()) {
            throw unsupported(file, "modules_to_save " + l);
        }
        Object targets = c.get("target_modules");
        if (!(targets instanceof List<?> list)) {
            throw unsupported(file, "target_modules " + targets + " (Notebench takes a list of module names)");
        }
        return LoraConfig.of(number(file, c, "r", null).intValue(), number(file, c, "lora_alpha", LoraConfig.DEFAULT_ALPHA),
                number(file, c, "lora_dropout", 0.0), list.stream().map(String::valueOf).sorted().toList());
    }

    private static void refuse(Path file, Map<String, Object> c, String key, Object value, String what) {
        if (value.equals(c.get(key))) {
            throw unsupported(file, what);
        }
    }

    private static Double number(Path file, Map<String, Object> c, String key, Double otherwise) {
        Object v = c.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v == null && otherwise != null) {
            return otherwise;
        }
        throw new NotebenchException(ErrorCode.DATA_INVALID, file + " has no number " + key);
    }

    private static NotebenchException unsupported(Path file, String what) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, file + " has " + what + ", which Notebench does not compute");
    }

    /**
     * Adds the adapters of a directory to a model: the settings of {@code adapter_config.json},
     * the weights of {@code adapter_model.safetensors} (every adapted module's A and B, of their
     * shapes, and nothing else).
     *
     * @param base the base model (gpt or llama); the result owns it (closed here when loading fails)
     * @param dir the adapter directory
     * @param manager owns the adapters
     * @return the adapted model
     * @throws NotebenchException as {@link #readConfig}; DATA_INVALID when the weights do not fit
     *     the base
     */
    public static LoraModel load(LanguageModel base, Path dir, NDManager manager) {
        LoraConfig lora = readConfig(dir);
        if (!Files.isRegularFile(dir.resolve(WEIGHTS_FILE))) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, dir + " has no " + WEIGHTS_FILE
                    + "; Notebench reads safetensors adapters (save_pretrained(dir, safe_serialization=True))");
        }
        LoraModel model = LoraModel.attach(base, lora, manager);
        try (SafetensorsReader r = SafetensorsReader.open(dir.resolve(WEIGHTS_FILE))) {
            Map<String, Parameter> expected = new LinkedHashMap<>();
            for (String module : model.modules()) {
                expected.put(PREFIX + module + ".lora_A.weight", model.a(module));
                expected.put(PREFIX + module + ".lora_B.weight", model.b(module));
            }
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : expected.entrySet()) {
                long[] shape = e.getValue().getArray().getShape().getShape();
                if (!r.contains(e.getKey())) {
                    problems.add("no " + e.getKey());
                } else if (!Arrays.equals(r.info(e.getKey()).shape(), shape)) {
                    problems.add(e.getKey() + " is " + r.info(e.getKey()).shapeText() + ", not " + Arrays.toString(shape));
                }
            }
            r.names().stream().filter(n -> !expected.containsKey(n)).limit(3).forEach(n -> problems.add(n + " is not an adapter of"
                    + " this model"));
            if (!problems.isEmpty()) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "the adapters in " + dir + " do not fit the base model: "
                        + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                        + "; were they trained on this base (adapter_config.json names it)?");
            }
            NoGrad.run(() -> {
                for (Map.Entry<String, Parameter> e : expected.entrySet()) {
                    NDArray target = e.getValue().getArray();
                    try (NDManager scratch = target.getManager().newSubManager()) {
                        Tensors.copyInto(target, scratch.create(r.f32(e.getKey()), target.getShape(), DataType.FLOAT32));
                    }
                }
                return null;
            });
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
