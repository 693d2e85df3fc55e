package dev.notebench.train.generate;

import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import java.nio.file.Path;

/**
 * The options of using a trained model, declared once: {@code %generate}, {@code %score},
 * {@code %eval}, {@code %export} and {@code ./notebench generate|score|eval|export} are derived from them.
 *
 * <pre>{@code
 * OptionValues v = ModelOptions.SCORE.parse(List.of("--run", "runs/gpt-sotu", "The", "state"));
 * new Scorer(TrainedModel.load(v.get(ModelOptions.RUN))).score(String.join(" ", v.positional()), v.get(ModelOptions.SCORE_TOP_K));
 * }</pre>
 */
public final class ModelOptions {
    /** {@code --run RUN_DIR}: the run whose best checkpoint is used. */
    public static final Option<Path> RUN = Option.path("run").label("RUN_DIR").required()
            .help("the run (its best checkpoint)");
    /** {@code --model DIR_OR_NAME}: a Hugging Face model instead of a run. */
    public static final Option<String> MODEL = Option.string("model").label("DIR_OR_NAME")
            .help("a Hugging Face model instead of a run: its directory, or org/name[@revision] from the Hugging Face cache"
                    + " (downloaded from the hub when online)");
    /** {@code --json}: the result as one JSON object. */
    public static final Option<Boolean> JSON = Option.flag("json").help("print the result as one JSON object");
    /** {@code --top-k N} of {@code score}: predictions shown per position. */
    public static final Option<Integer> SCORE_TOP_K = Option.integer("top-k", 1, 20).defaultValue(3)
            .help("predictions shown per position");
    /** {@code --file PATH} of {@code eval}. */
    public static final Option<Path> FILE = Option.path("file").defaultText("the run's validation split")
            .help("evaluate on this text, or on the completions of a .jsonl file of fine-tuning rows (required with --model:"
                    + " a Hugging Face model has no validation split)");
    /** {@code --prompt TEXT} of {@code eval}, repeatable. */
    public static final Option<String> PROMPT = Option.string("prompt").repeatable()
            .defaultText("fixed prompts: " + String.join(", ", Evaluator.DEFAULT_PROMPTS)).help("a prompt for the samples");

    /** {@code generate}: the run or model, how to sample, and the prompt. */
    public static final OptionSet GENERATE = OptionSet.of(RUN, MODEL).plus(GenerateOptions.OPTIONS.options().toArray(Option<?>[]::new))
            .plus(JSON).positional("PROMPT", "the prompt (words joined with spaces)", 0).orElse(MODEL);
    /** {@code score}: the run or model, and the text. */
    public static final OptionSet SCORE = OptionSet.of(RUN, MODEL, SCORE_TOP_K, JSON)
            .positional("TEXT", "the text (words joined with spaces)", 1).orElse(MODEL);
    /** {@code --out DIR} of {@code export}. */
    public static final Option<Path> OUT = Option.path("out").label("DIR").required()
            .help("the directory to write the Hugging Face checkpoint to: a new or empty one, or an earlier export (replaced)");

    /** {@code --adapters} of {@code export}. */
    public static final Option<Boolean> ADAPTERS = Option.flag("adapters").help("with a LoRA run: write its adapters alone in"
            + " PEFT's format (adapter_config.json, adapter_model.safetensors; PeftModel.from_pretrained loads them over the base"
            + " model) instead of the model with the adapters merged into its weights");

    /** {@code eval}: the run or model, and what to evaluate on. */
    public static final OptionSet EVAL = OptionSet.of(RUN, MODEL, FILE, PROMPT).orElse(MODEL);
    /** {@code export}: the run or model, and where its Hugging Face checkpoint goes. */
    public static final OptionSet EXPORT = OptionSet.of(RUN, MODEL, OUT, ADAPTERS).orElse(MODEL);

    private ModelOptions() {
    }
}
