package dev.notebench.train.pretrained;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.hub.HubSettings;
import dev.notebench.hub.ModelResolver;
import dev.notebench.options.OptionValues;
import dev.notebench.progress.Progress;
import dev.notebench.train.generate.ModelOptions;
import dev.notebench.train.generate.TrainedModel;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model a {@code generate}, {@code score} or {@code eval} command names: a run's best
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
