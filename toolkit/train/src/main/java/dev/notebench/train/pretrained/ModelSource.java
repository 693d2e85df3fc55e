package dev.notebench.train.pretrained;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.hub.HubSettings;
import dev.notebench.hub.ModelResolver;
import dev.notebench.options.OptionValues;
import dev.notebench.progress.Progress;
import dev.notebench.train.generate.Evaluator;
import dev.notebench.train.generate.ModelOptions;
import dev.notebench.train.generate.TrainedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The model a {@code generate}, {@code score}, {@code eval} or {@code export} command names: a run's best
 * checkpoint ({@code --run RUN_DIR}) or a Hugging Face model ({@code --model DIR_OR_NAME}: a
 * directory, or {@code org/name[@revision]} found in the Hugging Face cache, or downloaded from the
 * hub when online). Both front ends open models through it, with their own environment.
 */
public final class ModelSource {
    private ModelSource() {
    }

    /**
     * Checks that the options name one model.
     *
     * @param values the command's options
     * @return true for a run, false for a Hugging Face model
     * @throws NotebenchException CONFIG_INVALID when both or neither are given
     */
    public static boolean check(OptionValues values) {
        boolean run = values.has(ModelOptions.RUN);
        if (run == values.has(ModelOptions.MODEL)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, run ? "give --run or --model, not both"
                    : "give --run RUN_DIR (a model Notebench trained) or --model DIR_OR_NAME (a Hugging Face model)");
        }
        return run;
    }

    /**
     * Checks the options of {@code eval}: one model, and with {@code --model} a {@code --file}
     * (a Hugging Face model has no validation split) and no {@code --prompt} (its evaluation
     * writes no files, so no samples).
     *
     * @param values the options of {@link ModelOptions#EVAL}
     * @return true for a run, false for a Hugging Face model
     * @throws NotebenchException CONFIG_INVALID naming what to give
     */
    public static boolean checkEval(OptionValues values) {
        boolean run = check(values);
        if (!run && !values.has(ModelOptions.FILE)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a Hugging Face model has no validation split; give --file TEXT"
                    + " to evaluate --model on");
        }
        if (!run && values.has(ModelOptions.PROMPT)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--prompt draws samples into a run's eval/ directory; evaluating"
                    + " --model writes no files: sample it with generate --model instead");
        }
        return run;
    }

    /**
     * Evaluates the run or model {@code eval}'s options name: a run as {@link Evaluator#evaluate(Path, Path, List,
     * dev.notebench.train.generate.GenerateOptions)} does (written to its {@code eval/}), a Hugging Face model on
     * {@code --file} ({@link Evaluator#evaluate(TrainedModel, Path)}).
     *
     * @param values the options of {@link ModelOptions#EVAL}
     * @param environment the environment variables, as {@link #open}
     * @param home the user's home directory
     * @param progress where a download reports
     * @return the metrics
     * @throws NotebenchException CONFIG_INVALID from {@link #checkEval}, or what evaluating throws
     */
    public static Evaluator.Metrics evaluate(OptionValues values, Map<String, String> environment, Path home, Progress progress) {
        if (checkEval(values)) {
            List<String> prompts = values.has(ModelOptions.PROMPT) ? values.all(ModelOptions.PROMPT) : Evaluator.DEFAULT_PROMPTS;
            return Evaluator.evaluate(values.get(ModelOptions.RUN), values.get(ModelOptions.FILE), prompts, Evaluator.SAMPLING);
        }
        try (TrainedModel m = open(values, environment, home, progress)) {
            return Evaluator.evaluate(m, values.get(ModelOptions.FILE));
        }
    }

    /**
     * Exports the run or model {@code export}'s options name as a Hugging Face checkpoint in {@code --out}
     * ({@link HfExport#save}), or with {@code --adapters} a LoRA run's adapters ({@link HfExport#saveAdapters}).
     *
     * @param values the options of {@link ModelOptions#EXPORT}
     * @param environment the environment variables, as {@link #open}
     * @param home the user's home directory
     * @param progress where a download reports
     * @return the directory written
     * @throws NotebenchException CONFIG_INVALID when both or neither model options are given, or what
     *     loading and exporting throw
     */
    public static Path export(OptionValues values, Map<String, String> environment, Path home, Progress progress) {
        try (TrainedModel m = open(values, environment, home, progress)) {
            return values.get(ModelOptions.ADAPTERS) ? HfExport.saveAdapters(m, values.get(ModelOptions.OUT))
                    : HfExport.save(m, values.get(ModelOptions.OUT));
        }
    }

    /**
     * Opens the model the options name.
     *
     * @param values the command's options ({@link ModelOptions#RUN} or {@link ModelOptions#MODEL})
     * @param environment the environment variables ({@code HF_HOME}, {@code HF_HUB_CACHE},
     *     {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code HF_HUB_OFFLINE})
     * @param home the user's home directory (for {@code ~/.cache/huggingface})
     * @param progress where a download reports
     * @return the model; close it
     * @throws NotebenchException CONFIG_INVALID when both or neither are given, or what loading throws
     */
    public static TrainedModel open(OptionValues values, Map<String, String> environment, Path home, Progress progress) {
        if (check(values)) {
            return TrainedModel.load(values.get(ModelOptions.RUN));
        }
        return HfCheckpoints.load(resolve(values.get(ModelOptions.MODEL), environment, home, progress));
    }

    /**
     * Finds a Hugging Face model's directory: the directory itself, or {@code org/name[@revision]}
     * in the Hugging Face cache, or downloaded from the hub when online.
     *
     * @param nameOrDir a directory or a model name
     * @param environment the environment variables, as for {@link #open}
     * @param home the user's home directory
     * @param progress where a download reports
     * @return the model's directory
     * @throws NotebenchException when it is neither a directory nor found
     */
    public static Path resolve(String nameOrDir, Map<String, String> environment, Path home, Progress progress) {
        return new ModelResolver(HubSettings.fromEnvironment(environment, home)).resolve(nameOrDir, progress);
    }
}
