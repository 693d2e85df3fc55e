"""How close the local embedding runners are to this machine's arithmetic ceiling.

Counts the multiply-adds all-MiniLM-L6-v2 needs for the given sentences (each alone, no padding:
what langchain4j's runner computes; Notebench's length-sorted batches of 32 add under 3% of padding),
measures PyTorch's fp32 matrix-product throughput at the model's shapes on the given threads, and
turns each runner's seconds into GFLOP/s and a share of that ceiling.

    python bench/embed_ceiling.py SENTENCES TOKENIZER_JSON THREADS [NAME=SECONDS ...]
"""
import sys
import time

import torch
from tokenizers import Tokenizer

LAYERS, D, FF = 6, 384, 1536


def macs(t):
    # per layer: q, k, v and output projections, the two MLP matrices, scores and weighted values
    return LAYERS * (4 * D * D * t + 2 * D * FF * t + 2 * t * t * D)


def gemm_gflops(m, k, n, reps=40):
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(5):
        a @ b
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * m * k * n * reps / (time.perf_counter() - t0) / 1e9


def main():
    sentences, tokenizer_json, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tok = Tokenizer.from_file(tokenizer_json)
    tok.no_padding()
    tok.no_truncation()
    lines = [l.rstrip("\n") for l in open(sentences, encoding="utf-8")]
    lengths = [min(len(e.ids), 256) for e in tok.encode_batch(lines)]
    gflop = 2 * sum(macs(t) for t in lengths) / 1e9
    torch.set_num_threads(threads)
    rows = 1024  # the padded token positions of one of Notebench's batches
    shapes = [(rows, D, 3 * D), (rows, D, FF), (rows, FF, D)]
    peak = max(gemm_gflops(*s) for s in shapes)
    print(f"{len(lines)} texts, {sum(lengths)} tokens (mean {sum(lengths) / len(lengths):.1f}): {gflop:.0f} GFLOP;"
          f" fp32 matrix products at the model's shapes ({', '.join('x'.join(map(str, s)) for s in shapes)}),"
          f" {threads} threads, PyTorch {torch.__version__}: {peak:.0f} GFLOP/s at best")
    for arg in sys.argv[4:]:
        name, secs = arg.rsplit("=", 1)
        rate = gflop / float(secs)
        print(f"{name}: {float(secs):.2f} s = {rate:.0f} GFLOP/s, {100 * rate / peak:.0f}% of that")
    print(f"twice the slower runner needs {100 * 2 * gflop / max(float(a.rsplit('=', 1)[1]) for a in sys.argv[4:]) / peak:.0f}%"
          if len(sys.argv) > 4 else "")


if __name__ == "__main__":
    main()
