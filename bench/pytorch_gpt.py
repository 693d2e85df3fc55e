#!/usr/bin/env python3
"""The PyTorch (eager) twin of Notebench's `gpt` model and training step, for bench/train-vs-pytorch.sh.

Same model as toolkit/train/.../model/GptModel.java: token + learned position embeddings,
pre-LayerNorm blocks whose causal self-attention is written with explicit ops (qkv linear, split
into q, k, v, reshape/transpose, q scaled by 1/sqrt(hd), q @ k^T, an additive -inf causal mask,
softmax, dropout, @ v, c_proj, dropout) as GptModel's explicit form computes it, or with
F.scaled_dot_product_attention as its default does (--sdpa), a 4x GELU (exact, erf) MLP, a final
LayerNorm (eps 1e-5) and an output layer tied to wte (no bias). Same init: N(0, 0.02) for wte, wpe, c_attn, c_fc;
N(0, 0.02/sqrt(2 n_layer)) for both c_proj's; biases 0, LayerNorm 1/0. nanoGPT parameter names.

Same training step as TrainRun.java: `batch` random windows of seq_len+1 tokens from the train
split of the Java side's token file, cross-entropy = mean of -log_softmax gathered at the
targets, AdamW (0.9/0.95, eps 1e-8, weight decay only on the four linear weight matrices of
each layer), global-norm clipping, linear warmup (default max(1, steps/20)) then cosine to
lr/10. Validation as Java computes it: the first non-overlapping windows of the validation
split, `eval_batches * batch` of them (fewer if the split is short), the row-weighted mean of the
per-batch mean loss.

    build/torchenv/bin/python bench/pytorch_gpt.py --tokens RUNS/.tokens/KEY \\
        --n-layer 2 --n-head 4 --d-model 128 --seq-len 64 --batch 16 --steps 60 --threads 1

Writes OUT/metrics.jsonl (with --out) in the Java run's format ({"type":"step",...},
{"type":"eval",...}) and prints one JSON summary line: tokens_per_s (median over the steps after
--skip), train_loss (the last step's), val_loss (after the last step), torch version, ...
--sdpa swaps the explicit attention for F.scaled_dot_product_attention(is_causal=True).

Checks against the Java side (see bench/train-vs-pytorch.sh):
  --java-checkpoint DIR  no training: load a Java checkpoint's params.ndlist, print its val loss
  --init-from DIR        start from a Java checkpoint's weights (e.g. step 0 of a run at lr 1e-30)
  --java-windows         draw exactly the training windows Java's Windows.train draws (SplittableRandom)
  --notebench-optimizer  update with the arithmetic of Notebench's AdamW on the CPU (eps added to sqrt(v)
                         before the bias correction, gradients zeroed) instead of torch.optim.AdamW
  --profile              median milliseconds of data, forward, backward and optimizer per step
  --fused-adamw          torch.optim.AdamW(fused=True) instead of the default (bench/train-step-phases.sh)
"""
import argparse
import json
import math
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d, n_head, seq_len, dropout, bias, sdpa):
        super().__init__()
        self.c_attn = nn.Linear(d, 3 * d, bias=bias)
        self.c_proj = nn.Linear(d, d, bias=bias)
        self.n_head = n_head
        self.dropout = dropout
        self.sdpa = sdpa
        mask = torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        hd = d // self.n_head
        q, k, v = (z.view(b, t, self.n_head, hd).transpose(1, 2) for z in self.c_attn(x).split(d, dim=2))  # (B, H, T, hd)
        if self.sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                               dropout_p=self.dropout if self.training else 0.0)
        else:
            q = q * (1.0 / math.sqrt(hd))
            att = q @ k.transpose(-2, -1)
            att = att + self.mask[:t, :t]
            att = F.dropout(att.softmax(-1), self.dropout, self.training)
            y = att @ v
        y = y.transpose(1, 2).reshape(b, t, d)
        return F.dropout(self.c_proj(y), self.dropout, self.training)


class Mlp(nn.Module):
    def __init__(self, d, dropout, bias):
        super().__init__()
        self.c_fc = nn.Linear(d, 4 * d, bias=bias)
        self.c_proj = nn.Linear(4 * d, d, bias=bias)
        self.dropout = dropout

    def forward(self, x):
        return F.dropout(self.c_proj(F.gelu(self.c_fc(x))), self.dropout, self.training)


class Block(nn.Module):
    def __init__(self, d, n_head, seq_len, dropout, bias, sdpa):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = Attention(d, n_head, seq_len, dropout, bias, sdpa)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.mlp = Mlp(d, dropout, bias)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt(nn.Module):
    def __init__(self, vocab, n_layer, n_head, d_model, seq_len, dropout=0.0, bias=True, sdpa=False):
        super().__init__()
        if d_model % n_head:
            raise SystemExit(f"d_model {d_model} is not a multiple of n_head {n_head}")
        self.dropout = dropout
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab, d_model),
            wpe=nn.Embedding(seq_len, d_model),
            h=nn.ModuleList(Block(d_model, n_head, seq_len, dropout, bias, sdpa) for _ in range(n_layer)),
            ln_f=nn.LayerNorm(d_model, eps=1e-5),
        ))
        proj = 0.02 / math.sqrt(2 * n_layer)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, proj)
            elif name.endswith(("wte.weight", "wpe.weight", "c_attn.weight", "c_fc.weight")):
                nn.init.normal_(p, 0.0, 0.02)
            elif name.endswith("bias"):
                nn.init.zeros_(p)
            elif ".ln_" in name:
                nn.init.ones_(p)
            else:
                raise AssertionError(name)

    def forward(self, idx):
        t = idx.shape[1]
        tr = self.transformer
        pos = torch.arange(t, dtype=torch.long)
        x = F.dropout(tr.wte(idx) + tr.wpe(pos), self.dropout, self.training)
        for block in tr.h:
            x = block(x)
        return F.linear(tr.ln_f(x), tr.wte.weight)  # tied output, no bias

    def param_groups(self, weight_decay):
        decay, rest = [], []
        for name, p in self.named_parameters():
            linear_weight = name.endswith(("c_attn.weight", "c_proj.weight", "c_fc.weight"))
            (decay if linear_weight else rest).append(p)
        return [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]


def cross_entropy(logits, targets):
    """Mean over all positions of -log_softmax gathered at the targets (Losses.crossEntropy)."""
    return logits.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1).neg().mean()


def lr_at(step, max_lr, min_lr, warmup, total):
    """LrSchedule.at: linear warmup (step+1)/warmup, then cosine to min_lr at `total`."""
    if step < warmup:
        return max_lr * (step + 1) / warmup
    if step >= total:
        return min_lr
    progress = (step - warmup) / max(1, total - warmup)
    return min_lr + 0.5 * (1 + math.cos(math.pi * progress)) * (max_lr - min_lr)


_MASK64 = (1 << 64) - 1
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def java_window_starts(seed, step, micro, batch, span):
    """The window starts Windows.train draws: java.util.SplittableRandom(seed * GOLDEN_GAMMA +
    step * 1_000_003 + micro), then nextLong(span + 1) per row (JDK 17's bounded algorithm)."""
    state = (seed * _GOLDEN_GAMMA + step * 1_000_003 + micro) & _MASK64

    def next_long():
        nonlocal state
        state = (state + _GOLDEN_GAMMA) & _MASK64
        return _mix64(state)

    bound = span + 1
    m = bound - 1
    out = []
    for _ in range(batch):
        r = next_long()
        if bound & m == 0:
            r &= m
        else:
            u = r >> 1
            while True:
                r = u % bound
                if (u + m - r) & _MASK64 < 1 << 63:  # Java: u + m - r >= 0 as a signed long
                    break
                u = next_long() >> 1
        out.append(r if span > 0 else 0)
    return out


class Tokens:
    """The Java side's token cache: tokens.bin (little-endian uint16 or int32) + tokens.json."""

    def __init__(self, directory):
        with open(os.path.join(directory, "tokens.json"), encoding="utf-8") as f:
            m = json.load(f)
        dtype = "<u2" if m.get("dtype", "uint16") == "uint16" else "<i4"
        self.data = np.memmap(os.path.join(directory, "tokens.bin"), dtype=dtype, mode="r")
        if len(self.data) != m["tokens"]:
            raise SystemExit(f"{directory}/tokens.bin has {len(self.data)} tokens, tokens.json says {m['tokens']}")
        self.tokens = m["tokens"]
        self.train_tokens = m["train_tokens"]
        self.val_tokens = m.get("val_tokens", self.tokens - self.train_tokens)
        self.vocab_size = m["vocab_size"]

    def windows(self, starts, seq_len):
        idx = np.asarray(starts, dtype=np.int64)[:, None] + np.arange(seq_len + 1, dtype=np.int64)
        w = torch.from_numpy(self.data[idx].astype(np.int64))
        return w[:, :-1], w[:, 1:]


class NotebenchAdamW:
    """The arithmetic of Notebench's AdamW on the CPU (optim/CpuAdamKernel.java), in float32 as Java
    computes it, one rounding per operation: the global norm from float64 sums of squares, then per
    element g' = rescale*g, m = m*b1 + g'*(1-b1), v = v*b2 + (g'*g')*(1-b2),
    p = p*keep - (corr*m) / (sqrt(v) + eps) with keep = 1 - lr*wd on decayed matrices (else 1),
    and the gradient zeroed. The constants are rounded to float32 as Java rounds them."""

    def __init__(self, model, weight_decay, beta1=0.9, beta2=0.95, eps=1e-8):
        decayed = {id(p) for p in model.param_groups(weight_decay)[0]["params"]}
        self.params = list(model.parameters())
        self.wd = [weight_decay if id(p) in decayed else 0.0 for p in self.params]
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.b1, self.b2, self.eps, self.t = beta1, beta2, eps, 0

    @staticmethod
    def _f32(x):
        return torch.tensor(x, dtype=torch.float32)

    @torch.no_grad()
    def step(self, lr, clip):
        f = self._f32
        norm = float(np.float32(math.sqrt(sum(p.grad.double().square().sum().item() for p in self.params))))
        rescale = f(clip / (norm + 1e-6) if clip > 0 and norm > clip else 1.0)
        self.t += 1
        corr = f(lr * math.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t))
        b1, b2, eps = f(self.b1), f(self.b2), f(self.eps)
        c1, c2 = 1 - b1, 1 - b2  # float32 arithmetic, as Java's 1 - b1
        for p, m, v, wd in zip(self.params, self.m, self.v, self.wd):
            g = p.grad * rescale
            m.mul_(b1).add_(g * c1)
            v.mul_(b2).add_((g * g) * c2)
            if wd > 0:
                p.mul_(f(1 - lr * wd))
            p.sub_((corr * m) / (v.sqrt() + eps))
            p.grad.zero_()
        return norm


def read_ndlist(path):
    """Reads a DJL NDList file (Checkpoint's params.ndlist): {name: float32 tensor}."""
    with open(path, "rb") as f:
        b = f.read()
    o = 0

    def take(fmt):
        nonlocal o
        v = struct.unpack_from(fmt, b, o)
        o += struct.calcsize(fmt)
        return v

    def utf():
        nonlocal o
        (n,) = take(">H")
        s = b[o:o + n].decode("utf-8")
        o += n
        return s

    out = {}
    (count,) = take(">i")
    for _ in range(count):
        if utf() != "NDAR":
            raise SystemExit(f"{path}: not a DJL NDList")
        take(">i")  # version
        (has_name,) = take(">b")
        name = utf() if has_name else None
        sparse, dtype = utf(), utf()
        if sparse != "DENSE" or dtype != "FLOAT32":
            raise SystemExit(f"{path}: {name} is {sparse} {dtype}, expected DENSE FLOAT32")
        (nd,) = take(">i")
        dims = take(f">{nd}q")
        (nl,) = take(">i")
        o += 2 * nl  # layout chars
        order = chr(b[o])
        o += 1
        (length,) = take(">i")
        arr = np.frombuffer(b, dtype="<f4" if order == "<" else ">f4", count=length // 4, offset=o)
        o += length
        out[name] = torch.from_numpy(arr.astype(np.float32).reshape(dims))
    return out


def validation_loss(model, data, seq_len, batch, eval_batches):
    available = (data.val_tokens - 1) // seq_len
    want = min(available, eval_batches * batch)
    total, n = 0.0, 0
    model.eval()
    with torch.no_grad():
        for first in range(0, want, batch):
            rows = min(batch, want - first)
            starts = [data.train_tokens + (first + r) * seq_len for r in range(rows)]
            x, y = data.windows(starts, seq_len)
            total += cross_entropy(model(x), y).item() * rows
            n += rows
    model.train()
    return total / n


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokens", required=True, help="the Java side's token directory (RUNS/.tokens/KEY)")
    ap.add_argument("--n-layer", type=int, default=4)
    ap.add_argument("--n-head", type=int, default=4)
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--no-bias", action="store_true", help="linear layers without biases (bias=false)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr", type=float, help="default lr/10")
    ap.add_argument("--warmup", type=int, help="default max(1, steps/20)")
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--eval-every", type=int, default=0, help="0: only after the last step (as Java always does)")
    ap.add_argument("--eval-batches", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--skip", type=int, default=10, help="warmup steps left out of the tokens/s median")
    ap.add_argument("--sdpa", action="store_true", help="F.scaled_dot_product_attention(is_causal=True) instead")
    ap.add_argument("--fused-adamw", action="store_true",
                    help="torch.optim.AdamW(fused=True) (one kernel per step) instead of the default for-loop on the CPU")
    ap.add_argument("--out", help="write OUT/metrics.jsonl in the Java run's format")
    ap.add_argument("--java-windows", action="store_true",
                    help="draw exactly the training windows the Java run with the same seed draws")
    ap.add_argument("--init-from", metavar="DIR",
                    help="start from a Java checkpoint's weights instead of a fresh init (with --java-windows: "
                         "the Java run's exact starting point and batches)")
    ap.add_argument("--profile", action="store_true",
                    help="add the median milliseconds of data, forward, backward and optimizer to the summary")
    ap.add_argument("--trace", metavar="FILE",
                    help="write torch.profiler's Chrome trace of the last three training steps to FILE "
                         "(bench/op-profile.py compares two)")
    ap.add_argument("--notebench-optimizer", action="store_true",
                    help="diagnostic: update with the arithmetic of Notebench's AdamW on the CPU instead of "
                         "clip_grad_norm_ + torch.optim.AdamW")
    ap.add_argument("--java-checkpoint", metavar="DIR",
                    help="no training: load a Java checkpoint's params.ndlist and print its validation loss")
    a = ap.parse_args(argv)

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)

    data = Tokens(a.tokens)
    if data.train_tokens < a.seq_len + 1 or data.val_tokens < a.seq_len + 1:
        raise SystemExit("a split is shorter than one window")
    model = Gpt(data.vocab_size, a.n_layer, a.n_head, a.d_model, a.seq_len, a.dropout, not a.no_bias, a.sdpa)
    if a.java_checkpoint:
        saved = read_ndlist(os.path.join(a.java_checkpoint, "params.ndlist"))
        missing = model.load_state_dict(saved, strict=True)
        val = validation_loss(model, data, a.seq_len, a.batch, a.eval_batches)
        print(json.dumps({"impl": "pytorch", "checkpoint": a.java_checkpoint, "loaded": len(saved), "val_loss": val}))
        return 0
    if a.init_from:
        model.load_state_dict(read_ndlist(os.path.join(a.init_from, "params.ndlist")), strict=True)
    model.train()
    opt = torch.optim.AdamW(model.param_groups(a.weight_decay), lr=a.lr, betas=(0.9, 0.95), eps=1e-8,
                            fused=True if a.fused_adamw else None)
    min_lr = a.min_lr if a.min_lr is not None else a.lr / 10
    warmup = a.warmup if a.warmup is not None else max(1, a.steps // 20)
    span = data.train_tokens - a.seq_len - 1
    params = [p for p in model.parameters()]
    tokens_per_step = a.batch * a.seq_len

    log = None
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        log = open(os.path.join(a.out, "metrics.jsonl"), "w", encoding="utf-8")

    def emit(obj):
        if log:
            log.write(json.dumps(obj) + "\n")
            log.flush()

    nb_opt = NotebenchAdamW(model, a.weight_decay) if a.notebench_optimizer else None
    t0 = time.perf_counter()
    rates, phases, loss, val = [], [], float("nan"), float("nan")
    prof = None
    for step in range(a.steps):
        if a.trace and step == max(0, a.steps - 3):
            prof = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True)
            prof.__enter__()
        s0 = time.perf_counter()
        lr = lr_at(step, a.lr, min_lr, warmup, a.steps)
        for g in opt.param_groups:
            g["lr"] = lr
        if a.java_windows:
            starts = java_window_starts(a.seed, step, 0, a.batch, span)
        else:
            starts = torch.randint(0, span + 1, (a.batch,), generator=gen).numpy()
        x, y = data.windows(starts, a.seq_len)
        s1 = time.perf_counter()
        l = cross_entropy(model(x), y)
        s2 = time.perf_counter()
        l.backward()
        loss = l.item()
        if not math.isfinite(loss):
            raise SystemExit(f"the training loss became {loss} at step {step}")
        s3 = time.perf_counter()
        if nb_opt:
            norm = nb_opt.step(lr, a.clip)
        else:
            norm = torch.nn.utils.clip_grad_norm_(params, a.clip) if a.clip > 0 else \
                torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in params]))
            opt.step()
            opt.zero_grad(set_to_none=True)
        s4 = time.perf_counter()
        if prof and step == a.steps - 1:
            prof.__exit__(None, None, None)
            prof.export_chrome_trace(a.trace)
        phases.append((s1 - s0, s2 - s1, s3 - s2, s4 - s3))
        secs = s4 - s0
        rate = tokens_per_step / secs
        rates.append(rate)
        emit({"type": "step", "step": step, "loss": loss, "lr": lr, "grad_norm": float(norm),
              "tokens_per_s": rate, "elapsed_s": time.perf_counter() - t0})
        last = step == a.steps - 1
        if last or (a.eval_every > 0 and (step + 1) % a.eval_every == 0):
            val = validation_loss(model, data, a.seq_len, a.batch, a.eval_batches)
            emit({"type": "eval", "step": step, "val_loss": val, "perplexity": math.exp(val)})
    if log:
        log.close()

    measured = rates[a.skip:] if len(rates) > a.skip else rates
    summary = {
        "impl": "pytorch-sdpa" if a.sdpa else "pytorch",
        "torch": torch.__version__,
        "threads": a.threads,
        "parameters": sum(p.numel() for p in params),
        "steps": a.steps,
        "tokens_per_s": statistics.median(measured),
        "train_loss": loss,
        "val_loss": val,
        "seconds": time.perf_counter() - t0,
    }
    if a.notebench_optimizer:
        summary["impl"] += "-notebench-optimizer"
    if a.fused_adamw:
        summary["impl"] += "-fused-adamw"
    if a.java_windows:
        summary["windows"] = "java"
    if a.profile:
        kept = phases[a.skip:] if len(phases) > a.skip else phases
        summary["phase_ms"] = {k: round(1000 * statistics.median(p[i] for p in kept), 2)
                               for i, k in enumerate(("data", "forward", "backward", "optimizer"))}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
