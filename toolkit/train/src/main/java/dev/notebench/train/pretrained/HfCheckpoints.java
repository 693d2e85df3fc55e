package dev.notebench.train.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.TextFiles;
import dev.notebench.safetensors.SafetensorsReader;
import dev.notebench.safetensors.TensorInfo;
import dev.notebench.tokenize.BpeEncoder;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.train.model.Gpt2Weights;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.LlamaFamily;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.model.NoGrad;
import dev.notebench.train.model.ParameterSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Hugging Face causal-LM checkpoints: a directory as {@code save_pretrained} writes it
 * ({@code config.json}, {@code model.safetensors} or a sharded index, {@code tokenizer.json},
 * {@code generation_config.json}) loaded as a {@link TrainedModel} that generates, scores and
 * evaluates as a run's model does. Architectures: {@code gpt2}, {@code llama}, {@code mistral},
 * {@code qwen2}, {@code qwen3}. F32 weights are mapped from the file copy-on-write, as PyTorch's
 * safetensors loading holds them: the model is ready at once, pages are read as they are first used
 * and shared with the page cache, and training writes to private copies, never to the file (which
 * must not be rewritten in place while the model lives). F16, BF16 and F64 weights (converted to
 * F32), GPT-2's transposed Conv1D weights and files that cannot be mapped so are copied into the
 * parameters instead, a few rows at a time.
 *
 * <pre>{@code
 * try (TrainedModel m = HfCheckpoints.load(Path.of("models/qwen2.5-0.5b"))) {
 *     Scorer.Score s = new Scorer(m).score("The capital of France is Paris.", 3);
 * }
 * }</pre>
 */
public final class HfCheckpoints {
    /** The architectures ({@code model_type}) a checkpoint may have. */
    public static final List<String> MODEL_TYPES = List.of("gpt2", "llama", "mistral", "qwen2", "qwen3");
    /** Buffers older checkpoints saved beside the weights, recomputed by the model. */
    private static final Pattern BUFFERS = Pattern.compile(".*\\.rotary_emb\\.inv_freq");
    /** The buffer a checkpoint's tensors pass through on their way into the parameters. */
    private static final int PIECE_BYTES = 4 << 20;

    private HfCheckpoints() {
    }

    /**
     * Whether a directory looks like a Hugging Face model: a {@code config.json} and safetensors weights.
     *
     * @param dir a directory
     */
    public static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json")) && (Files.isRegularFile(dir.resolve(SafetensorsReader.MODEL_FILE))
                || Files.isRegularFile(dir.resolve(SafetensorsReader.INDEX_FILE)));
    }

    /**
     * Loads a checkpoint directory with its tokenizer.
     *
     * @param dir the directory
     * @return the model; close it
     * @throws NotebenchException DATA_NOT_FOUND when a file is missing, CONFIG_INVALID for an
     *     architecture or setting Notebench does not compute, DATA_INVALID for weights that do not
     *     fit the configuration
     */
    public static TrainedModel load(Path dir) {
        Path tokenizerFile = dir.resolve("tokenizer.json");
        Map<String, Object> config = config(dir);
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, dir + " has no tokenizer.json; Notebench reads the fast"
                    + " tokenizer's file (save it with AutoTokenizer.from_pretrained(...).save_pretrained(dir))");
        }
        Tokenizer tokenizer = BpeEncoder.load(tokenizerFile, true); // Java where it computes HF's ids, else DJL
        NDManager manager = NDManager.newBaseManager();
        try {
            LanguageModel model = loadModel(dir, config, manager);
            return TrainedModel.of(manager, model, tokenizer, dir, eosIds(dir, config));
        } catch (RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }

    /**
     * Loads a checkpoint's model alone (no tokenizer needed).
     *
     * @param dir the directory: {@code config.json} and the weights
     * @param manager the manager that will own the parameters
     * @return the model, its weights the checkpoint's; close it
     * @throws NotebenchException as {@link #load(Path)}
     */
    public static LanguageModel loadModel(Path dir, NDManager manager) {
        return loadModel(dir, config(dir), manager);
    }

    private static Map<String, Object> config(Path dir) {
        Map<String, Object> config = readJson(dir.resolve("config.json"), "the model's configuration", true);
        String type = String.valueOf(config.get("model_type"));
        if (!MODEL_TYPES.contains(type)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, dir.resolve("config.json") + " has model_type " + type
                    + (config.get("architectures") != null ? " (" + config.get("architectures") + ")" : "")
                    + "; Notebench loads " + String.join(", ", MODEL_TYPES));
        }
        Object vocab = config.get("vocab_size");
        if (!(vocab instanceof Number n) || n.intValue() < 1) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, dir.resolve("config.json") + " has no vocab_size");
        }
        return config;
    }

    /**
     * The model family and hyperparameters of a checkpoint's {@code config.json}.
     *
     * @param dir the directory
     * @return the configuration, defaults filled in
     * @throws NotebenchException as {@link #load(Path)}
     */
    public static ModelConfig modelConfig(Path dir) {
        return modelConfig(config(dir));
    }

    private static ModelConfig modelConfig(Map<String, Object> config) {
        return "gpt2".equals(config.get("model_type")) ? Gpt2Weights.fromHuggingFace(config) : LlamaFamily.fromHuggingFace(config);
    }

    private static LanguageModel loadModel(Path dir, Map<String, Object> config, NDManager manager) {
        Function<String, Optional<Gpt2Weights.Target>> target = "gpt2".equals(config.get("model_type"))
                ? Gpt2Weights::target : HfCheckpoints::sameName;
        ModelConfig modelConfig = modelConfig(config);
        try (SafetensorsReader weights = SafetensorsReader.open(dir)) {
            Map<String, String> stored = new HashMap<>(); // parameter -> its tensor, where stored as the parameter is laid out
            for (String name : weights.names()) {
                target.apply(name).filter(t -> !t.transposed()).ifPresent(t -> stored.putIfAbsent(t.name(), name));
            }
            Set<String> mapped = new HashSet<>();
            ParameterSource source = (name, shape, m) -> {
                String tensor = stored.get(name);
                if (tensor == null || !Arrays.equals(weights.info(tensor).shape(), shape.getShape())) {
                    return null; // reported by copyWeights with everything else that does not fit
                }
                Optional<ByteBuffer> file = weights.mapCopyOnWrite(tensor);
                file.ifPresent(b -> mapped.add(name));
                return file.map(b -> m.create(b, shape, DataType.FLOAT32)).orElse(null);
            };
            LanguageModel model = ModelFamilies.get(modelConfig.family()).load(modelConfig,
                    ((Number) config.get("vocab_size")).intValue(), manager, source);
            try {
                copyWeights(weights, model, target, mapped);
                return model;
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
    }

    private static Optional<Gpt2Weights.Target> sameName(String name) {
        return BUFFERS.matcher(name).matches() ? Optional.empty() : Optional.of(new Gpt2Weights.Target(name, false));
    }

    /**
     * Checks that every parameter has exactly one tensor of its shape, then copies each tensor
     * into its parameter but for those already mapped from the file.
     */
    private static void copyWeights(SafetensorsReader weights, LanguageModel model,
                                    Function<String, Optional<Gpt2Weights.Target>> target, Set<String> mapped) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        model.parameters().forEach(p -> byName.put(p.getName(), p));
        Map<String, String> source = new LinkedHashMap<>(); // parameter -> tensor
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (String name : weights.names()) {
            Optional<Gpt2Weights.Target> t = target.apply(name);
            if (t.isEmpty()) {
                continue;
            }
            Parameter p = byName.get(t.get().name());
            if (p == null) {
                if (!name.equals("lm_head.weight")) { // a tied head saved anyway is the embedding again
                    unexpected.add(name);
                }
                continue;
            }
            TensorInfo info = weights.info(name);
            long[] shape = t.get().transposed() ? reversed(info.shape()) : info.shape();
            if (!Arrays.equals(shape, p.getArray().getShape().getShape())) {
                mismatched.add(name + " is " + info.shapeText() + ", the model's " + p.getName() + " is " + p.getArray().getShape());
            } else {
                source.put(p.getName(), name);
            }
        }
        List<String> missing = byName.keySet().stream().filter(k -> !source.containsKey(k)).toList();
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add(missing.size() + " missing (" + first(missing) + ")");
            }
            if (!unexpected.isEmpty()) {
                parts.add(unexpected.size() + " not in the model (" + first(unexpected) + ")");
            }
            if (!mismatched.isEmpty()) {
                parts.add(mismatched.size() + " of another shape (" + first(mismatched) + ")");
            }
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the weights in " + weights + " do not fit config.json: "
                    + String.join("; ", parts) + "; is config.json the one saved with these weights?");
        }
        ByteBuffer piece = ByteBuffer.allocateDirect(PIECE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        NoGrad.run(() -> {
            for (Map.Entry<String, String> e : source.entrySet()) {
                if (mapped.contains(e.getKey())) {
                    continue;
                }
                copyTensor(weights, e.getValue(), byName.get(e.getKey()).getArray(), target.apply(e.getValue()).get().transposed(), piece);
            }
            return null;
        });
    }

    /**
     * Copies one tensor into a parameter's storage a few rows at a time through a small buffer,
     * with positional reads: no second copy of a tensor and no mapped page of the file outlives
     * its piece, so loading needs about the model's size in memory, as transformers does.
     * A GPT-2 Conv1D weight (stored in, out) fills the parameter's (out, in) columns.
     */
    private static void copyTensor(SafetensorsReader weights, String name, NDArray parameter, boolean transposed, ByteBuffer buffer) {
        TensorInfo info = weights.info(name);
        long[] shape = info.shape(); // the parameter's (or its transpose): at least one dimension
        long rows = shape[0];
        long rowLength = rows == 0 ? 0 : info.elementCount() / rows;
        if (rowLength == 0) {
            return;
        }
        ByteBuffer piece = rowLength * 4 <= buffer.capacity() ? buffer
                : ByteBuffer.allocateDirect(Math.toIntExact(rowLength * 4)).order(ByteOrder.LITTLE_ENDIAN);
        long rowsPerPiece = piece.capacity() / (rowLength * 4);
        for (long row = 0; row < rows; row += rowsPerPiece) {
            long n = Math.min(rowsPerPiece, rows - row);
            piece.clear().limit(Math.toIntExact(n * rowLength * 4));
            weights.readF32(name, row * rowLength, piece);
            long[] pieceShape = shape.clone();
            pieceShape[0] = n;
            try (NDManager scratch = parameter.getManager().newSubManager()) {
                // a view of the buffer (DJL wraps direct memory without copying); copied into the parameter at once
                NDArray values = scratch.create(piece, new Shape(pieceShape), DataType.FLOAT32);
                if (transposed) {
                    parameter.set(new NDIndex(":, {}:{}", row, row + n), values.transpose());
                } else {
                    parameter.set(new NDIndex("{}:{}", row, row + n), values);
                }
            }
        }
    }

    private static long[] reversed(long[] shape) {
        long[] r = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            r[i] = shape[shape.length - 1 - i];
        }
        return r;
    }

    private static String first(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? ", ..." : "");
    }

    /**
     * The ids that end generation: {@code generation_config.json}'s {@code eos_token_id} (one or a
     * list), else {@code config.json}'s.
     */
    private static int[] eosIds(Path dir, Map<String, Object> config) {
        Map<String, Object> generation = readJson(dir.resolve("generation_config.json"), "the generation configuration", false);
        Object eos = generation.get("eos_token_id") != null ? generation.get("eos_token_id") : config.get("eos_token_id");
        TreeSet<Integer> ids = new TreeSet<>();
        if (eos instanceof Number n) {
            ids.add(n.intValue());
        } else if (eos instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Number n) {
                    ids.add(n.intValue());
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reads a JSON object file; an absent optional file is empty. */
    static Map<String, Object> readJson(Path file, String what, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (!required) {
                return Map.of();
            }
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, file.getParent() + " has no " + file.getFileName()
                    + "; is it a Hugging Face model directory (save_pretrained writes one)?");
        }
        try {
            Map<String, Object> m = new Gson().fromJson(TextFiles.readUtf8(file, what), new TypeToken<Map<String, Object>>() { }.getType());
            if (m == null) {
                throw new JsonParseException("empty");
            }
            return m;
        } catch (JsonParseException | IllegalStateException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is not a JSON object (" + e.getMessage() + ")", e);
        }
    }
}
