package dev.notebench.train.generate;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.train.Checkpoint;
import dev.notebench.train.RunModel;
import dev.notebench.train.RunDirectory;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model loaded from a checkpoint with its tokenizer, ready to generate, score or evaluate.
 * Owns native memory; close it.
 *
 * <pre>{@code
 * try (TrainedModel m = TrainedModel.load(Path.of("runs/gpt-sotu"))) {       // the best checkpoint
 *     String text = new Generator(m).generate("My fellow Americans", GenerateOptions.defaults()).get(0);
 * }
 * }</pre>
 */
public final class TrainedModel implements AutoCloseable {
    private final NDManager manager;
    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final Path checkpoint;
    private final long step;
    private final int[] eosIds;

    private TrainedModel(NDManager manager, LanguageModel model, Tokenizer tokenizer, Path checkpoint, long step, int[] eosIds) {
        this.manager = manager;
        this.eosIds = eosIds.clone();
        this.model = model;
        this.tokenizer = tokenizer;
        this.checkpoint = checkpoint;
        this.step = step;
    }

    /**
     * Loads a run's best checkpoint (or its latest when it has no best), or a given checkpoint
     * directory, with the run's tokenizer.
     *
     * @param path a run directory or a checkpoint directory
     * @return the model; close it
     */
    public static TrainedModel load(Path path) {
        Path run;
        Path cp;
        Path grand = path.toAbsolutePath().getParent() == null ? null : path.toAbsolutePath().getParent().getParent();
        if (RunDirectory.isRun(path)) {
            run = path;
            cp = RunDirectory.open(run).modelCheckpoint();
        } else if (Files.isRegularFile(path.resolve("state.json")) && grand != null && RunDirectory.isRun(grand)) {
            run = grand;
            cp = path;
        } else {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, path + " is not a run directory (no " + RunDirectory.MANIFEST
                    + ") nor a checkpoint in one; train one first (" + FrontEnd.command("train") + "); " + FrontEnd.command("runs")
                    + " lists the runs");
        }
        RunDirectory r = RunDirectory.open(run);
        Tokenizer tokenizer = TokenizerArtifact.load(r.config().tokenizer());
        JsonObject state = Checkpoint.state(cp);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : state.getAsJsonObject("model").entrySet()) {
            JsonElement v = e.getValue();
            var p = v.getAsJsonPrimitive();
            values.put(e.getKey(), p.isBoolean() ? (Object) p.getAsBoolean() : p.isNumber() ? (Object) p.getAsDouble() : p.getAsString());
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            LanguageModel model = r.config().fineTune() != null ? RunModel.create(r.config(), tokenizer.vocabSize(), manager)
                    : ModelFamilies.get(state.get("family").getAsString())
                            .create(new ModelConfig(state.get("family").getAsString(), values), tokenizer.vocabSize(), manager);
            Checkpoint.load(cp, model, null);
            int eos = Generator.eosId(tokenizer);
            return new TrainedModel(manager, model, tokenizer, cp, state.get("step").getAsLong(),
                    eos < 0 ? new int[0] : new int[] {eos});
        } catch (RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }

    /**
     * Wraps a model loaded by other means (a Hugging Face checkpoint), taking ownership of the
     * manager, the model and the tokenizer: closing the result closes them.
     *
     * @param manager the manager the model's parameters live in
     * @param model the model
     * @param tokenizer its tokenizer
     * @param source where it was loaded from (shown in results and reports)
     * @param eosIds the ids that end a generated text (none: generation runs to its length)
     * @return the model, ready to generate, score or evaluate
     */
    public static TrainedModel of(NDManager manager, LanguageModel model, Tokenizer tokenizer, Path source, int[] eosIds) {
        return new TrainedModel(manager, model, tokenizer, source, -1, eosIds);
    }

    /** Returns the model. */
    public LanguageModel model() {
        return model;
    }

    /** Returns the tokenizer. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Returns the checkpoint directory loaded (a Hugging Face model's directory). */
    public Path checkpoint() {
        return checkpoint;
    }

    /** Returns the step the checkpoint was taken after; -1 for a model Notebench did not train. */
    public long step() {
        return step;
    }

    /**
     * Returns the ids that end a generated text: the tokenizer's {@code <|endoftext|>} for a model
     * Notebench trained, a pretrained model's {@code eos_token_id}s; none when it has none.
     */
    public int[] eosIds() {
        return eosIds.clone();
    }

    /** Returns the manager the model lives in (for scratch arrays, use a sub-manager). */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
        manager.close();
    }
}
