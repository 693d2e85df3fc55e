package dev.notebench.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.IValue;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.List;

/**
 * A LLaMA-style decoder, as transformers' {@code LlamaForCausalLM}, {@code MistralForCausalLM},
 * {@code Qwen2ForCausalLM} and {@code Qwen3ForCausalLM} compute it: token embeddings, pre-RMSNorm
 * blocks of causal grouped-query self-attention with rotary positions and a SwiGLU MLP
 * ({@code down(silu(gate(x)) · up(x))}) with residual connections, a final RMSNorm, and an output
 * layer ({@code lm_head}, or the embedding when tied). qwen2 adds biases to q/k/v; qwen3 normalizes
 * each head of q and k (RMSNorm over the head) before the rotation; mistral and qwen may attend
 * over a sliding window of the latest keys.
 *
 * <p>Parameters are named and shaped as in transformers' state dict
 * ({@code model.embed_tokens.weight}, {@code model.layers.0.self_attn.q_proj.weight} (heads·head_dim,
 * hidden), ..., {@code model.norm.weight}, {@code lm_head.weight} when untied), so a checkpoint maps
 * by name, and initialized as there: N(0, initializer_range), biases 0, norms 1.
 *
 * <p>Whole sequences go through PyTorch's fused attention ({@link FusedAttention}, the key/value
 * heads repeated for each group of query heads) unless a sliding window is shorter than the
 * sequence; generation keeps a key/value cache of rotated keys, rotary positions continuing from
 * the cache length, and runs each step as one call of a compiled TorchScript step
 * ({@link DecodeScripts#LLAMA}), or op by op (attention explicitly) where it cannot. fp32 only.
 */
public final class LlamaModel extends ParameterizedModel {
    private final Settings s;
    private final Parameter embed;
    private final Layer[] layers;
    private final Parameter norm;
    private final Parameter lmHead;
    private final Rotary rotary;
    private final FusedAttention fused;

    private record Layer(Parameter inputNorm, Parameter q, Parameter qBias, Parameter k, Parameter kBias, Parameter v,
                         Parameter vBias, Parameter o, Parameter oBias, Parameter qNorm, Parameter kNorm, Parameter postNorm,
                         Parameter gate, Parameter gateBias, Parameter up, Parameter upBias, Parameter down, Parameter downBias,
                         int window) {
    }

    /**
     * A configuration read and checked.
     *
     * @param modelType llama, mistral, qwen2 or qwen3
     * @param hidden the residual width
     * @param intermediate the MLP width
     * @param layers blocks
     * @param heads query heads
     * @param kvHeads key/value heads
     * @param headDim the dimension of a head
     * @param maxPositions the longest sequence
     * @param initRange the standard deviation of initial weights
     * @param eps RMSNorm's epsilon
     * @param rotary the rotary embedding
     * @param tied whether the output layer is the embedding
     * @param qkvBias biases on q, k and v
     * @param oBias a bias on the output projection
     * @param mlpBias biases on the MLP
     * @param qkNorm RMSNorm on each head of q and k
     * @param slidingWindow the window of sliding-window layers, 0 for none
     * @param firstSlidingLayer the first layer with a sliding window
     * @param dropout attention dropout
     */
    record Settings(String modelType, int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim,
                    int maxPositions, double initRange, double eps, Rotary rotary, boolean tied, boolean qkvBias,
                    boolean oBias, boolean mlpBias, boolean qkNorm, int slidingWindow, int firstSlidingLayer, float dropout) {

        /** Reads and checks a completed configuration ({@link LlamaFamily#complete}). */
        static Settings of(ModelConfig c) {
            String type = String.valueOf(c.values().get("model_type"));
            int hidden = c.intValue("hidden_size", 1);
            int heads = c.intValue("num_attention_heads", 1);
            int kvHeads = c.intValue("num_key_value_heads", 1);
            int headDim = c.intValue("head_dim", 2);
            if (hidden % heads != 0) {
                throw invalid("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
            }
            if (heads % kvHeads != 0) {
                throw invalid("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
            }
            if (headDim % 2 != 0) {
                throw invalid("head_dim " + headDim + " must be even for rotary embeddings");
            }
            if (!"silu".equals(c.values().get("hidden_act"))) {
                throw invalid("hidden_act " + c.values().get("hidden_act") + " is not implemented; use silu");
            }
            String ropeType = String.valueOf(c.values().get("rope_scaling.rope_type"));
            if (!Rotary.Scaling.TYPES.contains(ropeType)) {
                throw invalid("rope_scaling.rope_type " + ropeType + " is not implemented; use one of "
                        + String.join(", ", Rotary.Scaling.TYPES));
            }
            Rotary.Scaling scaling = new Rotary.Scaling(ropeType, c.doubleValue("rope_scaling.factor", 1, 1e6),
                    c.doubleValue("rope_scaling.low_freq_factor", 0, 1e6),
                    c.doubleValue("rope_scaling.high_freq_factor", 0, 1e6),
                    c.intValue("rope_scaling.original_max_position_embeddings", 1));
            if (ropeType.equals("llama3") && !(scaling.highFreqFactor() > scaling.lowFreqFactor())) {
                throw invalid("rope_scaling.high_freq_factor " + scaling.highFreqFactor()
                        + " must be larger than rope_scaling.low_freq_factor " + scaling.lowFreqFactor());
            }
            Rotary rotary = new Rotary(headDim, c.doubleValue("rope_theta", 1, Double.MAX_VALUE), scaling);
            boolean attentionBias = c.values().containsKey("attention_bias") && c.booleanValue("attention_bias");
            int window = 0;
            int firstSliding = 0;
            if (type.equals("mistral")) {
                window = c.intValue("sliding_window", 0);
            } else if (c.values().containsKey("use_sliding_window") && c.booleanValue("use_sliding_window")) {
                window = c.intValue("sliding_window", 1);
                firstSliding = c.intValue("max_window_layers", 0);
            }
            return new Settings(type, hidden, c.intValue("intermediate_size", 1), c.intValue("num_hidden_layers", 1), heads,
                    kvHeads, headDim, c.intValue("max_position_embeddings", 1), c.doubleValue("initializer_range", 0, 1),
                    c.doubleValue("rms_norm_eps", 0, 1), rotary, c.booleanValue("tie_word_embeddings"),
                    attentionBias || type.equals("qwen2"), attentionBias,
                    c.values().containsKey("mlp_bias") && c.booleanValue("mlp_bias"), type.equals("qwen3"), window,
                    firstSliding, (float) c.doubleValue("attention_dropout", 0, 0.9));
        }

        private static NotebenchException invalid(String what) {
            return new NotebenchException(ErrorCode.CONFIG_INVALID, "llama model: " + what);
        }
    }

    LlamaModel(ModelConfig config, int vocab, NDManager manager, ParameterSource source) {
        super(config, vocab, manager, source);
        this.s = Settings.of(config);
        this.rotary = s.rotary();
        float std = (float) s.initRange();
        long q = (long) s.heads() * s.headDim();
        long kv = (long) s.kvHeads() * s.headDim();
        embed = params.normal("model.embed_tokens.weight", std, false, vocab, s.hidden());
        layers = new Layer[s.layers()];
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            String a = p + "self_attn.";
            String m = p + "mlp.";
            layers[l] = new Layer(ones(p + "input_layernorm.weight", s.hidden()),
                    params.normal(a + "q_proj.weight", std, true, q, s.hidden()), bias(a + "q_proj.bias", s.qkvBias(), q),
                    params.normal(a + "k_proj.weight", std, true, kv, s.hidden()), bias(a + "k_proj.bias", s.qkvBias(), kv),
                    params.normal(a + "v_proj.weight", std, true, kv, s.hidden()), bias(a + "v_proj.bias", s.qkvBias(), kv),
                    params.normal(a + "o_proj.weight", std, true, s.hidden(), q), bias(a + "o_proj.bias", s.oBias(), s.hidden()),
                    s.qkNorm() ? ones(a + "q_norm.weight", s.headDim()) : null,
                    s.qkNorm() ? ones(a + "k_norm.weight", s.headDim()) : null,
                    ones(p + "post_attention_layernorm.weight", s.hidden()),
                    params.normal(m + "gate_proj.weight", std, true, s.intermediate(), s.hidden()),
                    bias(m + "gate_proj.bias", s.mlpBias(), s.intermediate()),
                    params.normal(m + "up_proj.weight", std, true, s.intermediate(), s.hidden()),
                    bias(m + "up_proj.bias", s.mlpBias(), s.intermediate()),
                    params.normal(m + "down_proj.weight", std, true, s.hidden(), s.intermediate()),
                    bias(m + "down_proj.bias", s.mlpBias(), s.hidden()),
                    s.slidingWindow() > 0 && l >= s.firstSlidingLayer() ? s.slidingWindow() : 0);
        }
        norm = ones("model.norm.weight", s.hidden());
        lmHead = s.tied() ? null : params.normal("lm_head.weight", std, true, vocab, s.hidden());
        fused = FusedAttention.orExplicit(manager);
    }

    private Parameter ones(String name, long size) {
        return params.constant(name, Parameter.Type.GAMMA, 1, size);
    }

    private Parameter bias(String name, boolean present, long size) {
        return present ? params.constant(name, Parameter.Type.BIAS, 0, size) : null;
    }


    @Override
    public String family() {
        return "llama";
    }

    @Override
    public int contextLength() {
        return s.maxPositions();
    }

    @Override
    public NDArray forward(NDArray tokens, boolean training) {
        int t = (int) tokens.getShape().get(1);
        if (t > s.maxPositions()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "a sequence of " + t
                    + " tokens is longer than the model's max_position_embeddings " + s.maxPositions());
        }
        return head(run(tokens, 0, null, training), training);
    }

    private NDArray head(NDArray x, boolean training) {
        return linear(x, lmHead != null ? lmHead : embed, null, training);
    }

    /**
     * The layers and the final norm over tokens at positions {@code offset ..}, (B, T, hidden);
     * with a cache, keys and values are written into it and attention is over the cache.
     */
    private NDArray run(NDArray tokens, int offset, Cache cache, boolean training) {
        NDManager m = tokens.getManager();
        int t = (int) tokens.getShape().get(1);
        NDArray x = tokens.getNDArrayInternal().embedding(tokens, embed.getArray(), SparseFormat.DENSE).singletonOrThrow();
        NDArray[] table = rope(m, offset, t);
        NDArray cos = table[0];
        NDArray sin = table[1];
        for (int l = 0; l < layers.length; l++) {
            int index = l;
            x = scoped(x, in -> layer(index, in, cos, sin, offset, cache, training));
        }
        return rmsNorm(x, norm);
    }

    /** The rotary cosines and sines of positions {@code offset ..}, each (1, 1, t, head_dim), in {@code m}. */
    private NDArray[] rope(NDManager m, int offset, int t) {
        float[][] table = rotary.tables(offset, t);
        Shape shape = new Shape(1, 1, t, s.headDim());
        return new NDArray[] {m.create(table[0], shape), m.create(table[1], shape)};
    }

    /** Layer {@code l} over (B, T, hidden) at positions {@code offset ..}; temporaries go to the input's manager. */
    private NDArray layer(int l, NDArray x, NDArray cos, NDArray sin, int offset, Cache cache, boolean training) {
        NDManager m = x.getManager();
        long b = x.getShape().get(0);
        int t = (int) x.getShape().get(1);
        Layer layer = layers[l];
        NDArray h = rmsNorm(x, layer.inputNorm());
        NDArray q = heads(linear(h, layer.q(), layer.qBias(), training), b, t, s.heads(), layer.qNorm());
        NDArray k = heads(linear(h, layer.k(), layer.kBias(), training), b, t, s.kvHeads(), layer.kNorm());
        NDArray v = heads(linear(h, layer.v(), layer.vBias(), training), b, t, s.kvHeads(), null);
        q = rotate(q, cos, sin);
        k = rotate(k, cos, sin);
        if (cache != null) {
            NDArray[] kv = cache.append(l, k, v, offset, m);
            k = kv[0];
            v = kv[1];
        }
        float p = training ? s.dropout() : 0f;
        NDArray y;
        int keys = offset + t;
        if (fused != null && offset == 0 && (layer.window() == 0 || t <= layer.window())) {
            y = fused.apply(q, repeat(k), repeat(v), p);
        } else {
            y = attention(q, repeat(k), repeat(v), mask(m, offset, t, keys, layer.window()), p);
        }
        y = y.transpose(0, 2, 1, 3).reshape(b, t, (long) s.heads() * s.headDim());
        NDArray residual = x.add(linear(y, layer.o(), layer.oBias(), training));
        h = rmsNorm(residual, layer.postNorm());
        NDArray gate = linear(h, layer.gate(), layer.gateBias(), training);
        NDArray silu = gate.mul(gate.getNDArrayInternal().sigmoid());
        return residual.add(linear(silu.mul(linear(h, layer.up(), layer.upBias(), training)), layer.down(), layer.downBias(), training));
    }

    /** (B, T, heads·hd) to (B, heads, T, hd), each head RMS-normalized first where the model does. */
    private NDArray heads(NDArray x, long b, int t, int n, Parameter headNorm) {
        NDArray h = x.reshape(b, t, n, s.headDim());
        if (headNorm != null) {
            h = rmsNorm(h, headNorm);
        }
        return h.transpose(0, 2, 1, 3);
    }

    /** x·cos + rotate_half(x)·sin, where rotate_half(x) = (-x₂, x₁) for the halves x₁, x₂ of a head. */
    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(2, 3); // (B, heads, T, hd): the halves of each head
        NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** Each key/value head repeated for its group of query heads: (B, kv, T, hd) to (B, heads, T, hd). */
    private NDArray repeat(NDArray x) {
        int groups = s.heads() / s.kvHeads();
        if (groups == 1) {
            return x;
        }
        Shape shape = x.getShape();
        long b = shape.get(0);
        long t = shape.get(2);
        return x.expandDims(2).broadcast(new Shape(b, s.kvHeads(), groups, t, s.headDim()))
                .reshape(b, s.heads(), t, s.headDim());
    }

    /** Explicit attention: scaled q·kᵀ, the additive mask, softmax, dropout, times v. */
    private static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, float dropout) {
        NDArray att = q.mul(Scalars.like(q, 1.0 / Math.sqrt(q.getShape().get(3)))).matMul(k.transpose(0, 1, 3, 2));
        if (mask != null) {
            att = att.add(mask);
        }
        att = att.softmax(-1);
        if (dropout > 0) {
            att = att.getNDArrayInternal().dropout(att, dropout, true).singletonOrThrow();
        }
        return att.matMul(v);
    }

    /**
     * The additive mask of t queries at positions {@code offset ..} over keys {@code 0 .. keys - 1}:
     * -inf where a key is after the query or, with a window, {@code window} or more positions before
     * it; null where nothing is masked (one query without a window).
     */
    private static NDArray mask(NDManager m, int offset, int t, int keys, int window) {
        float[] mask = new float[t * keys];
        boolean any = false;
        for (int i = 0; i < t; i++) {
            int position = offset + i;
            for (int j = 0; j < keys; j++) {
                if (j > position || (window > 0 && position - j >= window)) {
                    mask[i * keys + j] = Float.NEGATIVE_INFINITY;
                    any = true;
                }
            }
        }
        return any ? m.create(mask, new Shape(t, keys)) : null;
    }

    /** x / sqrt(mean(x²) + eps) · weight, over the last axis, as transformers' LlamaRMSNorm. */
    private NDArray rmsNorm(NDArray x, Parameter weight) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add(Scalars.like(variance, s.eps())).sqrt()).mul(weight.getArray());
    }

    @Override
    public Decoder decoder(int batch) {
        return new Cache(batch);
    }

    @Override
    public void close() {
        if (fused != null) {
            fused.close();
        }
        super.close();
    }

    /**
     * Generation with a key/value cache of rotated keys, grown as needed: each new token attends to
     * the cached keys and values, its rotary position continuing from the cache length. When the
     * sequence would pass max_position_embeddings, the oldest half is dropped and the rest is fed
     * again from position 0.
     *
     * <p>Each step is one call of the compiled decode step ({@link DecodeScripts#LLAMA}) where
     * {@link #scriptedStep} allows it, else op by op (LoRA adapters not merged,
     * {@code notebench.train.decode=op-by-op}); both compute the same logits.
     */
    private final class Cache implements Decoder {
        private final NDManager own = manager.newSubManager();
        private final int batch;
        private final NDArray[][] kv;
        private final ScriptedStep scripted;
        private int capacity;
        private int length;
        private NDArray history; // (B, length) ids in the cache, to refill it

        Cache(int batch) {
            this.batch = batch;
            this.kv = new NDArray[layers.length][2];
            history = own.zeros(new Shape(batch, 0), DataType.INT64);
            scripted = scriptedStep(DecodeScripts.LLAMA);
        }

        @Override
        public NDArray next(NDArray tokens) {
            int t = (int) tokens.getShape().get(1);
            NDArray all = history.concat(tokens.toDevice(history.getDevice(), false), 1);
            all.attach(own);
            NDArray feed = tokens;
            if (length + t > s.maxPositions()) {
                long n = all.getShape().get(1);
                int keep = (int) Math.max(1, Math.min(s.maxPositions() / 2, n));
                NDArray tail = all.get(new NDIndex(":, {}:", n - keep));
                all.close();
                all = tail;
                feed = tail.duplicate();
                feed.attach(tokens.getManager()); // the step's arrays are the step's
                length = 0;
            }
            history.close();
            history = all;
            int fed = (int) feed.getShape().get(1);
            NDArray logits;
            if (scripted != null) {
                reserve(length + fed);
                logits = scripted.next(tokens.getManager(), feed, length, rope(tokens.getManager(), length, fed));
            } else {
                logits = head(run(feed, length, this, false).get(new NDIndex(":, -1, :")), false);
            }
            length += fed;
            return logits;
        }

        /** Writes a layer's new keys and values at {@code offset} and returns the cache up to them, in {@code step}. */
        NDArray[] append(int layer, NDArray k, NDArray v, int offset, NDManager step) {
            int t = (int) k.getShape().get(2);
            reserve(offset + t);
            NDIndex fresh = new NDIndex(":, :, {}:{}", offset, offset + t);
            kv[layer][0].set(fresh, k);
            kv[layer][1].set(fresh, v);
            NDIndex upTo = new NDIndex(":, :, :{}", offset + t);
            NDArray keys = kv[layer][0].get(upTo);
            NDArray values = kv[layer][1].get(upTo);
            keys.attach(step); // views belong to this step, not to the cache
            values.attach(step);
            return new NDArray[] {keys, values};
        }

        /** Grows the cache to hold {@code positions}, doubling it (within max_position_embeddings). */
        private void reserve(int positions) {
            if (positions > capacity) {
                grow(Math.min(s.maxPositions(), Math.max(positions, 2 * Math.max(capacity, 16))));
            }
        }

        private void grow(int size) {
            for (NDArray[] pair : kv) {
                for (int i = 0; i < 2; i++) {
                    NDArray bigger = own.zeros(new Shape(batch, s.kvHeads(), size, s.headDim()));
                    if (pair[i] != null) {
                        bigger.set(new NDIndex(":, :, :{}", capacity), pair[i]);
                        pair[i].close();
                    }
                    pair[i] = bigger;
                }
            }
            capacity = size;
            if (scripted != null) {
                List<NDArray> keys = new ArrayList<>();
                List<NDArray> values = new ArrayList<>();
                for (NDArray[] pair : kv) {
                    keys.add(pair[0]);
                    values.add(pair[1]);
                }
                long[] windows = new long[layers.length];
                for (int l = 0; l < layers.length; l++) {
                    windows[l] = layers[l].window();
                }
                scripted.fix(ScriptedStep.tensors(scriptWeights()), ScriptedStep.tensors(keys), ScriptedStep.tensors(values),
                        IValue.listFrom(s.heads(), s.kvHeads(), s.headDim()),
                        IValue.listFrom(s.qkvBias(), s.oBias(), s.mlpBias(), s.qkNorm()), IValue.listFrom(windows),
                        IValue.from(s.eps()));
            }
        }

        /** The weights in the order {@link DecodeScripts#LLAMA} takes them, an empty array for those the model lacks. */
        private List<NDArray> scriptWeights() {
            NDArray none = own.zeros(new Shape(0));
            List<NDArray> w = new ArrayList<>(List.of(embed.getArray(), norm.getArray(), (lmHead != null ? lmHead : embed).getArray()));
            for (Layer l : layers) {
                for (Parameter p : new Parameter[] {l.inputNorm(), l.q(), l.qBias(), l.k(), l.kBias(), l.v(), l.vBias(), l.o(),
                        l.oBias(), l.qNorm(), l.kNorm(), l.postNorm(), l.gate(), l.gateBias(), l.up(), l.upBias(), l.down(),
                        l.downBias()}) {
                    w.add(p != null ? array(p) : none);
                }
            }
            return w;
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
