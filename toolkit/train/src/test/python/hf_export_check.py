"""Loads Notebench's exported checkpoints with transformers and writes what transformers computes.

Usage: hf_export_check.py SPEC.json OUT_DIR

SPEC.json is a list of cases: {"name", "dir", "texts": [str], "short": str, "long": str}. For each
case, OUT_DIR/NAME.safetensors gets logits.I (time, vocab), fp32, of AutoModelForCausalLM on the ids
AutoTokenizer gives text I, and OUT_DIR/NAME.json {"ids": [[ids]], "model_type", "architecture",
"tokenizer_class", "short_loss", "long_loss", "long_tokens"}: short_loss is transformers' loss
with labels = input ids on the short text; long_loss is the mean of -ln p over the long text's
predicted tokens, scored in the windows Notebench's Scorer makes (context-length windows, half a
context apart, each predicting the tokens the one before did not).
"""
import json
import math
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer


def windowed_loss(model, ids, window):
    n = len(ids)
    stride = max(1, window // 2)
    nll = [float("nan")] * n
    scored = 1
    start = 0
    while scored < n:
        end = min(n, start + window + 1)
        with torch.no_grad():
            logp = torch.log_softmax(model(torch.tensor([ids[start:end - 1]])).logits[0].double(), dim=-1)
        for pos in range(max(scored, start + 1), end):
            nll[pos] = -logp[pos - start - 1, ids[pos]].item()
        scored = end
        if end == n:
            break
        start = min(start + stride, n - 2)
    return sum(nll[1:]) / (n - 1)


def main(spec_path, out_dir):
    with open(spec_path, encoding="utf-8") as f:
        cases = json.load(f)
    torch.set_num_threads(1)
    for case in cases:
        tok = AutoTokenizer.from_pretrained(case["dir"])
        model = AutoModelForCausalLM.from_pretrained(case["dir"]).eval()
        ids = [tok(t)["input_ids"] for t in case["texts"]]
        logits = {}
        with torch.no_grad():
            for i, row in enumerate(ids):
                logits["logits.%d" % i] = model(torch.tensor([row])).logits[0].float().contiguous()
            short = tok(case["short"], return_tensors="pt")["input_ids"]
            short_loss = model(short, labels=short).loss.item()
        long_ids = tok(case["long"])["input_ids"]
        window = model.config.max_position_embeddings if hasattr(model.config, "max_position_embeddings") \
            else model.config.n_positions
        save_file(logits, os.path.join(out_dir, case["name"] + ".safetensors"))
        with open(os.path.join(out_dir, case["name"] + ".json"), "w", encoding="utf-8") as f:
            json.dump({"ids": ids, "model_type": model.config.model_type, "architecture": type(model).__name__,
                       "dtype": str(model.dtype), "tokenizer_class": type(tok).__name__, "short_loss": short_loss,
                       "long_loss": windowed_loss(model, long_ids, window), "long_tokens": len(long_ids),
                       "eos_token": tok.eos_token, "model_max_length": tok.model_max_length}, f)
        assert not math.isnan(short_loss)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
