"""The peer of bench/LoraStep.java: one fine-tuning step of a checkpoint with transformers + PyTorch
eager (+ PEFT for LoRA): forward, the mean cross-entropy over every position, backward, clipping to
global norm 1.0 (the Hugging Face Trainer's max_grad_norm, Notebench's --clip), then
torch.optim.AdamW (default implementation; betas 0.9/0.95, eps 1e-8, weight decay 0.1 on matrices
as Notebench's trainer) over the trainable parameters. The inputs and targets are the ones
Notebench's trainer draws at step 0 (LoraStep.java ids). Prints one JSON line: the median seconds of
STEPS - 1 steps after one warm-up, the step-0 loss, and the peak RSS when the last step ended (VmHWM).

  lora_step.py train MODEL_DIR IDS_JSON THREADS STEPS lora|full
  lora_step.py prepare SHAPE_DIR OUT_DIR CORPUS_TOKENS
      OUT_DIR/<name>: the shape's config and weights (links) with a word-level tokenizer.json of
      its vocabulary (token i is "w<i>"), and OUT_DIR/<name>.txt, a corpus of CORPUS_TOKENS seeded
      random words, so that Notebench's trainer can fine-tune the random-weight shape.
"""
import json
import os
import random
import statistics
import sys
import time


def vm_hwm_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def train(model_dir, ids_json, threads, steps, mode):
    import torch
    import torch.nn.functional as F
    from transformers import AutoConfig, AutoModelForCausalLM

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    config = AutoConfig.from_pretrained(model_dir)
    if config.model_type == "gpt2":  # Notebench loads GPT-2 without dropout (Gpt2Weights): the same here
        config.resid_pdrop = config.embd_pdrop = config.attn_pdrop = 0.0
    model = AutoModelForCausalLM.from_pretrained(model_dir, config=config, dtype=torch.float32,
                                                 attn_implementation="eager")
    if mode == "lora":
        from peft import LoraConfig, get_peft_model
        targets = ["c_attn"] if config.model_type == "gpt2" else ["q_proj", "v_proj"]
        model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules=targets, lora_dropout=0.0))
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2]
    rest = [p for p in params if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.95), eps=1e-8)
    batch = json.load(open(ids_json))
    x = torch.tensor(batch["inputs"])
    y = torch.tensor(batch["targets"])
    seconds, loss0 = [], None
    for step in range(steps):
        t0 = time.perf_counter()
        logits = model(input_ids=x, use_cache=False).logits
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        if step == 0:
            loss0 = loss.item()
        del logits, loss
        seconds.append(time.perf_counter() - t0)
    step_rss = vm_hwm_mb()
    med = statistics.median(seconds[1:])
    print(json.dumps({"impl": "transformers", "model": model_dir.rstrip("/").split("/")[-1], "mode": mode, "threads": threads,
                      "batch": x.shape[0], "seq": x.shape[1], "steps": len(seconds) - 1, "step_s": round(med, 3),
                      "steps_per_s": round(1 / med, 4), "loss0": round(loss0, 6), "step_rss_mb": step_rss,
                      "trainable": sum(p.numel() for p in params), "torch": torch.__version__,
                      "step_seconds": [round(s, 3) for s in seconds]}))


def prepare(shape_dir, out_dir, corpus_tokens):
    name = os.path.basename(shape_dir.rstrip("/"))
    target = os.path.join(out_dir, name)
    os.makedirs(target, exist_ok=True)
    for f in ("config.json", "generation_config.json", "model.safetensors"):
        link = os.path.join(target, f)
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(os.path.join(shape_dir, f)), link)
    vocab = json.load(open(os.path.join(shape_dir, "config.json")))["vocab_size"]
    tokenizer = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
                 "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": None, "decoder": None,
                 "model": {"type": "WordLevel", "vocab": {f"w{i}": i for i in range(vocab)}, "unk_token": "w0"}}
    with open(os.path.join(target, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f)
    with open(os.path.join(target, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 1024}, f)
    r = random.Random(0)
    with open(os.path.join(out_dir, name + ".txt"), "w") as f:
        for line in range(corpus_tokens // 16):
            f.write(" ".join(f"w{r.randrange(vocab)}" for _ in range(16)) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        train(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
