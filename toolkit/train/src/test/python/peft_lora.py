"""PEFT's LoRA on tiny random causal LMs, the reference for Notebench's adapters.

Usage: peft_lora.py make SPEC.json OUT_DIR
       peft_lora.py check SPEC.json OUT_DIR

SPEC.json is a list of cases: {"name", "model_type", "config": {...}, "seed", "prompts": [[ids]],
"lora": {"r", "alpha", "targets": [...]}}.

make: OUT_DIR/NAME/base gets the base model (save_pretrained of a random model made by
transformers), OUT_DIR/NAME/peft the adapters PEFT saves after get_peft_model with the case's
LoRA settings and lora_B drawn from N(0, 0.1) (A as PEFT draws it), and peft_logits.safetensors
logits.I (time, vocab) of that PEFT model on prompt I.
check: OUT_DIR/NAME/ours_logits.safetensors gets logits.I of PeftModel.from_pretrained(base,
OUT_DIR/NAME/ours), the adapters Notebench saved there.
"""
import json
import os
import sys

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from safetensors.torch import save_file
from transformers import AutoConfig, AutoModelForCausalLM


def logits(model, prompts, path):
    out = {}
    with torch.no_grad():
        for i, prompt in enumerate(prompts):
            ids = torch.tensor([prompt], dtype=torch.long)
            out["logits.%d" % i] = model(ids).logits[0].float().contiguous()
    save_file(out, path)


def make(case, target):
    config = AutoConfig.for_model(case["model_type"], **case["config"])
    torch.manual_seed(case["seed"])
    base = AutoModelForCausalLM.from_config(config, dtype=torch.float32).eval()
    base.save_pretrained(os.path.join(target, "base"))
    lora = case["lora"]
    peft_config = LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=0.0, target_modules=lora["targets"],
                             task_type="CAUSAL_LM", fan_in_fan_out=case["model_type"] == "gpt2")
    model = get_peft_model(base, peft_config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0.0, 0.1)
    model.eval()
    model.save_pretrained(os.path.join(target, "peft"))
    logits(model, case["prompts"], os.path.join(target, "peft_logits.safetensors"))


def check(case, target):
    base = AutoModelForCausalLM.from_pretrained(os.path.join(target, "base"), dtype=torch.float32)
    model = PeftModel.from_pretrained(base, os.path.join(target, "ours")).eval()
    logits(model, case["prompts"], os.path.join(target, "ours_logits.safetensors"))


def main(step, spec_path, out_dir):
    with open(spec_path, encoding="utf-8") as f:
        cases = json.load(f)
    torch.set_num_threads(1)
    for case in cases:
        target = os.path.join(out_dir, case["name"])
        (make if step == "make" else check)(case, target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
