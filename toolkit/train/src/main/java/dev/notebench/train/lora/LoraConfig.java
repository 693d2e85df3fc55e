package dev.notebench.train.lora;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.List;
import java.util.Objects;

/**
 * The settings of low-rank adapters, as PEFT's {@code LoraConfig} names them: each adapted linear
 * layer computes {@code y = W x + b + (alpha / r) · B(A(dropout(x)))} with A (r, in) and B (out, r).
 *
 * <pre>{@code
 * LoraConfig c = LoraConfig.of(8, 16, 0.05, List.of("q_proj", "v_proj"));
 * }</pre>
 *
 * @param rank r, the adapters' inner width
 * @param alpha the scale's numerator ({@code lora_alpha})
 * @param dropout the dropout on the adapters' input in training ({@code lora_dropout})
 * @param targets the modules to adapt ({@code target_modules}): a module is adapted when its name
 *     (the weight's name without {@code .weight}, as in transformers) is a target or ends with
 *     {@code "." + target}, as PEFT matches them
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targets) {
    /** PEFT's default {@code lora_alpha}. */
    public static final double DEFAULT_ALPHA = 8;

    /** Validates the values. */
    public LoraConfig {
        Objects.requireNonNull(targets, "targets");
        targets = List.copyOf(targets);
        if (rank < 1) {
            throw invalid("LoRA rank must be at least 1, got " + rank);
        }
        if (!(Double.isFinite(alpha) && alpha > 0)) {
            throw invalid("LoRA alpha must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw invalid("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targets.isEmpty() || targets.stream().anyMatch(t -> t.isBlank() || t.startsWith(".") || t.endsWith("."))) {
            throw invalid("LoRA targets must be module names such as q_proj,v_proj (llama) or c_attn (gpt), got " + targets);
        }
    }

    /**
     * A configuration.
     *
     * @param rank r
     * @param alpha lora_alpha
     * @param dropout lora_dropout
     * @param targets target modules
     */
    public static LoraConfig of(int rank, double alpha, double dropout, List<String> targets) {
        return new LoraConfig(rank, alpha, dropout, targets);
    }

    /**
     * PEFT's default targets for a model family: {@code q_proj, v_proj} for the llama family
     * (llama, mistral, qwen2, qwen3), {@code c_attn} for gpt (GPT-2).
     *
     * @param family gpt or llama
     * @throws NotebenchException (CONFIG_INVALID) for a family LoRA does not adapt
     */
    public static List<String> defaultTargets(String family) {
        return switch (family) {
            case "llama" -> List.of("q_proj", "v_proj");
            case "gpt" -> List.of("c_attn");
            default -> throw invalid("LoRA adapts gpt and llama models, not " + family);
        };
    }

    /** Returns alpha / r, what the adapters' output is multiplied by. */
    public double scale() {
        return alpha / rank;
    }

    /**
     * Whether a module is adapted.
     *
     * @param module a module's name, e.g. {@code model.layers.0.self_attn.q_proj}
     */
    public boolean targets(String module) {
        return targets.stream().anyMatch(t -> module.equals(t) || module.endsWith("." + t));
    }

    static NotebenchException invalid(String message) {
        return new NotebenchException(ErrorCode.CONFIG_INVALID, message);
    }
}
