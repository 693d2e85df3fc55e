"""Tiny random Hugging Face causal LMs and their outputs, the reference for Notebench's models.

Usage: hf_causal_lm.py SPEC.json OUT_DIR

SPEC.json is a list of cases: {"name", "model_type", "config": {...}, "seed", "prompts": [[ids]],
"max_new_tokens"}. For each case OUT_DIR/NAME gets what save_pretrained writes (config.json,
model.safetensors), reference.safetensors with logits.I (time, vocab) of prompt I in fp32, and
reference.json with {"generated": [[ids]]}: transformers' greedy generate(do_sample=False), the
new tokens only, never stopped early by an end token.
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import AutoConfig, AutoModelForCausalLM


def main(spec_path, out_dir):
    with open(spec_path, encoding="utf-8") as f:
        cases = json.load(f)
    torch.set_num_threads(1)
    for case in cases:
        config = AutoConfig.for_model(case["model_type"], **case["config"])
        torch.manual_seed(case["seed"])
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32).eval()
        model.generation_config.eos_token_id = None
        model.generation_config.pad_token_id = 0
        target = os.path.join(out_dir, case["name"])
        model.save_pretrained(target)
        logits = {}
        generated = []
        with torch.no_grad():
            for i, prompt in enumerate(case["prompts"]):
                ids = torch.tensor([prompt], dtype=torch.long)
                logits["logits.%d" % i] = model(ids).logits[0].float().contiguous()
                out = model.generate(ids, do_sample=False, max_new_tokens=case["max_new_tokens"],
                                     attention_mask=torch.ones_like(ids))
                generated.append(out[0, len(prompt):].tolist())
        save_file(logits, os.path.join(target, "reference.safetensors"))
        with open(os.path.join(target, "reference.json"), "w", encoding="utf-8") as f:
            json.dump({"generated": generated}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
