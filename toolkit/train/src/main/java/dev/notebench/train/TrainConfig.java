package dev.notebench.train;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.train.lora.LoraConfig;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.ModelFamilies;
import dev.notebench.train.model.ModelFamily;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a training run is asked to do. Immutable; build with {@link #builder}, derive with
 * {@link #toBuilder()}.
 *
 * <pre>{@code
 * TrainConfig c = TrainConfig.builder(ModelConfig.of("gpt", "n_layer", 2, "d_model", 128),
 *                 Path.of("runs/tok-8k"), "datasets/sotu/sotu-sample.txt")
 *         .steps(500).batchSize(16).learningRate(1e-3)
 *         .build();
 * }</pre>
 *
 * @param model the model family and hyperparameters
 * @param tokenizer a tokenizer artifact directory (or tokenizer file)
 * @param corpus the corpus: a file, a directory or a glob
 * @param runsDir where run directories go
 * @param runId the run's name (its directory under {@code runsDir})
 * @param valFraction the share of tokens, at the end, kept for validation
 * @param batchSize windows per micro-batch
 * @param gradAccum micro-batches per optimizer step
 * @param steps optimizer steps
 * @param learningRate the peak learning rate
 * @param minLearningRate the learning rate at the end of the cosine decay
 * @param warmupSteps linear warmup steps
 * @param weightDecay decoupled weight decay of weight matrices
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param eps Adam's epsilon
 * @param gradClip the largest global gradient norm (0: no clipping)
 * @param evalEvery steps between evaluations
 * @param evalBatches batches of validation windows per evaluation (fewer if the split is short)
 * @param checkpointEvery steps between checkpoints
 * @param patience evaluations without improvement before stopping early (0: never)
 * @param seed the seed of initialization, sampling and dropout
 * @param device auto, cpu or cuda
 * @param precision fp32, fp16 (CUDA) or bf16 (refused)
 * @param threads CPU threads for PyTorch's operators (0: leave as configured)
 * @param blockSize the length of the token windows the run trains and is evaluated on, at most the
 *     model's context (0: the model's context, {@link ModelFamily#windowLength}; see {@link #window()})
 * @param fineTune the pretrained checkpoint the run starts from, and its adapters; null for a
 *     model trained from scratch
 * @param tokens a directory of token shards ({@code tokenizer encode --corpus ... --out DIR}) the
 *     run trains on instead of encoding a corpus (its corpus is then empty); null to encode the corpus
 */
public record TrainConfig(ModelConfig model, Path tokenizer, String corpus, Path runsDir, String runId,
                          double valFraction, int batchSize, int gradAccum, int steps, double learningRate,
                          double minLearningRate, int warmupSteps, double weightDecay, double beta1, double beta2,
                          double eps, double gradClip, int evalEvery, int evalBatches, int checkpointEvery, int patience,
                          long seed, String device, Precision precision, int threads, int blockSize,
                          FineTune fineTune, Path tokens) {

    /**
     * A run that fine-tunes a pretrained Hugging Face checkpoint: in full, or with LoRA adapters
     * (the checkpoint's weights frozen, the run's checkpoints holding the adapters alone).
     *
     * @param base the model as the user named it (a directory or {@code org/name}), for the record
     * @param dir the checkpoint's directory ({@code config.json}, weights, {@code tokenizer.json})
     * @param lora the adapters, or null for full fine-tuning
     */
    public record FineTune(String base, Path dir, LoraConfig lora) {
        /** Checks the values. */
        public FineTune {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(dir, "dir");
        }
    }

    /** Validates the values. */
    public TrainConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(runsDir, "runsDir");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
        check(!runId.isBlank() && runId.matches("[A-Za-z0-9._-]+"), "run id '" + runId + "' may only have letters, digits, '.', '_' and '-'");
        check(valFraction > 0 && valFraction < 1, "val_fraction must be between 0 and 1, got " + valFraction);
        check(batchSize >= 1, "batch_size must be at least 1, got " + batchSize);
        check(gradAccum >= 1, "grad_accum must be at least 1, got " + gradAccum);
        check(steps >= 1, "steps must be at least 1, got " + steps);
        check(Double.isFinite(learningRate) && learningRate > 0, "learning rate must be a positive number, got " + learningRate);
        check(minLearningRate >= 0 && minLearningRate <= learningRate, "min learning rate must be between 0 and the learning rate ("
                + learningRate + "), got " + minLearningRate);
        check(warmupSteps >= 0, "warmup must be 0 or more steps, got " + warmupSteps);
        check(Double.isFinite(weightDecay) && weightDecay >= 0, "weight decay must be 0 or more, got " + weightDecay);
        check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas must be in [0, 1)");
        check(Double.isFinite(eps) && eps > 0, "eps must be positive");
        check(Double.isFinite(gradClip) && gradClip >= 0, "grad clip must be 0 (off) or more, got " + gradClip);
        check(evalEvery >= 1, "eval_every must be at least 1, got " + evalEvery);
        check(evalBatches >= 1, "eval_batches must be at least 1, got " + evalBatches);
        check(checkpointEvery >= 1, "checkpoint_every must be at least 1, got " + checkpointEvery);
        check(patience >= 0, "patience must be 0 (off) or more, got " + patience);
        check(threads >= 0, "threads must be 0 (leave as is) or more, got " + threads);
        check(blockSize >= 0, "block size must be 0 (the model's context) or more, got " + blockSize);
        check(fineTune == null || (fineTune.dir().resolve("tokenizer.json").equals(tokenizer)
                && !model.family().equals("char-lstm")), "a fine-tuning run uses its checkpoint's tokenizer.json and model");
        check(tokens == null || corpus.isEmpty(), "a run trains on its corpus or on token shards, not both: give --corpus or"
                + " --tokens");
        check(device.equals("auto") || device.equals("cpu") || device.equals("cuda"), "device must be auto, cpu or cuda, got " + device);
    }

    /**
     * Returns the length of the token windows the run trains and is evaluated on: the block size
     * when one is set, else the model's context ({@link ModelFamily#windowLength}: {@code seq_len},
     * or {@code max_position_embeddings} capped by a sliding window).
     *
     * @return the window, in tokens
     * @throws NotebenchException (CONFIG_INVALID) when the block size is longer than the model's
     *     context, or the model's settings are wrong
     */
    public int window() {
        int context = ModelFamilies.get(model.family()).windowLength(model);
        check(blockSize <= context, "--block-size " + blockSize + " is longer than the model's context of " + context
                + " tokens; give --block-size " + context + " or less");
        return blockSize > 0 ? blockSize : context;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, message);
        }
    }

    /**
     * Starts a configuration with the defaults: 1000 steps of 16 windows, lr 1e-3 with 5% warmup
     * and cosine decay to a tenth, AdamW (0.9, 0.95), weight decay 0.1, clip 1.0, eval and
     * checkpoint every 100 steps on 10 batches, 10% validation, seed 1337, device auto, fp32.
     *
     * @param model the model
     * @param tokenizer the tokenizer artifact
     * @param corpus the corpus
     */
    public static Builder builder(ModelConfig model, Path tokenizer, String corpus) {
        return new Builder(model, tokenizer, corpus);
    }

    /**
     * Returns this configuration with its paths absolute (the tokenizer, the corpus, the runs
     * directory, a fine-tuned checkpoint's directory), resolved against the working directory, so
     * that a run's record means the same files wherever it is read from: a notebook's run exported
     * from the repository's root, or resumed by a detached process.
     *
     * @return the configuration, with absolute paths
     */
    public TrainConfig absolute() {
        Builder b = toBuilder();
        b.tokenizer = tokenizer.toAbsolutePath().normalize();
        b.corpus = corpus.isEmpty() ? corpus : Path.of("").toAbsolutePath().resolve(corpus).normalize().toString();
        b.runsDir = runsDir.toAbsolutePath().normalize();
        b.fineTune = fineTune == null ? null
                : new FineTune(fineTune.base(), fineTune.dir().toAbsolutePath().normalize(), fineTune.lora());
        b.tokens = tokens == null ? null : tokens.toAbsolutePath().normalize();
        return b.build();
    }

    /** Returns a builder with this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder(model, tokenizer, corpus);
        b.runsDir = runsDir;
        b.runId = runId;
        b.valFraction = valFraction;
        b.batchSize = batchSize;
        b.gradAccum = gradAccum;
        b.steps = steps;
        b.learningRate = learningRate;
        b.minLearningRate = minLearningRate;
        b.warmupSteps = warmupSteps;
        b.weightDecay = weightDecay;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.eps = eps;
        b.gradClip = gradClip;
        b.evalEvery = evalEvery;
        b.evalBatches = evalBatches;
        b.checkpointEvery = checkpointEvery;
        b.patience = patience;
        b.seed = seed;
        b.device = device;
        b.precision = precision;
        b.threads = threads;
        b.blockSize = blockSize;
        b.fineTune = fineTune;
        b.tokens = tokens;
        return b;
    }

    /** Builds a {@link TrainConfig}. */
    public static final class Builder {
        private ModelConfig model;
        private Path tokenizer;
        private String corpus;
        private Path runsDir = Path.of("runs");
        private String runId;
        private double valFraction = 0.1;
        private int batchSize = 16;
        private int gradAccum = 1;
        private int steps = 1000;
        private double learningRate = 1e-3;
        private Double minLearningRate;
        private Integer warmupSteps;
        private double weightDecay = 0.1;
        private double beta1 = 0.9;
        private double beta2 = 0.95;
        private double eps = 1e-8;
        private double gradClip = 1.0;
        private int evalEvery = 100;
        private int evalBatches = 10;
        private Integer checkpointEvery;
        private int patience;
        private long seed = 1337;
        private String device = "auto";
        private Precision precision = Precision.FP32;
        private int threads;
        private int blockSize;
        private FineTune fineTune;
        private Path tokens;

        private Builder(ModelConfig model, Path tokenizer, String corpus) {
            this.model = model;
            this.tokenizer = tokenizer;
            this.corpus = corpus;
        }

        /** Sets the model. */
        public Builder model(ModelConfig v) {
            this.model = v;
            return this;
        }

        /** Sets where runs go (default {@code runs}). */
        public Builder runsDir(Path v) {
            this.runsDir = v;
            return this;
        }

        /** Sets the run id (default: family, date and time). */
        public Builder runId(String v) {
            this.runId = v;
            return this;
        }

        /** Sets the validation share (default 0.1). */
        public Builder valFraction(double v) {
            this.valFraction = v;
            return this;
        }

        /** Sets windows per micro-batch (default 16). */
        public Builder batchSize(int v) {
            this.batchSize = v;
            return this;
        }

        /** Sets micro-batches per step (default 1). */
        public Builder gradAccum(int v) {
            this.gradAccum = v;
            return this;
        }

        /** Sets the number of steps (default 1000). */
        public Builder steps(int v) {
            this.steps = v;
            return this;
        }

        /** Sets the peak learning rate (default 1e-3). */
        public Builder learningRate(double v) {
            this.learningRate = v;
            return this;
        }

        /** Sets the final learning rate (default a tenth of the peak). */
        public Builder minLearningRate(double v) {
            this.minLearningRate = v;
            return this;
        }

        /** Sets the warmup steps (default 5% of the steps). */
        public Builder warmupSteps(int v) {
            this.warmupSteps = v;
            return this;
        }

        /** Sets the weight decay (default 0.1). */
        public Builder weightDecay(double v) {
            this.weightDecay = v;
            return this;
        }

        /** Sets Adam's betas (default 0.9, 0.95). */
        public Builder betas(double b1, double b2) {
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        /** Sets the gradient clipping norm (default 1.0; 0 turns it off). */
        public Builder gradClip(double v) {
            this.gradClip = v;
            return this;
        }

        /** Sets steps between evaluations (default 100) and batches per evaluation (default 10). */
        public Builder eval(int every, int batches) {
            this.evalEvery = every;
            this.evalBatches = batches;
            return this;
        }

        /** Sets steps between checkpoints (default: as evaluations). */
        public Builder checkpointEvery(int v) {
            this.checkpointEvery = v;
            return this;
        }

        /** Stops after this many evaluations without improvement (default 0: never). */
        public Builder patience(int v) {
            this.patience = v;
            return this;
        }

        /** Sets the seed (default 1337). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** Sets the device: auto (default), cpu or cuda. */
        public Builder device(String v) {
            this.device = v;
            return this;
        }

        /** Sets the precision (default fp32). */
        public Builder precision(Precision v) {
            this.precision = v;
            return this;
        }

        /** Sets PyTorch's CPU threads (default 0: as configured). */
        public Builder threads(int v) {
            this.threads = v;
            return this;
        }

        /**
         * Sets the length of the windows the run trains and is evaluated on, at most the model's
         * context (default 0: the model's context). Fine-tuning a checkpoint whose context is long
         * (32768 for Qwen2.5) takes a short one.
         */
        public Builder blockSize(int v) {
            this.blockSize = v;
            return this;
        }

        /**
         * Starts the run from a pretrained checkpoint, whose model configuration and tokenizer
         * replace this builder's (default: none, a model trained from scratch).
         *
         * @param base the model as the user named it
         * @param dir its directory
         * @param modelConfig its configuration ({@code HfCheckpoints.modelConfig(dir)})
         * @param lora adapters to train, or null to fine-tune every weight
         */
        public Builder fineTune(String base, Path dir, ModelConfig modelConfig, LoraConfig lora) {
            this.fineTune = new FineTune(base, dir, lora);
            this.model = modelConfig;
            this.tokenizer = dir.resolve("tokenizer.json");
            return this;
        }

        /**
         * Trains on token shards instead of encoding a corpus (the corpus given to the builder must
         * then be empty; default: none).
         *
         * @param dir a directory written by {@code tokenizer encode --corpus ... --out DIR}
         */
        public Builder tokens(Path dir) {
            this.tokens = dir;
            return this;
        }

        /** Validates and returns the configuration. */
        public TrainConfig build() {
            String id = runId != null ? runId : model.family() + "-" + java.time.LocalDateTime.now()
                    .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            return new TrainConfig(model, tokenizer, corpus, runsDir, id, valFraction, batchSize, gradAccum, steps,
                    learningRate, minLearningRate != null ? minLearningRate : learningRate / 10,
                    warmupSteps != null ? warmupSteps : Math.max(1, steps / 20), weightDecay, beta1, beta2, eps, gradClip,
                    evalEvery, evalBatches, checkpointEvery != null ? checkpointEvery : evalEvery, patience, seed, device,
                    precision, threads, blockSize, fineTune, tokens);
        }
    }
}
