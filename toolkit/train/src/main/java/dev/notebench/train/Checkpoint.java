package dev.notebench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.internal.Sha256;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.Tensors;
import dev.notebench.train.optim.OptimizerState;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint directory: {@code params.ndlist} (the weights, by name), {@code optimizer.ndlist}
 * (Adam's moments), {@code state.json} (step, updates, best validation loss) and, written last,
 * {@code checksums.sha256}: the sha256 of every other file, in the format of {@code sha256sum}
 * (so {@code sha256sum -c checksums.sha256} checks a checkpoint by hand). Written to a temporary
 * directory and renamed, so a crash never leaves half a checkpoint; loading verifies every file
 * against its checksum, so a changed byte is an error naming the checkpoint to go back to, never
 * a model trained on from damaged weights. A checkpoint written before checksums were kept (no
 * {@code checksums.sha256}) loads with a warning.
 */
public final class Checkpoint {
    static final String PARAMS = "params.ndlist";
    static final String OPTIMIZER = "optimizer.ndlist";
    static final String STATE = "state.json";
    /** The checksum file's name in a checkpoint directory. */
    public static final String CHECKSUMS = "checksums.sha256";
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    private static final Pattern STEP = Pattern.compile("step-\\d{8}");

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
    public static void save(Path dir, LanguageModel model, OptimizerState optimizer, Map<String, Object> state) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".writing");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        NDList params = new NDList();
        for (Parameter p : model.parameters()) {
            NDArray a = p.getArray();
            a.setName(p.getName());
            params.add(a);
        }
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put(PARAMS, write(tmp.resolve(PARAMS), params));
        if (optimizer != null) {
            sums.put(OPTIMIZER, write(tmp.resolve(OPTIMIZER), optimizer.state()));
        }
        Map<String, Object> s = new LinkedHashMap<>(state);
        s.put("family", model.family());
        s.put("vocab_size", model.vocabSize());
        s.put("model", model.config().values());
        byte[] json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(s)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(tmp.resolve(STATE), json);
        sums.put(STATE, Sha256.hex(json));
        StringBuilder lines = new StringBuilder();
        sums.forEach((file, sum) -> lines.append(sum).append("  ").append(file).append('\n'));
        Files.writeString(tmp.resolve(CHECKSUMS), lines, StandardCharsets.UTF_8); // last: a checkpoint without it is not whole
        deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a checkpoint's state, verified against its checksum.
     *
     * @param dir the checkpoint directory
     * @throws NotebenchException with {@link ErrorCode#CACHE_CORRUPT} when it is damaged
     */
    public static JsonObject state(Path dir) {
        return state(dir, checksums(dir));
    }

    private static JsonObject state(Path dir, Map<String, String> sums) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(STATE));
        } catch (IOException e) {
            throw corrupt(dir, e);
        }
        if (sums != null) {
            verify(dir, STATE, sums, Sha256.hex(bytes));
        }
        try {
            return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
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
     * @throws NotebenchException with {@link ErrorCode#CACHE_CORRUPT} when a file does not match its checksum
     *     or the files do not match the model
     */
    public static JsonObject load(Path dir, LanguageModel model, OptimizerState optimizer) {
        Map<String, String> sums = checksums(dir);
        if (sums == null) {
            LOG.warn("checkpoint {} has no {} (it was written before Notebench kept checksums); loading it unverified", dir, CHECKSUMS);
        }
        JsonObject state = state(dir, sums);
        int vocab = state.get("vocab_size").getAsInt();
        if (vocab != model.vocabSize()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "checkpoint " + dir + " has a vocabulary of " + vocab
                    + " tokens but the tokenizer has " + model.vocabSize() + "; use the tokenizer the model was trained with");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDList params = read(dir, PARAMS, m, sums);
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
                dev.notebench.train.model.NoGrad.run(() -> { // on any thread, not only the engine's first
                    Tensors.copyInto(p.getArray(), saved);
                    return null;
                });
            }
            if (optimizer != null) {
                optimizer.restore(read(dir, OPTIMIZER, m, sums), state.get("updates").getAsLong());
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
            return s.filter(p -> STEP.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p.resolve(STATE)))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Returns the step a step checkpoint was taken after.
     *
     * @param dir a directory named {@code step-NNNNNNNN}
     */
    public static long step(Path dir) {
        return Long.parseLong(dir.getFileName().toString().substring("step-".length()));
    }

    /** Writes a list and returns the sha256 of what was written. */
    private static String write(Path file, NDList list) throws IOException {
        Sha256.Hasher sum = Sha256.hasher();
        try (OutputStream out = sum.wrap(new BufferedOutputStream(Files.newOutputStream(file)))) {
            list.encode(out);
        }
        return sum.hex();
    }

    /** Reads a list, verifying the file against its checksum (when the checkpoint has checksums). */
    private static NDList read(Path dir, String name, NDManager m, Map<String, String> sums) throws IOException {
        Sha256.Hasher sum = Sha256.hasher();
        try (InputStream in = sum.wrap(new BufferedInputStream(Files.newInputStream(dir.resolve(name))))) {
            NDList list;
            try {
                list = NDList.decode(m, in);
            } catch (RuntimeException e) {
                if (sums != null) { // a changed byte that broke the structure: say so, as for any other
                    in.transferTo(OutputStream.nullOutputStream());
                    verify(dir, name, sums, sum.hex());
                }
                throw e;
            }
            in.transferTo(OutputStream.nullOutputStream());
            if (sums != null) {
                verify(dir, name, sums, sum.hex());
            }
            return list;
        }
    }

    /**
     * The checksums of a checkpoint by file name, or null when it has no checksum file (it was
     * written before checksums were kept).
     */
    private static Map<String, String> checksums(Path dir) {
        Path f = dir.resolve(CHECKSUMS);
        if (!Files.exists(f)) {
            return null;
        }
        Map<String, String> sums = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.CACHE_CORRUPT, damaged(dir, CHECKSUMS + " cannot be read (" + e.getMessage() + ")"), e);
        }
        for (String line : lines) {
            int sep = line.indexOf(' ');
            if (sep != 64 || line.length() < 67 || !line.substring(0, 64).matches("[0-9a-f]{64}")) {
                throw new NotebenchException(ErrorCode.CACHE_CORRUPT, damaged(dir, CHECKSUMS + " has a line that is not"
                        + " 'SHA256  FILE': " + line));
            }
            sums.put(line.substring(66), line.substring(0, 64));
        }
        return sums;
    }

    private static void verify(Path dir, String name, Map<String, String> sums, String actual) {
        String expected = sums.get(name);
        if (expected == null) {
            throw new NotebenchException(ErrorCode.CACHE_CORRUPT, damaged(dir, CHECKSUMS + " has no checksum of " + name));
        }
        if (!expected.equals(actual)) {
            throw new NotebenchException(ErrorCode.CACHE_CORRUPT, damaged(dir, name + " does not match its sha256 in "
                    + CHECKSUMS + " (the file changed after it was written)"));
        }
    }

    /**
     * What to say about a damaged checkpoint: what is wrong, and how to go back to the checkpoint
     * before it.
     */
    static String damaged(Path checkpoint, String what) {
        Path dir = checkpoint.toAbsolutePath().normalize();
        String name = dir.getFileName().toString();
        Path checkpoints = dir.getParent();
        Path run = checkpoints == null ? null : checkpoints.getParent();
        String msg = "checkpoint " + dir + " is damaged: " + what;
        if (run == null || !Files.isRegularFile(run.resolve(RunDirectory.MANIFEST))) {
            return msg + "; use another checkpoint";
        }
        List<Path> steps = list(checkpoints);
        String aside = "mv " + dir + " " + run.resolve(name + ".damaged");
        if (STEP.matcher(name).matches()) {
            Path earlier = steps.stream().filter(p -> p.getFileName().toString().compareTo(name) < 0).reduce((a, b) -> b)
                    .orElse(null);
            return msg + (earlier != null
                    ? "; to resume from the earlier checkpoint " + earlier.getFileName() + ", move this one out of the way ("
                            + aside + ") and run " + FrontEnd.command("train --resume " + run) + " again"
                    : "; there is no earlier checkpoint: move this one out of the way (" + aside + ") and "
                            + FrontEnd.command("train --resume " + run) + " trains the run again from the first step");
        }
        Path latest = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        return msg + (latest != null ? "; use the latest step checkpoint instead (--run " + latest + "), or move this one out of"
                + " the way (" + aside + ")" : "; move it out of the way (" + aside + ")");
    }

    private static NotebenchException corrupt(Path dir, Exception e) {
        return new NotebenchException(ErrorCode.CACHE_CORRUPT, damaged(dir, "it cannot be read (" + e.getMessage() + ")"), e);
    }

    /**
     * Deletes a directory and everything in it; nothing when it does not exist.
     *
     * @param dir the directory
     * @throws IOException when something in it cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
