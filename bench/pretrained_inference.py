"""The peer of bench/PretrainedInference.java: transformers + PyTorch eager at batch 1 with the
key/value cache (DynamicCache, as generate uses it), a prompt of PROMPT fixed ids ((i*7919 + 13) % vocab), then NEW greedy
tokens one at a time. Prints one JSON line with the medians over ROUNDS after one warm-up.

  pretrained_inference.py MODEL_DIR THREADS PROMPT NEW ROUNDS
"""
import json
import statistics
import sys
import time

import torch
from transformers import AutoModelForCausalLM


def main(model_dir, threads, prompt_length, new_tokens, rounds):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    t = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager").eval()
    load = time.perf_counter() - t
    prompt = torch.tensor([[(i * 7919 + 13) % model.config.vocab_size for i in range(prompt_length)]])
    prefill, decode, last = [], [], []
    with torch.inference_mode():
        for r in range(-1, rounds):
            t0 = time.perf_counter()
            out = model(prompt, use_cache=True)
            past = out.past_key_values
            nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            t1 = time.perf_counter()
            last = []
            for _ in range(new_tokens):
                last.append(int(nxt))
                out = model(nxt, past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            t2 = time.perf_counter()
            if r >= 0:
                prefill.append(prompt_length / (t1 - t0))
                decode.append(new_tokens / (t2 - t1))
    print(json.dumps({"impl": "transformers", "model": model_dir.rstrip("/").split("/")[-1], "threads": threads,
                      "prompt": prompt_length, "new": new_tokens, "load_s": round(load, 2),
                      "prompt_tok_s": round(statistics.median(prefill), 1), "gen_tok_s": round(statistics.median(decode), 2),
                      "first_ids": last[:8], "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
