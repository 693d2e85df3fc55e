package dev.notebench.train;

import dev.notebench.ErrorCode;
import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.options.ValueType;
import dev.notebench.train.lora.LoraConfig;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.pretrained.HfCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The options of training a language model, declared once: {@code %train} and
 * {@code ./notebench train} are derived from them, and their defaults are
 * {@link TrainConfig.Builder}'s.
 *
 * <pre>{@code
 * OptionValues v = TrainOptions.OPTIONS.parse(List.of("--tokenizer", "tok", "--corpus", "sotu.txt", "--steps", "200"));
 * TrainConfig c = TrainOptions.config(v);
 * }</pre>
 */
public final class TrainOptions {
    /** The defaults, as {@link TrainConfig.Builder} has them. */
    private static final TrainConfig DEFAULTS = TrainConfig.builder(new ModelConfig("gpt", Map.of()), Path.of("tokenizer"),
            "corpus").runId("defaults").build();
    private static final int MAX = Integer.MAX_VALUE;
    private static final double ANY = Double.POSITIVE_INFINITY;

    /** {@code --tokenizer DIR}. */
    public static final Option<Path> TOKENIZER = Option.path("tokenizer").label("DIR").defaultText("--init-from's")
            .help("a tokenizer directory (%tokenizer train, ./notebench tokenizer train); required unless --init-from");
    /** {@code --corpus PATH|GLOB}. */
    public static final Option<String> CORPUS = Option.string("corpus").label("PATH|GLOB").required()
            .help("the training text: a file, a directory or a glob; a .jsonl file is fine-tuning rows, TRL's"
                    + " {\"prompt\", \"completion\"} or chat {\"messages\"} (rendered by the tokenizer's chat_template),"
                    + " trained on the completions and assistant messages only; required unless --tokens");
    /** {@code --tokens DIR}: a corpus encoded once, by {@code tokenizer encode --corpus ... --out DIR}. */
    public static final Option<Path> TOKENS = Option.path("tokens").label("DIR")
            .help("train on these token shards (written by tokenizer encode --corpus ... --out DIR with the same"
                    + " --tokenizer) instead of encoding a --corpus; the last --val-fraction of them validates");
    /** {@code --family gpt|char-lstm|llama}. */
    public static final Option<String> FAMILY = Option.string("family").label("gpt|char-lstm|llama").defaultValue("gpt")
            .help("the model family");
    /** {@code --set KEY=VALUE}, repeatable. */
    public static final Option<Map.Entry<String, String>> SET = Option.keyValue("set").repeatable()
            .help("a model hyperparameter").example("n_layer=4");
    /** {@code --init-from DIR|ORG/NAME}: fine-tune a pretrained model (nanoGPT's {@code init_from}). */
    public static final Option<String> INIT_FROM = Option.string("init-from").label("DIR|ORG/NAME")
            .help("fine-tune this pretrained Hugging Face model (a directory, or a name in the Hugging Face cache or on the"
                    + " hub), with its config, weights and tokenizer; every weight trains unless --lora-rank is given");
    /** {@code --lora-rank N}: PEFT's {@code r}, litgpt's {@code lora_r}. */
    public static final Option<Integer> LORA_RANK = Option.integer("lora-rank", 1, 1 << 16)
            .help("train LoRA adapters of this rank on the --init-from model, its weights frozen (PEFT's r)");
    /** {@code --lora-alpha X}: PEFT's {@code lora_alpha}. */
    public static final Option<Double> LORA_ALPHA = Option.number("lora-alpha", new ValueType.Range(0, false, ANY, false))
            .defaultValue(LoraConfig.DEFAULT_ALPHA).help("LoRA's scale: the adapters add alpha/rank · B A x (PEFT's lora_alpha)");
    /** {@code --lora-dropout X}: PEFT's {@code lora_dropout}. */
    public static final Option<Double> LORA_DROPOUT = Option.number("lora-dropout", new ValueType.Range(0, true, 1, false))
            .defaultValue(0.0).help("dropout on the adapters' input (PEFT's lora_dropout)");
    /** {@code --lora-targets MODULES}: PEFT's {@code target_modules}. */
    public static final Option<String> LORA_TARGETS = Option.string("lora-targets").label("MODULES")
            .defaultText("q_proj,v_proj for llama-family models, c_attn for gpt2, as PEFT")
            .help("the linear layers to adapt, by Hugging Face module name, comma-separated (PEFT's target_modules)")
            .example("q_proj,k_proj,v_proj,o_proj");
    /**
     * {@code --block-size N}: the window length, named as Hugging Face's {@code run_clm.py}
     * ({@code --block_size}) and nanoGPT ({@code block_size}) name it, whose users fine-tune with
     * it; its default is theirs, the model's context.
     */
    public static final Option<Integer> BLOCK_SIZE = Option.integer("block-size", 1, MAX)
            .defaultText("the model's context: seq_len, or max_position_embeddings")
            .help("train and evaluate on windows of this many tokens, at most the model's context (run_clm's block_size);"
                    + " a pretrained model's context (32768 for Qwen2.5) is longer than fine-tuning needs");
    /** {@code --steps N}. */
    public static final Option<Integer> STEPS = Option.integer("steps", 1, MAX).defaultValue(DEFAULTS.steps())
            .help("optimizer steps");
    /** {@code --batch N}. */
    public static final Option<Integer> BATCH = Option.integer("batch", 1, 1 << 16).defaultValue(DEFAULTS.batchSize())
            .help("windows per micro-batch");
    /** {@code --grad-accum N}. */
    public static final Option<Integer> GRAD_ACCUM = Option.integer("grad-accum", 1, 1 << 16).defaultValue(DEFAULTS.gradAccum())
            .help("micro-batches per step");
    /** {@code --lr X}. */
    public static final Option<Double> LR = Option.number("lr", new ValueType.Range(0, false, ANY, true))
            .defaultValue(DEFAULTS.learningRate()).help("peak learning rate").example("3e-4");
    /** {@code --min-lr X}. */
    public static final Option<Double> MIN_LR = Option.number("min-lr", 0, ANY).defaultText("lr/10")
            .help("final learning rate of the cosine decay");
    /** {@code --warmup N}. */
    public static final Option<Integer> WARMUP = Option.integer("warmup", 0, MAX).defaultText("5% of the steps")
            .help("warmup steps");
    /** {@code --weight-decay X}. */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weight-decay", 0, ANY)
            .defaultValue(DEFAULTS.weightDecay()).help("decoupled weight decay");
    /** {@code --clip X}. */
    public static final Option<Double> CLIP = Option.number("clip", 0, ANY).defaultValue(DEFAULTS.gradClip())
            .help("global gradient-norm clip, 0 for none");
    /** {@code --eval-every N}. */
    public static final Option<Integer> EVAL_EVERY = Option.integer("eval-every", 1, MAX).defaultValue(DEFAULTS.evalEvery())
            .help("steps between evaluations");
    /** {@code --eval-batches N}. */
    public static final Option<Integer> EVAL_BATCHES = Option.integer("eval-batches", 1, 1 << 20)
            .defaultValue(DEFAULTS.evalBatches()).help("batches per evaluation");
    /** {@code --checkpoint-every N}. */
    public static final Option<Integer> CHECKPOINT_EVERY = Option.integer("checkpoint-every", 1, MAX)
            .defaultText("as --eval-every").help("steps between checkpoints");
    /** {@code --patience N}. */
    public static final Option<Integer> PATIENCE = Option.integer("patience", 0, 1 << 20).defaultValue(DEFAULTS.patience())
            .help("evaluations without improvement before stopping, 0 = never");
    /** {@code --val-fraction X}. */
    public static final Option<Double> VAL_FRACTION = Option.number("val-fraction", new ValueType.Range(0, false, 1, false))
            .defaultValue(DEFAULTS.valFraction()).help("share of tokens for validation");
    /** {@code --seed N}. */
    public static final Option<Long> SEED = Option.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE)
            .defaultValue(DEFAULTS.seed()).help("seed of initialization, sampling and dropout");
    /** {@code --device auto|cpu|cuda}. */
    public static final Option<String> DEVICE = Option.choice("device", "auto", "cpu", "cuda").defaultValue(DEFAULTS.device())
            .help("where to train");
    /** {@code --precision fp32|fp16|bf16}. */
    public static final Option<String> PRECISION = Option.choice("precision", "fp32", "fp16", "bf16")
            .defaultValue(DEFAULTS.precision().name().toLowerCase(java.util.Locale.ROOT)).help("number format (fp16: CUDA)");
    /** {@code --threads N}. */
    public static final Option<Integer> THREADS = Option.integer("threads", 0, 1024).defaultValue(DEFAULTS.threads())
            .help("PyTorch CPU threads, 0 = as configured");
    /** {@code --runs-dir DIR}. */
    public static final Option<Path> RUNS_DIR = Option.path("runs-dir").label("DIR").defaultValue(DEFAULTS.runsDir())
            .help("where runs go");
    /** {@code --run-id ID}. */
    public static final Option<String> RUN_ID = Option.string("run-id").label("ID").defaultText("family, date and time")
            .help("the run's name");
    /** {@code --resume RUN_DIR}. */
    public static final Option<Path> RESUME = Option.path("resume").label("RUN_DIR")
            .help("resume this unfinished run from its latest checkpoint (refused while another process trains it)");
    /** {@code --detach}. */
    public static final Option<Boolean> DETACH = Option.flag("detach")
            .help("train in a process of its own that outlives this one (log: RUN_DIR/train.log)");
    /** {@code --notify}. */
    public static final Option<Boolean> NOTIFY = Option.flag("notify")
            .help("post the run's start, evaluations, checkpoints (at most one per 30 s) and end to the webhook in the"
                    + " environment variable NOTEBENCH_WEBHOOK_URL");
    /** {@code --cancel RUN_DIR}: the one way to stop a run, detached or not. */
    public static final Option<Path> CANCEL = Option.path("cancel").label("RUN_DIR")
            .help("ask the run in RUN_DIR to stop after its current step; refused when it is not running");

    /** Every option of {@code train}, in the order help lists them. */
    public static final OptionSet OPTIONS = OptionSet.of(TOKENIZER, CORPUS, TOKENS, FAMILY, SET, INIT_FROM, LORA_RANK, LORA_ALPHA,
            LORA_DROPOUT, LORA_TARGETS, BLOCK_SIZE, STEPS, BATCH, GRAD_ACCUM, LR, MIN_LR,
            WARMUP, WEIGHT_DECAY, CLIP, EVAL_EVERY, EVAL_BATCHES, CHECKPOINT_EVERY, PATIENCE, VAL_FRACTION, SEED, DEVICE,
            PRECISION, THREADS, RUNS_DIR, RUN_ID, RESUME, DETACH, NOTIFY, CANCEL).orElse(TOKENS, RESUME, CANCEL);

    private TrainOptions() {
    }

    /**
     * The configuration of a new run from parsed options, {@code --init-from} naming a directory.
     *
     * @param v values of {@link #OPTIONS} with {@link #CORPUS} and {@link #TOKENIZER} or {@link #INIT_FROM}
     * @return the configuration
     * @throws NotebenchException (CONFIG_INVALID) when the values do not make a run
     */
    public static TrainConfig config(OptionValues v) {
        return config(v, TrainOptions::directory);
    }

    private static Path directory(String model) {
        Path dir = Path.of(model);
        if (!Files.isDirectory(dir)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "--init-from " + model + " is not a directory");
        }
        return dir;
    }

    /**
     * The configuration of a new run from parsed options.
     *
     * @param v values of {@link #OPTIONS} with {@link #CORPUS} and {@link #TOKENIZER} or {@link #INIT_FROM}
     * @param models finds the directory of the model {@code --init-from} names (a directory, the
     *     Hugging Face cache, the hub: {@code ModelSource.resolve}, with the front end's environment)
     * @return the configuration
     * @throws NotebenchException (CONFIG_INVALID) when the values do not make a run
     */
    public static TrainConfig config(OptionValues v, Function<String, Path> models) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> kv : v.all(SET)) {
            values.put(kv.getKey(), ModelConfig.parseValue(kv.getValue()));
        }
        boolean lora = v.has(LORA_RANK);
        for (Option<?> o : List.of(LORA_ALPHA, LORA_DROPOUT, LORA_TARGETS)) {
            if (v.has(o) && !lora) {
                throw invalid("--" + o.name() + " sets LoRA's adapters; give --lora-rank N too");
            }
        }
        if (lora && !v.has(INIT_FROM)) {
            throw invalid("LoRA adapts a pretrained model; give --init-from DIR|ORG/NAME with --lora-rank");
        }
        if (!v.has(INIT_FROM) && !v.has(TOKENIZER)) {
            throw invalid("give --tokenizer DIR (a tokenizer directory), or --init-from DIR|ORG/NAME (a pretrained model with"
                    + " its tokenizer)");
        }
        if (v.has(INIT_FROM)) {
            for (Option<?> o : List.of(TOKENIZER, FAMILY, SET)) {
                if (v.has(o)) {
                    throw invalid("--" + o.name() + " cannot be given with --init-from: the pretrained model brings its own"
                            + " tokenizer, family and configuration");
                }
            }
        }
        if (v.has(CORPUS) && v.has(TOKENS)) { // neither is the parser's: --tokens stands in for --corpus
            throw invalid("give --corpus or --tokens, not both: --tokens DIR is a corpus already encoded by "
                    + FrontEnd.command("tokenizer encode --corpus PATH|GLOB --out DIR"));
        }
        TrainConfig.Builder b = TrainConfig.builder(new ModelConfig(v.get(FAMILY), values),
                        v.has(TOKENIZER) ? v.get(TOKENIZER) : Path.of("tokenizer"), v.has(CORPUS) ? v.get(CORPUS) : "")
                .tokens(v.has(TOKENS) ? v.get(TOKENS) : null)
                .runsDir(v.get(RUNS_DIR)).steps(v.get(STEPS)).batchSize(v.get(BATCH)).gradAccum(v.get(GRAD_ACCUM))
                .learningRate(v.get(LR)).weightDecay(v.get(WEIGHT_DECAY)).gradClip(v.get(CLIP))
                .eval(v.get(EVAL_EVERY), v.get(EVAL_BATCHES)).patience(v.get(PATIENCE)).valFraction(v.get(VAL_FRACTION))
                .seed(v.get(SEED)).device(v.get(DEVICE)).precision(Precision.parse(v.get(PRECISION))).threads(v.get(THREADS));
        if (v.has(RUN_ID)) {
            b.runId(v.get(RUN_ID));
        }
        if (v.has(BLOCK_SIZE)) {
            b.blockSize(v.get(BLOCK_SIZE));
        }
        if (v.has(MIN_LR)) {
            b.minLearningRate(v.get(MIN_LR));
        }
        if (v.has(WARMUP)) {
            b.warmupSteps(v.get(WARMUP));
        }
        if (v.has(CHECKPOINT_EVERY)) {
            b.checkpointEvery(v.get(CHECKPOINT_EVERY));
        }
        if (v.has(INIT_FROM)) {
            String name = v.get(INIT_FROM);
            Path dir = models.apply(name);
            ModelConfig model = HfCheckpoints.modelConfig(dir);
            b.fineTune(name, dir, model, lora ? LoraConfig.of(v.get(LORA_RANK), v.get(LORA_ALPHA), v.get(LORA_DROPOUT),
                    v.has(LORA_TARGETS) ? Arrays.stream(v.get(LORA_TARGETS).split(",")).map(String::trim).toList()
                            : LoraConfig.defaultTargets(model.family())) : null);
        }
        return b.build();
    }

    private static NotebenchException invalid(String message) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, message);
    }
}
