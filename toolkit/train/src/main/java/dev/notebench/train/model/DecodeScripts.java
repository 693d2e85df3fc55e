package dev.notebench.train.model;

/**
 * The TorchScript source of the decode steps ({@link ScriptedStep}): one call runs a whole model
 * over the new tokens of a key/value-cached generation and returns the logits after the last one,
 * where the op-by-op decoders issue some thirty DJL operations a layer, each a JNI call and an
 * NDArray registered with a manager (at batch 1 a decode step is bound by that overhead, not by
 * arithmetic). Each family's method computes what its op-by-op path computes, in the same order of
 * operations but for attention ({@code attend}), which is PyTorch's
 * {@code scaled_dot_product_attention}: without a mask for one query over the cache, causal for a
 * prompt at position 0, with an explicit boolean mask for several tokens after cached ones and for
 * sliding windows.
 *
 * <p>Each step writes the new keys and values into the caches in place ({@code copy_} into a
 * slice at {@code offset}); the caches are (batch, kv heads, capacity, head dim) and must hold
 * {@code offset + t} positions.
 *
 * <p>{@value #GPT}, a {@link GptModel} step: {@code gpt(tokens (B, t) int64, offset, weights,
 * keys, values, heads, tanh)} → logits (B, vocab). {@code weights}: wte, wpe, ln_f weight and
 * bias, then per layer ln_1 weight and bias, c_attn weight (3D, D) and bias, attn c_proj weight
 * and bias, ln_2 weight and bias, c_fc weight and bias, mlp c_proj weight and bias (zeros where
 * the model has no biases); {@code keys}/{@code values}: one cache per layer; {@code tanh}:
 * whether GELU is the tanh approximation.
 *
 * <p>{@value #LLAMA}, a {@link LlamaModel} step: {@code llama(tokens (B, t) int64, offset, cos,
 * sin, weights, keys, values, shape, flags, windows, eps)} → logits (B, vocab). {@code cos}/{@code
 * sin}: the rotary tables of positions offset .. offset + t - 1, (1, 1, t, head dim);
 * {@code weights}: the embedding, the final norm, the output layer, then per layer 18: input norm,
 * q weight and bias, k weight and bias, v weight and bias, o weight and bias, q norm, k norm,
 * post-attention norm, gate weight and bias, up weight and bias, down weight and bias (an empty
 * tensor where the model has none); {@code shape}: heads, kv heads, head dim; {@code flags}:
 * biases on q/k/v, on o, on the MLP, per-head q/k norm; {@code windows}: each layer's sliding
 * window (0: none).
 */
final class DecodeScripts {
    /** The module's class. */
    static final String CLASS = "DecodeStep";
    /** The method of a {@link GptModel} step. */
    static final String GPT = "gpt";
    /** The method of a {@link LlamaModel} step. */
    static final String LLAMA = "llama";

    /** The module's methods ({@link TorchScriptModule#compile}). */
    static final String SOURCE = """
              def gpt(self: __torch__.DecodeStep,
                tokens: Tensor,
                offset: int,
                weights: List[Tensor],
                keys: List[Tensor],
                values: List[Tensor],
                heads: int,
                tanh: bool) -> Tensor:
                b = torch.size(tokens, 0)
                t = torch.size(tokens, 1)
                end = torch.add(offset, t)
                d = torch.size(weights[0], 1)
                hd = torch.floordiv(d, heads)
                positions = torch.slice(weights[1], 0, offset, end)
                x = torch.add(torch.embedding(weights[0], tokens), positions)
                for l in range(torch.len(keys)):
                  i = torch.add(4, torch.mul(l, 12))
                  h = torch.layer_norm(x, [d], weights[i], weights[torch.add(i, 1)], 1.0000000000000001e-05)
                  qkv = torch.split(torch.linear(h, weights[torch.add(i, 2)], weights[torch.add(i, 3)]), d, 2)
                  q = torch.transpose(torch.view(qkv[0], [b, t, heads, hd]), 1, 2)
                  k = torch.transpose(torch.view(qkv[1], [b, t, heads, hd]), 1, 2)
                  v = torch.transpose(torch.view(qkv[2], [b, t, heads, hd]), 1, 2)
                  y = self.attend(q, k, v, keys[l], values[l], offset, 0, False)
                  y = torch.reshape(torch.transpose(y, 1, 2), [b, t, d])
                  x = torch.add(x, torch.linear(y, weights[torch.add(i, 4)], weights[torch.add(i, 5)]))
                  h = torch.layer_norm(x, [d], weights[torch.add(i, 6)], weights[torch.add(i, 7)], 1.0000000000000001e-05)
                  h = torch.linear(h, weights[torch.add(i, 8)], weights[torch.add(i, 9)])
                  if tanh:
                    h = torch.gelu(h, approximate="tanh")
                  else:
                    h = torch.gelu(h)
                  x = torch.add(x, torch.linear(h, weights[torch.add(i, 10)], weights[torch.add(i, 11)]))
                last = torch.layer_norm(torch.select(x, 1, -1), [d], weights[2], weights[3], 1.0000000000000001e-05)
                return torch.linear(last, weights[0])
              def llama(self: __torch__.DecodeStep,
                tokens: Tensor,
                offset: int,
                cos: Tensor,
                sin: Tensor,
                weights: List[Tensor],
                keys: List[Tensor],
                values: List[Tensor],
                shape: List[int],
                flags: List[bool],
                windows: List[int],
                eps: float) -> Tensor:
                b = torch.size(tokens, 0)
                t = torch.size(tokens, 1)
                end = torch.add(offset, t)
                heads = shape[0]
                kv_heads = shape[1]
                hd = shape[2]
                half = torch.floordiv(hd, 2)
                qkv_bias = flags[0]
                o_bias = flags[1]
                mlp_bias = flags[2]
                qk_norm = flags[3]
                gqa = torch.ne(heads, kv_heads)
                x = torch.embedding(weights[0], tokens)
                for l in range(torch.len(keys)):
                  i = torch.add(3, torch.mul(l, 18))
                  h = self.rms_norm(x, weights[i], eps)
                  q = torch.view(self.linear(h, weights, torch.add(i, 1), qkv_bias), [b, t, heads, hd])
                  k = torch.view(self.linear(h, weights, torch.add(i, 3), qkv_bias), [b, t, kv_heads, hd])
                  v = torch.view(self.linear(h, weights, torch.add(i, 5), qkv_bias), [b, t, kv_heads, hd])
                  if qk_norm:
                    q = self.rms_norm(q, weights[torch.add(i, 9)], eps)
                    k = self.rms_norm(k, weights[torch.add(i, 10)], eps)
                  q = self.rotate(torch.transpose(q, 1, 2), cos, sin, half)
                  k = self.rotate(torch.transpose(k, 1, 2), cos, sin, half)
                  v = torch.transpose(v, 1, 2)
                  y = self.attend(q, k, v, keys[l], values[l], offset, windows[l], gqa)
                  y = torch.reshape(torch.transpose(y, 1, 2), [b, t, torch.mul(heads, hd)])
                  x = torch.add(x, self.linear(y, weights, torch.add(i, 7), o_bias))
                  h = self.rms_norm(x, weights[torch.add(i, 11)], eps)
                  gate = torch.silu(self.linear(h, weights, torch.add(i, 12), mlp_bias))
                  up = self.linear(h, weights, torch.add(i, 14), mlp_bias)
                  x = torch.add(x, self.linear(torch.mul(gate, up), weights, torch.add(i, 16), mlp_bias))
                last = self.rms_norm(torch.select(x, 1, -1), weights[1], eps)
                return torch.linear(last, weights[2])
              def linear(self: __torch__.DecodeStep,
                x: Tensor,
                weights: List[Tensor],
                at: int,
                biased: bool) -> Tensor:
                bias : Optional[Tensor] = None
                if biased:
                  bias = weights[torch.add(at, 1)]
                return torch.linear(x, weights[at], bias)
              def rms_norm(self: __torch__.DecodeStep,
                x: Tensor,
                weight: Tensor,
                eps: float) -> Tensor:
                variance = torch.mean(torch.square(x), [-1], True)
                return torch.mul(torch.div(x, torch.sqrt(torch.add(variance, eps))), weight)
              def rotate(self: __torch__.DecodeStep,
                x: Tensor,
                cos: Tensor,
                sin: Tensor,
                half: int) -> Tensor:
                first = torch.slice(x, 3, 0, half)
                second = torch.slice(x, 3, half)
                rotated = torch.cat([torch.neg(second), first], 3)
                return torch.add(torch.mul(x, cos), torch.mul(rotated, sin))
              def attend(self: __torch__.DecodeStep,
                q: Tensor,
                k: Tensor,
                v: Tensor,
                keys: Tensor,
                values: Tensor,
                offset: int,
                window: int,
                gqa: bool) -> Tensor:
                t = torch.size(q, 2)
                end = torch.add(offset, t)
                _0 = torch.copy_(torch.slice(keys, 2, offset, end), k)
                _1 = torch.copy_(torch.slice(values, 2, offset, end), v)
                windowed = torch.gt(window, 0) and torch.gt(end, window)
                mask : Optional[Tensor] = None
                causal = False
                if not windowed:
                  if torch.gt(t, 1):
                    if torch.eq(offset, 0):
                      causal = True
                    else:
                      visible = torch.ones([t, end], dtype=11, layout=None, device=ops.prim.device(q))
                      mask = torch.tril(visible, offset)
                else:
                  visible = torch.ones([t, end], dtype=11, layout=None, device=ops.prim.device(q))
                  mask = torch.triu(torch.tril(visible, offset), torch.add(torch.sub(offset, window), 1))
                seen_keys = torch.slice(keys, 2, 0, end)
                seen_values = torch.slice(values, 2, 0, end)
                return torch.scaled_dot_product_attention(q, seen_keys, seen_values, mask, 0., causal, scale=None, enable_gqa=gqa)
            """;

    private DecodeScripts() {
    }
}
