"""The weights-only floor of a batch-1 decode step in the Python peer's torch: the Python half of
bench/MatvecFloor.java (same shapes, same order, weights of their own). Prints one JSON line.

    build/pyenv/bin/python bench/matvec_floor.py MODEL THREADS REPS
"""
import json
import sys
import time

import torch


def shapes(model):
    if model == "gpt2-124m":
        return [s for _ in range(12) for s in ((768, 2304), (768, 768), (768, 3072), (3072, 768))] + [(768, 50257)]
    if model == "qwen2.5-0.5b":
        return [s for _ in range(24) for s in ((896, 896), (896, 128), (896, 128), (896, 896), (896, 4864),
                                                  (896, 4864), (4864, 896))] + [(896, 151936)]
    raise SystemExit("model: gpt2-124m or qwen2.5-0.5b, not " + model)


def main(model, threads, reps):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    s = shapes(model)
    weights = [torch.randn(o, i) for i, o in s]
    inputs = [torch.randn(1, i) for i, _ in s]
    ms = []
    with torch.inference_mode():
        for r in range(-2, reps):
            t0 = time.perf_counter()
            for x, w in zip(inputs, weights):
                torch.nn.functional.linear(x, w)
            if r >= 0:
                ms.append((time.perf_counter() - t0) * 1e3)
    ms.sort()
    print(json.dumps({"impl": "torch " + torch.__version__, "model": model, "threads": threads, "linears": len(s),
                      "params_m": round(sum(i * o for i, o in s) / 1e6, 1), "floor_ms": round(ms[reps // 2], 2),
                      "min_ms": round(ms[0], 2)}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
