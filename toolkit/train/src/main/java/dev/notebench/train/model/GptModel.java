package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.IValue;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2-style decoder: token and learned position embeddings, pre-LayerNorm blocks of causal
 * multi-head self-attention and a GELU MLP with residual connections and dropout, a final
 * LayerNorm, and an output layer tied to the token embedding. Parameters are named as in GPT-2 /
 * nanoGPT ({@code transformer.h.0.attn.c_attn.weight}, ...) and initialized as there: N(0, 0.02),
 * residual projections N(0, 0.02/sqrt(2·n_layer)), biases 0, norms 1.
 *
 * <p>Attention over whole sequences (training, evaluation, scoring) runs PyTorch's fused
 * {@code scaled_dot_product_attention} ({@link FusedAttention}); generation with a key/value cache
 * runs each step as one call of a compiled TorchScript step ({@link DecodeScripts#GPT}), or op by
 * op where it cannot (attention explicitly: scaled q·kᵀ, an additive causal mask, softmax, times
 * v), which gives the same function.
 *
 * <p>Intermediate arrays are created in the manager of the input tokens, so a training step that
 * closes its own manager frees everything it made.
 */
public final class GptModel extends ParameterizedModel {
    private final int nLayer;
    private final int nHead;
    private final int dModel;
    private final int seqLen;
    private final float dropout;
    private final Parameter wte;
    private final Parameter wpe;
    private final Layer[] layers;
    private final Parameter lnfW;
    private final Parameter lnfB;
    private final Map<String, NDArray> masks = new HashMap<>();
    private final FusedAttention fused;
    private final boolean tanhGelu;
    private volatile Map<Parameter, NDArray> working = Map.of();

    private record Layer(Parameter ln1W, Parameter ln1B, Parameter attnW, Parameter attnB, Parameter projW,
                         Parameter projB, Parameter ln2W, Parameter ln2B, Parameter fcW, Parameter fcB,
                         Parameter fcProjW, Parameter fcProjB) {
    }

    /** Checks every hyperparameter as the constructor reads it, building nothing. */
    static void check(ModelConfig config) {
        int nHead = config.intValue("n_head", 1);
        int dModel = config.intValue("d_model", 1);
        config.intValue("n_layer", 1);
        config.intValue("seq_len", 1);
        config.doubleValue("dropout", 0, 0.9);
        config.booleanValue("bias");
        activation(config);
        if (dModel % nHead != 0) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "gpt model: d_model " + dModel + " is not a multiple of n_head " + nHead);
        }
    }

    /** Whether the MLP uses GPT-2's tanh approximation of GELU ({@code activation=gelu_new}). */
    private static boolean activation(ModelConfig config) {
        Object a = config.values().getOrDefault("activation", "gelu");
        if (!a.equals("gelu") && !a.equals("gelu_new")) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "gpt model: activation must be gelu (exact) or gelu_new (tanh approximation), got " + a);
        }
        return a.equals("gelu_new");
    }

    GptModel(ModelConfig config, int vocab, NDManager manager, ParameterSource source) {
        super(config, vocab, manager, source);
        check(config);
        this.nLayer = config.intValue("n_layer", 1);
        this.nHead = config.intValue("n_head", 1);
        this.dModel = config.intValue("d_model", 1);
        this.seqLen = config.intValue("seq_len", 1);
        this.dropout = (float) config.doubleValue("dropout", 0, 0.9);
        boolean bias = config.booleanValue("bias");
        this.tanhGelu = activation(config);
        float proj = (float) (0.02 / Math.sqrt(2.0 * nLayer));
        wte = params.normal("transformer.wte.weight", 0.02f, false, vocab, dModel);
        wpe = params.normal("transformer.wpe.weight", 0.02f, false, seqLen, dModel);
        layers = new Layer[nLayer];
        for (int l = 0; l < nLayer; l++) {
            String p = "transformer.h." + l + ".";
            layers[l] = new Layer(
                    params.constant(p + "ln_1.weight", Parameter.Type.GAMMA, 1, dModel),
                    params.constant(p + "ln_1.bias", Parameter.Type.BETA, 0, dModel),
                    params.normal(p + "attn.c_attn.weight", 0.02f, true, 3L * dModel, dModel),
                    bias ? params.constant(p + "attn.c_attn.bias", Parameter.Type.BIAS, 0, 3L * dModel) : null,
                    params.normal(p + "attn.c_proj.weight", proj, true, dModel, dModel),
                    bias ? params.constant(p + "attn.c_proj.bias", Parameter.Type.BIAS, 0, dModel) : null,
                    params.constant(p + "ln_2.weight", Parameter.Type.GAMMA, 1, dModel),
                    params.constant(p + "ln_2.bias", Parameter.Type.BETA, 0, dModel),
                    params.normal(p + "mlp.c_fc.weight", 0.02f, true, 4L * dModel, dModel),
                    bias ? params.constant(p + "mlp.c_fc.bias", Parameter.Type.BIAS, 0, 4L * dModel) : null,
                    params.normal(p + "mlp.c_proj.weight", proj, true, dModel, 4L * dModel),
                    bias ? params.constant(p + "mlp.c_proj.bias", Parameter.Type.BIAS, 0, dModel) : null);
        }
        lnfW = params.constant("transformer.ln_f.weight", Parameter.Type.GAMMA, 1, dModel);
        lnfB = params.constant("transformer.ln_f.bias", Parameter.Type.BETA, 0, dModel);
        fused = FusedAttention.orExplicit(manager);
    }


    /** Whether whole sequences go through PyTorch's fused attention. */
    boolean usesFusedAttention() {
        return fused != null;
    }

    @Override
    public String family() {
        return "gpt";
    }

    @Override
    public int contextLength() {
        return seqLen;
    }

    @Override
    public NDArray forward(NDArray tokens, boolean training) {
        long b = tokens.getShape().get(0);
        int t = (int) tokens.getShape().get(1);
        if (t > seqLen) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID,
                    "a sequence of " + t + " tokens is longer than the model's seq_len " + seqLen);
        }
        NDManager m = tokens.getManager();
        NDArray positions = m.arange(0, t, 1, DataType.INT64);
        NDArray x = embed(tokens, positions, training);
        NDArray mask = fused == null ? mask(t) : null;
        for (Layer layer : layers) {
            x = scoped(x, in -> block(layer, in, b, t, mask, null, 0, training));
        }
        return head(x);
    }

    private NDArray embed(NDArray tokens, NDArray positions, boolean training) {
        NDArrayEx ex = tokens.getNDArrayInternal();
        NDArray x = ex.embedding(tokens, array(wte), SparseFormat.DENSE).singletonOrThrow();
        NDArray pos = positions.getNDArrayInternal().embedding(positions, array(wpe), SparseFormat.DENSE).singletonOrThrow();
        return drop(x.add(pos), training);
    }

    private NDArray head(NDArray x) {
        NDArray h = norm(x, lnfW, lnfB);
        return h.getNDArrayInternal().linear(h, array(wte), null).singletonOrThrow();
    }

    /** One transformer block; with a cache, keys and values are written at [offset, offset + t). */
    private NDArray block(Layer l, NDArray x, long b, int t, NDArray mask, NDArray[] cache, int offset, boolean training) {
        NDArray h = norm(x, l.ln1W(), l.ln1B());
        // split, not three selects: the gradient of a select is a zero array of the whole (B, T, 3D)
        // with the slice written in, and autograd then adds the three; split's is one concatenation
        NDList qkv = linear(h, l.attnW(), l.attnB(), training).split(3, 2); // 3 x (B, T, D)
        int hd = dModel / nHead;
        NDArray q = heads(qkv.get(0), b, t, hd);
        NDArray k = heads(qkv.get(1), b, t, hd);
        NDArray v = heads(qkv.get(2), b, t, hd);
        NDArray y;
        if (cache == null && fused != null) {
            y = fused.apply(q, k, v, training ? dropout : 0f);
        } else {
            y = attention(q, k, v, mask, cache, offset, x.getManager(), training);
        }
        y = y.transpose(0, 2, 1, 3).reshape(b, t, dModel);
        x = x.add(drop(linear(y, l.projW(), l.projB(), training), training));
        h = norm(x, l.ln2W(), l.ln2B());
        h = gelu(linear(h, l.fcW(), l.fcB(), training));
        return x.add(drop(linear(h, l.fcProjW(), l.fcProjB(), training), training));
    }

    /**
     * GELU: the exact form x·Φ(x), or with {@code gelu_new} transformers' tanh approximation
     * 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))).
     */
    private NDArray gelu(NDArray x) {
        if (!tanhGelu) {
            return x.getNDArrayInternal().gelu();
        }
        NDArray inner = x.add(x.mul(x).mul(x).mul(Scalars.like(x, 0.044715))).mul(Scalars.like(x, Math.sqrt(2.0 / Math.PI)));
        return x.mul(Scalars.like(x, 0.5)).mul(inner.tanh().add(Scalars.like(x, 1.0)));
    }

    /** Explicit causal attention: scaled q·kᵀ, the additive mask, softmax, dropout, times v. */
    private NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, NDArray[] cache, int offset,
                              NDManager step, boolean training) {
        int t = (int) q.getShape().get(2);
        q = q.mul(Scalars.like(q, 1.0 / Math.sqrt(q.getShape().get(3))));
        if (cache != null) {
            NDIndex fresh = new NDIndex(":, :, {}:{}", offset, offset + t);
            cache[0].set(fresh, k);
            cache[1].set(fresh, v);
            NDIndex upTo = new NDIndex(":, :, :{}", offset + t);
            k = cache[0].get(upTo);
            v = cache[1].get(upTo);
            k.attach(step); // views belong to this step, not to the cache
            v.attach(step);
        }
        NDArray att = q.matMul(k.transpose(0, 1, 3, 2));
        if (mask != null) {
            att = att.add(mask);
        }
        return drop(att.softmax(-1), training).matMul(v);
    }

    /** (B, T, D) to (B, H, T, hd). */
    private NDArray heads(NDArray x, long b, int t, int hd) {
        return x.reshape(b, t, nHead, hd).transpose(0, 2, 1, 3);
    }

    private NDArray norm(NDArray x, Parameter w, Parameter b) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(dModel), array(w), array(b), 1e-5f).singletonOrThrow();
    }

    /** The array the forward pass computes with: the parameter's own, or its working copy. */
    @Override
    NDArray array(Parameter p) {
        NDArray copy = working.get(p);
        return copy != null ? copy : p.getArray();
    }

    @Override
    public void workingCopies(Map<Parameter, NDArray> copies) {
        if (!copies.isEmpty() && !copies.keySet().containsAll(params.all())) {
            throw new IllegalArgumentException("working copies must cover every parameter");
        }
        working = Map.copyOf(copies);
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0 ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow() : x;
    }

    /**
     * The additive causal mask for t positions, in the type the model computes in: 0 on and below
     * the diagonal, -inf above; cached.
     */
    private NDArray mask(int t) {
        DataType type = array(wte).getDataType();
        synchronized (masks) {
            return masks.computeIfAbsent(t + "/" + type, key -> {
                float[] m = new float[t * t];
                for (int i = 0; i < t; i++) {
                    for (int j = i + 1; j < t; j++) {
                        m[i * t + j] = Float.NEGATIVE_INFINITY;
                    }
                }
                NDArray mask = manager.create(m, new Shape(t, t));
                if (type == DataType.FLOAT32) {
                    NDArray owned = mask.duplicate(); // in torch's memory, not the direct buffer create() made
                    mask.close();
                    return owned;
                }
                NDArray typed = mask.toType(type, false);
                mask.close();
                return typed;
            });
        }
    }

    @Override
    public Decoder decoder(int batch) {
        return new KvDecoder(batch);
    }

    @Override
    public void close() {
        if (fused != null) {
            fused.close();
        }
        super.close();
        masks.values().forEach(NDArray::close);
    }

    /**
     * Generation with a key/value cache: each new token attends to the cached keys and values, so
     * the cost of a token grows with the context, not with its square. When the cache is full, the
     * oldest half is dropped and the rest is fed again.
     *
     * <p>Each step is one call of the compiled decode step ({@link DecodeScripts#GPT}) where
     * {@link #scriptedStep} allows it, else op by op (LoRA adapters not merged, fp16 working
     * copies, {@code notebench.train.decode=op-by-op}); both compute the same logits.
     */
    private final class KvDecoder implements Decoder {
        private final NDManager own = manager.newSubManager();
        private final int batch;
        private final NDArray[][] cache;
        private final ScriptedStep scripted;
        private int length;
        private NDArray history; // (B, length) ids in the cache, to refill it

        KvDecoder(int batch) {
            this.batch = batch;
            this.cache = new NDArray[nLayer][2];
            int hd = dModel / nHead;
            for (int l = 0; l < nLayer; l++) {
                cache[l][0] = own.zeros(new Shape(batch, nHead, seqLen, hd));
                cache[l][1] = own.zeros(new Shape(batch, nHead, seqLen, hd));
            }
            history = own.zeros(new Shape(batch, 0), DataType.INT64);
            scripted = scriptedStep(DecodeScripts.GPT);
            if (scripted != null) {
                scripted.fix(ScriptedStep.tensors(scriptWeights()), ScriptedStep.tensors(caches(0)),
                        ScriptedStep.tensors(caches(1)), IValue.from((long) nHead), IValue.from(tanhGelu));
            }
        }

        /** The weights in the order {@link DecodeScripts#GPT} takes them, zeros for absent biases. */
        private List<NDArray> scriptWeights() {
            List<NDArray> w = new ArrayList<>(List.of(array(wte), array(wpe), array(lnfW), array(lnfB)));
            for (Layer l : layers) {
                for (Parameter p : new Parameter[] {l.ln1W(), l.ln1B(), l.attnW(), l.attnB(), l.projW(), l.projB(), l.ln2W(),
                        l.ln2B(), l.fcW(), l.fcB(), l.fcProjW(), l.fcProjB()}) {
                    w.add(p != null ? array(p) : own.zeros(new Shape(w.get(w.size() - 1).getShape().get(0))));
                }
            }
            return w;
        }

        private List<NDArray> caches(int which) {
            List<NDArray> c = new ArrayList<>();
            for (NDArray[] pair : cache) {
                c.add(pair[which]);
            }
            return c;
        }

        @Override
        public NDArray next(NDArray tokens) {
            int t = (int) tokens.getShape().get(1);
            if (length + t > seqLen) {
                NDArray all = history.concat(tokens.toDevice(history.getDevice(), false), 1);
                int keep = Math.max(1, Math.min(seqLen / 2, (int) all.getShape().get(1)));
                NDArray tail = all.get(new NDIndex(":, {}:", all.getShape().get(1) - keep));
                length = 0;
                history = own.zeros(new Shape(batch, 0), DataType.INT64);
                return feed(tail, tokens.getManager());
            }
            return feed(tokens, tokens.getManager());
        }

        /** Feeds tokens at the cache's length; the logits go to {@code step}. */
        private NDArray feed(NDArray tokens, NDManager step) {
            int t = (int) tokens.getShape().get(1);
            NDArray logits = scripted != null ? scripted.next(step, tokens, length) : opByOp(tokens, t);
            length += t;
            NDArray old = history;
            history = old.concat(tokens.toDevice(old.getDevice(), false), 1);
            history.attach(own);
            old.close();
            return logits;
        }

        private NDArray opByOp(NDArray tokens, int t) {
            NDManager m = tokens.getManager();
            NDArray positions = m.arange(length, length + t, 1, DataType.INT64);
            NDArray x = embed(tokens, positions, false);
            NDArray mask = null;
            if (t > 1) { // query i (at length + i) may see keys 0..length + i
                float[] mk = new float[t * (length + t)];
                for (int i = 0; i < t; i++) {
                    for (int j = length + i + 1; j < length + t; j++) {
                        mk[i * (length + t) + j] = Float.NEGATIVE_INFINITY;
                    }
                }
                mask = m.create(mk, new Shape(t, length + t));
            }
            NDArray causal = mask;
            for (int l = 0; l < nLayer; l++) {
                Layer layer = layers[l];
                NDArray[] layerCache = cache[l];
                x = scoped(x, in -> block(layer, in, batch, t, causal, layerCache, length, false));
            }
            NDArray logits = head(x.get(new NDIndex(":, -1:, :"))); // (B, 1, V)
            return logits.reshape(batch, vocab);
        }

        @Override
        public void close() {
            if (scripted != null) {
                scripted.close();
            }
            own.close();
        }
    }
}
