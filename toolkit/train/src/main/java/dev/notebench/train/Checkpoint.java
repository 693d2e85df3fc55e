package dev.notebench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.optim.AdamW;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A checkpoint directory: {@code params.ndlist} (the weights, by name), {@code optimizer.ndlist}
 * (Adam's moments) and {@code state.json} (step, updates, best validation loss). Written to a
 * temporary directory and renamed, so a crash never leaves half a checkpoint.
 */
public final class Checkpoint {
    static final String PARAMS = "params.ndlist";
    static final String OPTIMIZER = "optimizer.ndlist";
    static final String STATE = "state.json";

    private Checkpoint() {
    }

    /**
     * Writes a checkpoint.
     *
     * @param dir the checkpoint directory (replaced if it exists)
     * @param model the model
     * @param optimizer the optimizer (may be null: weights only)
     * @param state step and bookkeeping
     */
    public static void save(Path dir, LanguageModel model, AdamW optimizer, Map<String, Object> state) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".writing");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        NDList params = new NDList();
        for (Parameter p : model.parameters()) {
            NDArray a = p.getArray();
            a.setName(p.getName());
            params.add(a);
        }
        write(tmp.resolve(PARAMS), params);
        if (optimizer != null) {
            write(tmp.resolve(OPTIMIZER), optimizer.state());
        }
        Map<String, Object> s = new LinkedHashMap<>(state);
        s.put("family", model.family());
        s.put("vocab_size", model.vocabSize());
        s.put("model", model.config().values());
        Files.writeString(tmp.resolve(STATE), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(s), StandardCharsets.UTF_8);
        deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a checkpoint's state.
     *
     * @param dir the checkpoint directory
     */
    public static JsonObject state(Path dir) {
        try {
            return JsonParser.parseString(Files.readString(dir.resolve(STATE), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw corrupt(dir, e);
        }
    }

    /**
     * Loads weights (and, if given, optimizer moments) into a model built with the same config.
     *
     * @param dir the checkpoint directory
     * @param model the model to fill
     * @param optimizer the optimizer to fill, or null
     * @return the checkpoint's state
     * @throws NotebenchException with {@link ErrorCode#CACHE_CORRUPT} when the files do not match the model
     */
    public static JsonObject load(Path dir, LanguageModel model, AdamW optimizer) {
        JsonObject state = state(dir);
        int vocab = state.get("vocab_size").getAsInt();
        if (vocab != model.vocabSize()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "checkpoint " + dir + " has a vocabulary of " + vocab
                    + " tokens but the tokenizer has " + model.vocabSize() + "; use the tokenizer the model was trained with");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDList params = read(dir.resolve(PARAMS), m);
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : params) {
                byName.put(a.getName(), a);
            }
            for (Parameter p : model.parameters()) {
                NDArray saved = byName.get(p.getName());
                if (saved == null || !saved.getShape().equals(p.getArray().getShape())) {
                    throw new NotebenchException(ErrorCode.CACHE_CORRUPT, "checkpoint " + dir + " has no " + p.getName()
                            + " of shape " + p.getArray().getShape() + "; it belongs to another model configuration");
                }
                copyInto(p.getArray(), saved);
            }
            if (optimizer != null) {
                optimizer.restore(read(dir.resolve(OPTIMIZER), m), state.get("updates").getAsLong());
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof NotebenchException n) {
                throw n;
            }
            throw corrupt(dir, e);
        }
        return state;
    }

    /**
     * Returns the checkpoint directories of a run, oldest first.
     *
     * @param checkpoints the run's {@code checkpoints} directory
     */
    public static List<Path> list(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(checkpoints)) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-") && Files.isRegularFile(p.resolve(STATE)))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void write(Path file, NDList list) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            list.encode(out);
        }
    }

    private static NDList read(Path file, NDManager m) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return NDList.decode(m, in);
        }
    }

    private static NotebenchException corrupt(Path dir, Exception e) {
        return new NotebenchException(ErrorCode.CACHE_CORRUPT, "checkpoint " + dir + " cannot be read (" + e.getMessage()
                + "); resume from an earlier checkpoint or delete this one", e);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String json(Object o) {
        return new Gson().toJson(o);
    }

    /**
     * Copies an array's values into another's own storage. ({@code NDArray.set(ByteBuffer)} would
     * instead point the target at Java direct memory, which torch did not allocate and does not
     * align as it aligns its own.)
     *
     * @param target receives the values, keeps its storage, device and type
     * @param source the values, of the same shape
     */
    public static void copyInto(NDArray target, NDArray source) {
        try (NDArray onDevice = source.toDevice(target.getDevice(), true)) {
            target.set(new NDIndex(":"), onDevice);
        }
    }
}
