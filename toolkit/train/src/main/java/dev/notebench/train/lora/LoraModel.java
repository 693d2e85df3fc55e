package dev.notebench.train.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.train.model.LanguageModel;
import dev.notebench.train.model.LinearAdapter;
import dev.notebench.train.model.ModelConfig;
import dev.notebench.train.model.NoGrad;
import dev.notebench.train.model.Scalars;
import dev.notebench.train.model.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pretrained model with low-rank adapters on its linear layers, as PEFT's LoRA computes them:
 * each targeted layer gives {@code W x + b + (alpha/r) · B(A(dropout(x)))}, A (r, in) drawn as
 * PEFT draws it (kaiming-uniform with a = √5, i.e. U(-1/√in, 1/√in)), B (out, r) zeros, so the
 * adapted model starts as the base. The base's weights are frozen (they record no gradient);
 * {@link #parameters()} are the adapters alone, so an optimizer, a checkpoint or a run built on
 * this model trains and saves only them. The adapters are named
 * {@code <module>.lora_A.weight} / {@code <module>.lora_B.weight} (PEFT's names without its
 * {@code base_model.model.} prefix).
 *
 * <pre>{@code
 * LanguageModel base = HfCheckpoints.loadModel(dir, manager);
 * try (LoraModel lora = LoraModel.attach(base, LoraConfig.of(8, 16, 0.05, List.of("q_proj", "v_proj")), manager)) {
 *     // train lora.parameters(); then PeftAdapters.save(lora, out, "org/name")
 * }
 * }</pre>
 */
public final class LoraModel implements LanguageModel {
    private final LanguageModel base;
    private final LoraConfig lora;
    private final Map<String, Adapter> adapters; // by module name, in the base's parameter order
    private final List<Parameter> parameters;
    private boolean released;

    /** One adapted layer: its weight, A and B. */
    private record Adapter(String module, Parameter weight, Parameter a, Parameter b, float scale, float dropout)
            implements LinearAdapter {
        @Override
        public NDArray delta(NDArray x, boolean training) {
            NDArray in = training && dropout > 0 ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow() : x;
            NDArray down = in.getNDArrayInternal().linear(in, a.getArray(), null).singletonOrThrow();
            NDArray up = down.getNDArrayInternal().linear(down, b.getArray(), null).singletonOrThrow();
            return up.mul(Scalars.like(up, scale));
        }
    }

    private LoraModel(LanguageModel base, LoraConfig lora, NDManager manager) {
        this.base = base;
        this.lora = lora;
        this.adapters = new LinkedHashMap<>();
        List<Parameter> all = new ArrayList<>();
        for (Parameter w : base.linearWeights()) {
            String module = module(w.getName());
            if (!lora.targets(module)) {
                continue;
            }
            long out = w.getArray().getShape().get(0);
            long in = w.getArray().getShape().get(1);
            float bound = (float) (1 / Math.sqrt(in));
            Parameter a = parameter(module + ".lora_A.weight", (m, s, t) -> m.randomUniform(-bound, bound, s, t), manager,
                    lora.rank(), in);
            Parameter b = parameter(module + ".lora_B.weight", Initializer.ZEROS, manager, out, lora.rank());
            adapters.put(module, new Adapter(module, w, a, b, (float) lora.scale(), (float) lora.dropout()));
            all.add(a);
            all.add(b);
        }
        if (adapters.isEmpty()) {
            List<String> modules = base.linearWeights().stream().map(p -> module(p.getName())).toList();
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "LoRA targets " + String.join(",", lora.targets())
                    + " match no linear layer of this " + base.family() + " model; its layers are named like "
                    + String.join(", ", modules.subList(0, Math.min(4, modules.size()))) + (modules.size() > 4 ? ", ..." : "")
                    + " (use the last part, e.g. --lora-targets " + String.join(",", LoraConfig.defaultTargets(base.family())) + ")");
        }
        this.parameters = List.copyOf(all);
    }

    /**
     * Adds adapters to the targeted linear layers of a model and freezes its weights; the result
     * owns the base (closing it closes the base).
     *
     * @param base the pretrained model (gpt or llama)
     * @param lora rank, alpha, dropout and targets
     * @param manager owns the adapters; A is drawn from the engine's random generator
     * @return the adapted model
     * @throws NotebenchException (CONFIG_INVALID) when no layer matches the targets, or the family
     *     has no linear layers
     */
    public static LoraModel attach(LanguageModel base, LoraConfig lora, NDManager manager) {
        LoraModel m = new LoraModel(base, lora, manager);
        Map<Parameter, LinearAdapter> byWeight = new LinkedHashMap<>();
        m.adapters.values().forEach(a -> byWeight.put(a.weight(), a));
        base.adapters(byWeight);
        for (Parameter p : base.parameters()) {
            p.getArray().setRequiresGradient(false);
        }
        return m;
    }

    /** The module a weight belongs to: its name without {@code .weight}. */
    static String module(String weightName) {
        return weightName.endsWith(".weight") ? weightName.substring(0, weightName.length() - ".weight".length()) : weightName;
    }

    private static Parameter parameter(String name, Initializer init, NDManager manager, long... shape) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(shape))
                .optInitializer(init).build();
        p.initialize(manager, DataType.FLOAT32);
        return p;
    }

    /** Returns the base model (frozen; its linear layers consult the adapters). */
    public LanguageModel base() {
        return base;
    }

    /** Returns the adapters' settings. */
    public LoraConfig lora() {
        return lora;
    }

    /** Returns the adapted modules' names, in the base's order. */
    public List<String> modules() {
        return List.copyOf(adapters.keySet());
    }

    /**
     * Returns a module's A, (r, in).
     *
     * @param module one of {@link #modules()}
     */
    public Parameter a(String module) {
        return adapter(module).a();
    }

    /**
     * Returns a module's B, (out, r).
     *
     * @param module one of {@link #modules()}
     */
    public Parameter b(String module) {
        return adapter(module).b();
    }

    private Adapter adapter(String module) {
        Adapter a = adapters.get(module);
        if (a == null) {
            throw new IllegalArgumentException(module + " is not adapted; adapted: " + adapters.keySet());
        }
        return a;
    }

    /**
     * Returns a base parameter's values with its adapter folded in, {@code W + (alpha/r) · B A},
     * as {@link #merge()} would write them, leaving this model as it is: for saving a merged copy
     * while the adapters stay.
     *
     * @param weight a parameter of the base
     * @return its values in row-major order, merged where it has an adapter
     */
    public float[] mergedValues(Parameter weight) {
        checkOpen();
        Adapter adapter = adapters.values().stream().filter(a -> a.weight() == weight).findFirst().orElse(null);
        if (adapter == null) {
            return weight.getArray().toFloatArray();
        }
        return NoGrad.run(() -> {
            try (NDManager scratch = weight.getArray().getManager().newSubManager()) {
                return merged(adapter, scratch).toFloatArray();
            }
        });
    }

    /**
     * Folds the adapters into the base's weights ({@code W += (alpha/r) · B A}), removes them and
     * hands the base back, its weights trainable again; the caller owns it from now on, and this
     * model holds nothing more.
     *
     * @return the base, computing what the adapted model computed
     */
    public LanguageModel merge() {
        checkOpen();
        NoGrad.run(() -> {
            for (Adapter a : adapters.values()) {
                try (NDManager scratch = a.weight().getArray().getManager().newSubManager()) {
                    Tensors.copyInto(a.weight().getArray(), merged(a, scratch));
                }
            }
            return null;
        });
        base.adapters(Map.of());
        for (Parameter p : base.parameters()) {
            p.getArray().setRequiresGradient(true);
        }
        releaseAdapters();
        released = true;
        return base;
    }

    /** {@code W + (alpha/r) · B A} for an adapter's weight, in {@code scratch}. */
    private NDArray merged(Adapter a, NDManager scratch) {
        NDArray delta = a.b().getArray().matMul(a.a().getArray());
        delta.attach(scratch);
        NDArray merged = a.weight().getArray().add(delta.mul(Scalars.like(delta, lora.scale())));
        merged.attach(scratch);
        return merged;
    }

    private void checkOpen() {
        if (released) {
            throw new IllegalStateException("the adapters were merged into the base model");
        }
    }

    private void releaseAdapters() {
        for (Parameter p : parameters) {
            p.close();
        }
    }

    @Override
    public String family() {
        return base.family();
    }

    @Override
    public ModelConfig config() {
        return base.config();
    }

    @Override
    public int vocabSize() {
        return base.vocabSize();
    }

    @Override
    public int contextLength() {
        return base.contextLength();
    }

    @Override
    public NDArray forward(NDArray tokens, boolean training) {
        checkOpen();
        return base.forward(tokens, training);
    }

    /** Returns the adapters' A and B, module by module: what trains. */
    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Returns true: A and B are weight matrices, decayed as the Hugging Face trainer decays them. */
    @Override
    public boolean decays(Parameter p) {
        return parameters.contains(p);
    }

    @Override
    public Decoder decoder(int batch) {
        checkOpen();
        return base.decoder(batch);
    }

    @Override
    public void workingCopies(Map<Parameter, NDArray> copies) {
        if (!copies.isEmpty()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "LoRA trains in fp32 only; use --precision fp32");
        }
    }

    /** Releases the adapters and the base (unless merged, when the base is the caller's). */
    @Override
    public void close() {
        if (!released) {
            released = true;
            base.adapters(Map.of());
            releaseAdapters();
            base.close();
        }
    }
}
